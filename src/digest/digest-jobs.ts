import type { ChatDecision, DeliveryKey } from "../store/types.js";

/**
 * One owed digest: its delivery's key (a chat, its forum topic if any, and period). It lives apart from the BullMQ
 * queue (queue.ts), so that a process on SQLite, which has no queue, never loads BullMQ.
 */
export type DigestJob = DeliveryKey;

/**
 * A job names its thread only when it has one, so that thread-less jobs look as they always did. Both shapes are
 * written out rather than spread: a tick makes one per owed digest, and a literal that spreads an object and adds
 * fields gets a new hidden class on every optimized call (Node 20).
 */
const jobOf = (chatId: number, threadId: number | null | undefined, period: string): DigestJob =>
  threadId === null || threadId === undefined ? { chatId, period } : { chatId, threadId, period };

/** The digests a page of scheduling decisions owes. */
export const owedDigests = (decisions: readonly ChatDecision[]): DigestJob[] =>
  decisions.flatMap((decision) => (decision.deliver ? [jobOf(decision.chatId, decision.threadId, decision.deliver.key)] : []));
