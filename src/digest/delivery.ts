import type { Api } from "grammy";
import type { Logger } from "../logger.js";
import type { DigestRenderer } from "../render/digest.js";
import type { ChatDecision, Store } from "../store/types.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import { owedDigests } from "./digest-jobs.js";
import type { DigestQueue } from "./queue.js";
import type { DigestFinished, DigestSender, DrainResult } from "./sender.js";

/**
 * How the owed digests reach their chats, as the scheduler sees it: the same few steps whichever way delivers them
 * (the outbox sender of one machine, or the BullMQ queue several instances share). Only the backend (src/app/
 * backend.ts) chooses the way; the scheduler, health and metrics talk to this.
 */
export type DigestDelivery = {
  /** Once, before the first tick: what the last stop left half done is owed again. */
  recover(): Promise<void>;
  /** Told each page of a tick's decisions once the store has recorded them. */
  afterPage?: (decisions: readonly ChatDecision[]) => Promise<unknown>;
  /** After each tick (at `tickAt`): delivers what is owed, or hands on what was lost; what it delivered, if it waits. */
  afterTick(tickAt: Date): Promise<Partial<DrainResult>>;
  /** Whether the delivery's own service answers (the queue's Redis); absent when it has none of its own. */
  healthy?(): Promise<boolean>;
  /** Jobs by state, for the metrics; absent when the store's figures say it all. */
  counts?(): Promise<Record<string, number>>;
  /** Stops taking deliveries; what is in flight finishes or goes back. */
  stop(): Promise<void>;
};

/**
 * What a delivery takes from the bot, which exists only once createBot has run: the Api digests go out on (without
 * the replies' transformers), the notices' Api, the current renderer, the bot's API capabilities, the logger and who
 * hears how each one ended.
 */
export type DeliveryParts = {
  api: Api;
  notices: Api;
  renderer: () => DigestRenderer;
  /** The bot's: a server found without rich messages is done without by replies and digests alike. */
  capabilities: ApiCapabilities;
  logger: Logger;
  onFinished?: DigestFinished;
};

/** The outbox sender (SQLite, one machine): each tick's digests are drained at once by this process. */
export function outboxDelivery(sender: DigestSender, { store, logger }: { store: Store; logger: Logger }): DigestDelivery {
  return {
    async recover() {
      // Claimed by the last process and neither sent nor given back: none went out (a claim precedes the send).
      const requeued = await store.requeueInterrupted();
      if (requeued > 0) logger.warn({ requeued }, "deliveries interrupted by the last stop are queued again");
    },
    async afterTick() {
      const drained = await sender.drain();
      if (drained.sent + drained.failed + drained.dropped > 0) logger.info(drained, "digests delivered");
      return drained;
    },
    stop: () => sender.stop(),
  };
}

/** A digest the store queued this long ago and no job has taken is re-enqueued (the store's holder keeps it single). */
const LOST_JOB_AFTER_MS = 5 * 60 * 1000;
const SWEEP_LIMIT = 1000;

/** The shared queue (Redis and BullMQ, several instances): each page's digests are enqueued, as one job, as the tick goes. */
export function queueDelivery(queue: DigestQueue, { store }: { store: Store }): DigestDelivery {
  return {
    // Jobs live in Redis: a job a stopped worker held goes back to the queue by BullMQ's own rules.
    recover: async () => undefined,
    afterPage: (decisions) => queue.enqueuePage(owedDigests(decisions)),
    async afterTick(tickAt) {
      // Recorded, or put back, but never enqueued (a crash between the two): enqueued again, each digest a job of its
      // own. The sweep's job id (the digest and the time it is due since) keeps it single among sweeps, and the
      // store's holder keeps it from going out twice beside a page's job.
      await queue.enqueue(await store.pendingDeliveries(new Date(tickAt.getTime() - LOST_JOB_AFTER_MS), SWEEP_LIMIT));
      // Held by a job that will never run again (failed for good, or stalled twice): put back, each a job of its own.
      await queue.releaseStranded(SWEEP_LIMIT);
      return {};
    },
    healthy: () => queue.healthy(),
    counts: () => queue.counts(),
    stop: () => queue.close(),
  };
}
