import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Api } from "grammy";
import type { Logger } from "../logger.js";
import type { DigestRenderer } from "../render/digest.js";
import type { ChatDecision, Store } from "../store/types.js";
import { digestSlotsOf } from "../telegram/paid-broadcast.js";
import type { SendBudget } from "../telegram/send-budget.js";
import { classifySendError } from "../telegram/send-errors.js";
import { digestOfDelivery, sendDigest, tellTopicStopped, type DigestFinished } from "./sender.js";

/** One owed digest: a chat (and forum topic: absent or null is the chat itself) and period. */
export type DigestJob = { chatId: number; threadId?: number | null; period: string };

export type DigestQueueOptions = {
  redisUrl: string;
  /** Sends without the replies' transformers: a 429 is waited out here, through the send budget. */
  api: Api;
  /** The Api of the run's messages that are not digests (createNoticesApi): its turn behind replies, 429s waited out. */
  notices: Api;
  store: Store;
  /** The current digest renderer: content can change during a run, and each delivery renders with the current one. */
  renderer: () => DigestRenderer;
  /**
   * The send budget every instance shares (Redis windows): it paces digests overall and per group, behind the
   * replies of every instance.
   */
  limiter: SendBudget;
  logger: Logger;
  /** Key prefix of the queue in Redis (instances that share a queue share it). */
  prefix?: string;
  concurrency?: number;
  attempts?: number;
  now?: () => Date;
  /** Told of each delivery that ends (metrics count them; a failure for good alerts the operators). */
  onFinished?: DigestFinished;
  /** How long a job waits for an unreachable store (a Redis restart) before it fails like any other attempt. */
  storeWaitMs?: number;
};

const QUEUE_NAME = "digests";
/**
 * Jobs in flight per instance. A job spends most of its time on Redis and the network (BullMQ's own steps, the
 * delivery's claim and record), not waiting for the budget, so it takes more jobs at once than the SQLite sender's 3
 * to keep the shared budget full (bench part 3b: 0.96 of the rate with 6, 1.01 with 10; more than 10 did not help at
 * 1,000 a second).
 */
export const DIGEST_JOBS_AT_ONCE = 10;
const PREFIX = "vb-bull";
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One job per (chat, period), so enqueueing the same digest twice — from two instances, or again — is a no-op.
 * BullMQ job ids may not contain ":", which an instant period's timestamp does ("i2025-09-05T10:30:00Z"): the period
 * is percent-encoded, which keeps ids distinct and leaves daily and weekly ids ("d2025-09-05") as they were. A forum
 * topic's digest has its thread after the chat ("-100123_t45_d2025-09-05"); a chat's own keeps the id it always had.
 */
export const jobIdOf = ({ chatId, threadId, period }: DigestJob) =>
  threadId === null || threadId === undefined
    ? `${chatId}_${encodeURIComponent(period)}`
    : `${chatId}_t${threadId}_${encodeURIComponent(period)}`;

/** The digests a page of scheduling decisions owes. */
export const owedDigests = (decisions: readonly ChatDecision[]): DigestJob[] =>
  decisions.flatMap((decision) =>
    decision.deliver ? [{ chatId: decision.chatId, ...threadOf(decision.threadId), period: decision.deliver.key }] : [],
  );

/** A job names its thread only when it has one, so that thread-less jobs look as they always did. */
const threadOf = (threadId: number | null | undefined) => (threadId === null || threadId === undefined ? {} : { threadId });

function connectionOf(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ's workers block on Redis; it asks for this.
    maxRetriesPerRequest: null,
  };
}

const STORE_RETRY_MS = 500;
/** 429s one job waits out in a row, through the budget, before it goes back to the queue. */
const MAX_FLOOD_WAITS = 5;
const DEFAULT_STORE_WAIT_MS = 2 * 60 * 1000;

/**
 * Runs a store call again while the store does not answer (Redis restarting), instead of failing the job: a failed
 * attempt waits a minute or more before BullMQ tries again, and a store that comes back within seconds should cost
 * the broadcast seconds. An error from a store that answers is a real one and is thrown at once.
 */
export async function whileStoreAway<T>(store: Pick<Store, "healthy">, call: () => Promise<T>, waitMs: number): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() >= giveUpAt || (await store.healthy())) throw error;
      await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
    }
  }
}

/**
 * Digest delivery for several instances: BullMQ keeps the jobs in Redis, the shared send budget keeps all workers
 * together under Telegram's rate (behind every instance's replies), and each job takes its delivery from the store
 * (which knows whether it is still owed).
 */
