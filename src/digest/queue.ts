import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Delivery } from "../store/types.js";
import {
  createDeliverOne,
  storeThatWaits,
  type DeliverOne,
  type DeliveryOptions,
  type DeliveryOutcome,
  type DeliveryStore,
} from "./deliver-one.js";
import type { DigestJob } from "./digest-jobs.js";

export type DigestQueueOptions = DeliveryOptions & {
  redisUrl: string;
  /** Key prefix of the queue in Redis (instances that share a queue share it). */
  prefix?: string;
  concurrency?: number;
  attempts?: number;
  now?: () => Date;
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

/** What settling an outcome needs: the outbox, the clock and the record of a failed attempt. */
type Settling = { store: DeliveryStore; now: () => Date; attemptFailed: DeliverOne["attemptFailed"] };

/**
 * The outcome as BullMQ keeps it: the job's result, or the error that tells BullMQ to fail the job for good, retry
 * it after its backoff, or put it back for later.
 */
async function settle(
  { store, now, attemptFailed }: Settling,
  job: Job<DigestJob>,
  token: string | undefined,
  delivery: Delivery,
  outcome: DeliveryOutcome,
) {
  switch (outcome.kind) {
    case "sent":
    case "empty":
      return outcome.kind;
    case "dropped":
      // Failed for good at once, although attempts remain: the chat (or topic) is gone.
      return new UnrecoverableError(`${outcome.reason}: ${outcome.error}`);
    case "requeue":
      // Not an attempt, neither of the delivery nor of the job: back to the queue for the next worker, in this
      // instance or another, at once (stopping before sending) or after retry_after (a 429 again and again).
      await store.putBack(delivery.id, new Date(now().getTime() + outcome.afterMs), outcome.reason);
      if (outcome.afterMs === 0) return Worker.RateLimitError();
      await job.moveToDelayed(Date.now() + outcome.afterMs, token);
      return new DelayedError();
    case "failed attempt": {
      const attempts = job.attemptsMade + 1;
      await attemptFailed(delivery, outcome, { attempts, last: attempts >= (job.opts.attempts ?? 1) });
      // BullMQ tries again after its backoff, or, after the last attempt, keeps the job as failed.
      return outcome.error instanceof Error ? outcome.error : new Error(outcome.reason);
    }
  }
}

/**
 * Digest delivery for several instances: BullMQ keeps the jobs in Redis, the shared send budget keeps all workers
 * together under Telegram's rate (behind every instance's replies), and each job takes its delivery from the store
 * (which knows whether it is still owed).
 */
export function createDigestQueue(options: DigestQueueOptions) {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const store = storeThatWaits(options.store, options.storeWaitMs);
  const connection = connectionOf(options.redisUrl);
  // Aborted by close(): a job still waiting for its slot goes back to the queue instead of holding the shutdown up
  // (a group's full minute, or a long 429, can keep a slot away for a minute or more), and a notice still waiting is
  // given up (logged).
  const closing = new AbortController();
  const { deliverOne, attemptFailed, crashed } = createDeliverOne({ ...options, store, signal: closing.signal });
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

  async function deliverJob(job: Job<DigestJob>, token?: string): Promise<string> {
    const { chatId, period, threadId } = job.data;
    let delivery: Delivery | undefined;
    let settled: string | Error;
    try {
      delivery = await store.claimDeliveryFor(chatId, period, now(), threadId ?? null);
      if (!delivery) return "not owed";
      settled = await settle({ store, now, attemptFailed }, job, token, delivery, await deliverOne(delivery));
    } catch (error) {
      // A store or render failure: BullMQ tries the job again after its backoff.
      crashed(delivery?.id, error);
      throw error;
    }
    if (settled instanceof Error) throw settled;
    return settled;
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