export function createDigestQueue(options: DigestQueueOptions) {
  const { api, store, renderer, limiter, logger } = options;
  const now = options.now ?? (() => new Date());
  const finished: DigestFinished = options.onFinished ?? (() => undefined);
  const storeWaitMs = options.storeWaitMs ?? DEFAULT_STORE_WAIT_MS;
  const stored = <T>(call: () => Promise<T>) => whileStoreAway(store, call, storeWaitMs);
  const connection = connectionOf(options.redisUrl);
  const digestOf = digestOfDelivery(api);
  // Paid broadcasts (the Api sends them) count in the paid rate alone; any other digest in the free 30 a second.
  const digestSlots = digestSlotsOf(api);
  // Aborted by close(): a job still waiting for its slot goes back to the queue instead of holding the shutdown up
  // (a group's full minute, or a long 429, can keep a slot away for a minute or more), and a notice still waiting is
  // given up (logged).
  const closing = new AbortController();
  const queue = new Queue<DigestJob>(QUEUE_NAME, {
    connection,
    prefix: options.prefix ?? PREFIX,
    defaultJobOptions: {
      attempts: options.attempts ?? 5,
      backoff: { type: "exponential", delay: 60_000 },
      // Finished jobs stay a while: their ids are what makes a repeated enqueue a no-op.
      removeOnComplete: { age: (3 * DAY_MS) / 1000 },
      removeOnFail: { age: (7 * DAY_MS) / 1000 },
    },
  });

  async function deliverJob(job: Job<DigestJob>): Promise<string> {
    const delivery = await stored(() => store.claimDeliveryFor(job.data.chatId, job.data.period, now(), job.data.threadId ?? null));
    if (!delivery) return "not owed";
    const digests = renderer();
    const digest = await digestOf(digests, delivery);
    if (!digest) {
      await stored(() => store.markEmpty(delivery.id));
      finished("empty", { chatId: delivery.chatId });
      return "empty";
    }
    let chatId = delivery.chatId;
    let moved = false;
    let floods = 0;
    for (;;) {
      const slot = await limiter.acquire(chatId, digestSlots, closing.signal);
      if (!slot) {
        // Closing before this message went out: the delivery's claim is not an attempt, and the job goes back to the
        // queue unharmed (no attempt used either) for the next worker, in this instance or another.
        await stored(() => store.markRetry(delivery.id, now(), "stopped before sending", false));
        throw Worker.RateLimitError();
      }
      try {
        const message = await sendDigest(api, chatId, digest, delivery).finally(() => slot.sent());
        // Sent: it must be recorded as sent, however long the store takes to come back, or it would go out again.
        await stored(() => store.markSent(delivery.id, message.message_id, digests.contentMark));
        finished("sent", { chatId });
        return "sent";
      } catch (error) {
        const failure = classifySendError(error);
        switch (failure.kind) {
          case "flood":
            // The budget closes for every sender of every instance; this message then waits its turn again.
            await limiter.closeFor(failure.retryAfter);
            if (floods++ < MAX_FLOOD_WAITS) continue;
            // Told to wait again and again: the job goes back without using an attempt.
            await queue.rateLimit(failure.retryAfter * 1000);
            throw Worker.RateLimitError();
          case "migrated":
            // One move per delivery: a second "migrated" answer is a failure like any other.
            if (moved) break;
            await stored(() => store.moveChat(chatId, failure.toChatId));
            chatId = failure.toChatId;
            moved = true;
            continue;
          case "gone": {
            const reason = error instanceof Error ? error.message : String(error);
            finished("dropped", { chatId, stoppedNow: await stored(() => store.markDropped(delivery.id, failure.reason, reason)) });
            throw new UnrecoverableError(`${failure.reason}: ${reason}`);
          }
          case "topic gone": {
            // Only this topic's subscription stops; the group and its other topics go on.
            const reason = error instanceof Error ? error.message : String(error);
            const stoppedNow = await stored(() => store.markDropped(delivery.id, failure.reason, reason));
            finished("dropped", { chatId, stoppedNow });
            // A topic closed by its administrators (its service message stopped the digest already) needs no notice.
            if (stoppedNow) await tellTopicStopped(options, delivery, chatId, failure.reason, closing.signal);
            throw new UnrecoverableError(`${failure.reason}: ${reason}`);
          }
          case "other":
            break;
        }
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          const reason = error instanceof Error ? error.message : String(error);
          await stored(() => store.markFailed(delivery.id, reason));
          finished("failed", { chatId, error: reason });
        }
        throw error;
      }
    }
  }

  let worker: Worker<DigestJob> | undefined;

  return {
    queue,
    /** Enqueues digests; one already enqueued (or recently finished) under the same id is left as it is. */
    async enqueue(digests: readonly DigestJob[]): Promise<number> {
      if (digests.length > 0) {
        await queue.addBulk(digests.map((data) => ({ name: "digest", data: { ...data }, opts: { jobId: jobIdOf(data) } })));
      }
      return digests.length;
    },
    /** Starts this instance's worker: `concurrency` jobs at a time, all instances together within the send budget. */
    start(): void {
      if (worker) return;
      const started = new Worker<DigestJob>(QUEUE_NAME, deliverJob, {
        connection,
        prefix: options.prefix ?? PREFIX,
        concurrency: options.concurrency ?? DIGEST_JOBS_AT_ONCE,
      });
      started.on("failed", (job: Job<DigestJob> | undefined, error: Error) => {
        if (!(error instanceof UnrecoverableError)) logger.warn({ err: error, job: job?.id }, "digest job failed");
      });
      started.on("error", (error: Error) => logger.error({ err: error }, "digest worker error"));
      worker = started;
    },
    /** Jobs by state, for the metrics. */
    counts: () => queue.getJobCounts("waiting", "active", "delayed", "prioritized", "failed"),
    async healthy(): Promise<boolean> {
      try {
        await queue.getJobCounts("waiting");
        return worker?.isRunning() ?? true;
      } catch {
        return false;
      }
    },
    /**
     * Stops taking jobs; a job waiting for its slot goes back to the queue, one whose message is out is recorded, and
     * a notice still waiting for its turn is given up.
     */
    async close(): Promise<void> {
      closing.abort();
      await worker?.close();
      await queue.close();
    },
  };
}
export type DigestQueue = ReturnType<typeof createDigestQueue>;
