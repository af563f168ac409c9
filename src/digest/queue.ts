import { setMaxListeners } from "node:events";
import { DelayedError, Job, Queue, UnrecoverableError, Worker, type JobsOptions } from "bullmq";
import pLimit from "p-limit";
import { HOLDER_STOPPED, type Delivery, type HeldDelivery, type PendingDelivery, type ReleasedHeld, type Store } from "../store/types.js";
import {
  createDeliverOne,
  isLastAttempt,
  keepCrashed,
  keepInOutbox,
  storeThatWaits,
  type DeliverOne,
  type DigestFinished,
  type DeliveryOptions,
  type DeliveryOutcome,
  type Kept,
  type OutboxKeeping,
} from "./deliver-one.js";
import type { DigestJob } from "./digest-jobs.js";

export type DigestQueueOptions = DeliveryOptions & {
  redisUrl: string;
  /** Key prefix of the queue in Redis (instances that share a queue share it). */
  prefix?: string;
  /** Jobs the worker runs at once (JOBS_AT_ONCE unless given). */
  concurrency?: number;
  attempts?: number;
  now?: () => Date;
};

/**
 * A tick page's owed digests as one job: each digest's first try. A digest that is to be tried again (a failed
 * attempt, a 429 again and again, a stop before sending) goes on as a job of its own, which BullMQ retries and delays.
 * One job a page rather than a digest: enqueueing 10,000 jobs at once cost both instances' ticks most of the first
 * two seconds of a paid broadcast (0039).
 */
export type PageJob = { digests: DigestJob[] };
type QueuedJob = PageJob | DigestJob;
const PAGE = "page";
const DIGEST = "digest";

const QUEUE_NAME = "digests";
/**
 * Jobs a worker runs at once: two pages, so that while one page's job ends and the next is fetched, the other page's
 * digests keep the lanes busy. A digest's job of its own (a retry) takes one of these places too. Bench part 3d (two
 * instances, 1,000 a second) was best with 2 jobs and 20 digests in flight among the shapes tried (0039).
 */
export const JOBS_AT_ONCE = 2;
/**
 * Digests of pages an instance has in flight at once, whichever page they come from. A digest spends most of its time
 * on Redis and the network (the claim, the budget's step, the record), not waiting for the budget, so an instance has
 * more in flight than the SQLite sender's 3 to keep the shared budget full. Only these, and digests' jobs of their
 * own, can go out twice when a job's lock is lost (Redis away longer than the lock).
 */
export const DIGESTS_IN_FLIGHT = 20;
const PREFIX = "vb-bull";
const DAY_MS = 24 * 60 * 60 * 1000;
/** BullMQ's backoff of a digest's job, and the wait before a page's failed digest is tried again as a job of its own. */
const RETRY_AFTER_MS = 60_000;

/**
 * A digest's name in job ids: one per chat (or topic) and period.
 * BullMQ job ids may not contain ":", which an instant period's timestamp does ("i2025-09-05T10:30:00Z"): the period
 * is percent-encoded, which keeps ids distinct and leaves daily and weekly ids ("d2025-09-05") as they were. A forum
 * topic's digest has its thread after the chat ("-100123_t45_d2025-09-05"); a chat's own keeps the id it always had.
 */
export const jobIdOf = ({ chatId, threadId, period }: DigestJob) =>
  threadId === null || threadId === undefined
    ? `${chatId}_${encodeURIComponent(period)}`
    : `${chatId}_t${threadId}_${encodeURIComponent(period)}`;

/**
 * The sweep's job id of a digest waiting in the queue: its digest's, and the time it has been due since. Sweeps of
 * every instance, tick after tick, enqueue a waiting digest once; a digest put back since (due from a new time) is
 * enqueued again, however recently a sweep's job ran under its earlier id (and found it held by its page's job).
 */
export const sweepJobIdOf = (pending: PendingDelivery) => `${jobIdOf(pending)}_${pending.nextAttemptAt.getTime()}`;

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

/**
 * A digest job's outcome as BullMQ keeps it: the job's result, or the error that tells BullMQ to fail the job for
 * good, retry it after its backoff, or put it back for later. A failed attempt stays with the job (not in the outbox):
 * its delivery is the job's to claim again when BullMQ tries again.
 */
async function settle(
  keeping: OutboxKeeping,
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
      await keeping.store.putBack(delivery.id, keeping.at(outcome.afterMs), outcome.reason);
      if (outcome.afterMs === 0) return Worker.RateLimitError();
      await job.moveToDelayed(Date.now() + outcome.afterMs, token);
      return new DelayedError();
    case "failed attempt": {
      // The last by the store's count, or the job's last (BullMQ also counts the attempts a store failure ended before
      // any claim): a job BullMQ fails for good must not leave its delivery sending.
      const last = isLastAttempt(delivery, keeping.maxAttempts) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await keeping.attemptFailed(delivery, outcome, { attempts: delivery.attempts, last });
      if (last) return new UnrecoverableError(outcome.reason);
      return outcome.error instanceof Error ? outcome.error : new Error(outcome.reason);
    }
  }
}

/** A digest as a job of its own: its key alone as the job's data (a delivery or a held one carries more), and `opts`. */
const digestJob = ({ chatId, threadId, period }: DigestJob, opts: JobsOptions) => ({
  name: DIGEST,
  data: { chatId, threadId, period },
  opts,
});

/** The queue's jobs in Redis, and how digests become jobs of their own. */
function openJobs(options: DigestQueueOptions, maxAttempts: number) {
  const queue = new Queue<QueuedJob>(QUEUE_NAME, {
    connection: connectionOf(options.redisUrl),
    prefix: options.prefix ?? PREFIX,
    defaultJobOptions: {
      attempts: maxAttempts,
      backoff: { type: "exponential", delay: RETRY_AFTER_MS },
      // Finished jobs stay a while: their ids are what makes a repeated enqueue a no-op.
      removeOnComplete: { age: (3 * DAY_MS) / 1000 },
      removeOnFail: { age: (7 * DAY_MS) / 1000 },
    },
  });
  /** Waiting digests as jobs of their own, under the sweep's ids; an id already in the queue (or recently finished) is left as it is. */
  async function addDigests(pending: readonly PendingDelivery[]): Promise<void> {
    if (pending.length === 0) return;
    await queue.addBulk(pending.map((waiting) => digestJob(waiting, { jobId: sweepJobIdOf(waiting) })));
  }
  /**
   * Digests passed on (a page's, or a stopped holder's put back), due `delayMs` from now, each as a job with an id of
   * BullMQ's own: a job that ran before for the same digest does not keep it out, nor does one passed on before by
   * the same page run again. Two jobs naming a digest do not both send it: the store's holder.
   */
  async function passDigestsOn(digests: readonly DigestJob[], delayMs: number): Promise<void> {
    if (digests.length === 0) return;
    const opts = delayMs > 0 ? { delay: delayMs } : {};
    await queue.addBulk(digests.map((digest) => digestJob(digest, opts)));
  }
  const passDigestOn = (digest: DigestJob, delayMs: number) => passDigestsOn([digest], delayMs);
  return { queue, addDigests, passDigestOn, passDigestsOn };
}

/**
 * How long after a job finished (completed or failed) its deliveries still sending are put back. A job BullMQ fails
 * after it stalled twice may still be running in the process that lost its lock, with digests in flight that send
 * and record themselves within moments; the sweep waits as long as for a lost job (LOST_JOB_AFTER_MS in delivery.ts).
 */
const STOPPED_HOLDER_AFTER_MS = 5 * 60 * 1000;

/**
 * Whether the job holding deliveries will never run again: gone (removed), or finished long enough ago, by BullMQ's
 * own record of when (the machine's clock, as BullMQ keeps it).
 */
async function holderStopped(queue: Queue<QueuedJob>, holder: string): Promise<boolean> {
  const job = await Job.fromId(queue, holder);
  if (!job) return true;
  const state = await job.getState();
  // "unknown": the job's record is left but it is in none of BullMQ's lists, so nothing will run it.
  if (state === "unknown") return true;
  if (state !== "completed" && state !== "failed") return false;
  return job.finishedOn !== undefined && job.finishedOn <= Date.now() - STOPPED_HOLDER_AFTER_MS;
}

/** Held deliveries by their holder. */
function byHolder(held: readonly HeldDelivery[]): Map<string, HeldDelivery[]> {
  const holders = new Map<string, HeldDelivery[]>();
  for (const delivery of held) {
    const deliveries = holders.get(delivery.holder);
    if (deliveries) deliveries.push(delivery);
    else holders.set(delivery.holder, [delivery]);
  }
  return holders;
}

/** What handing back a stopped holder's deliveries needs: the store, the queue's pass-on, and who hears of a failure. */
type HandBack = Pick<ReturnType<typeof openJobs>, "queue" | "passDigestsOn"> & {
  store: Store;
  logger: DigestQueueOptions["logger"];
  now: () => Date;
  maxAttempts: number;
  finished?: DigestFinished | undefined;
};

/**
 * A stopped holder's deliveries, in one step of the store: one at its last attempt fails for good, logged and told
 * (onFinished: counted, and the operators alerted) as any digest's last failed attempt is; any other goes on as a
 * job of its own.
 */
async function handBack(parts: HandBack, holder: string, held: readonly HeldDelivery[]): Promise<ReleasedHeld> {
  const { store, logger, now, maxAttempts, finished, passDigestsOn } = parts;
  const done = await store.releaseHeld(
    held.map((delivery) => delivery.id),
    holder,
    { at: now(), maxAttempts },
  );
  await passDigestsOn(
    held.filter((delivery) => done.released.includes(delivery.id)),
    0,
  );
  for (const { id, chatId } of held.filter((delivery) => done.failed.includes(delivery.id))) {
    logger.error({ chat_id: chatId, delivery_id: id, holder }, "digest failed for good: its job stopped at its last attempt");
    finished?.("failed", { chatId, error: HOLDER_STOPPED });
  }
  return done;
}

/**
 * Deliveries held by a job that will never run again are handed back (handBack). A job BullMQ fails after it stalled
 * twice, or that failed for good while its store refused to record an outcome, leaves its deliveries sending, and a
 * sending delivery is only its holder's to take. Every instance looks after each tick: the store's step acts only on
 * deliveries still held, so of instances sweeping at once only the first hands a digest back.
 */
function strandedDeliveries(parts: HandBack) {
  return async function releaseStranded(limit: number): Promise<ReleasedHeld> {
    const done: ReleasedHeld = { released: [], failed: [] };
    for (const [holder, held] of byHolder(await parts.store.heldDeliveries(limit))) {
      if (!(await holderStopped(parts.queue, holder))) continue;
      const { released, failed } = await handBack(parts, holder, held);
      done.released.push(...released);
      done.failed.push(...failed);
    }
    if (done.released.length > 0)
      parts.logger.warn({ released: done.released.length }, "digests held by a job that stopped are queued again");
    return done;
  };
}

/** What the worker's jobs need: the delivery, how its outcomes are kept, and how a digest goes on as a job. */
type JobParts = Pick<DeliverOne, "deliverOne"> & {
  keeping: OutboxKeeping;
  now: () => Date;
  passDigestOn: ReturnType<typeof openJobs>["passDigestOn"];
};

/** The worker's processor: a page's job or a digest's, each taking its deliveries from the store as their holder. */
function jobProcessor({ deliverOne, keeping, now, passDigestOn }: JobParts) {
  const { store, crashed } = keeping;

  /** A digest's job: its delivery, held by the job, sent and settled; retried, delayed or failed by BullMQ. */
  async function deliverDigest(job: Job<DigestJob>, token?: string): Promise<string> {
    let delivery: Delivery | undefined;
    let settled: string | Error;
    try {
      [delivery] = await store.claimDeliveriesFor([job.data], job.id!, now());
      if (!delivery) return "not owed";
      settled = await settle(keeping, job, token, delivery, await deliverOne(delivery));
    } catch (error) {
      // A store or render failure: BullMQ tries the job again after its backoff.
      crashed(delivery?.id, error);
      throw error;
    }
    if (settled instanceof Error) throw settled;
    return settled;
  }

  /**
   * One digest of a page, held by the page's job: its outcome kept in the outbox as the outbox sender keeps it, and
   * one due again goes on as a job of its own, due when it is to be tried again.
   */
  async function deliverFromPage(delivery: Delivery): Promise<void> {
    let kept: Kept;
    try {
      kept = await keepInOutbox(keeping, delivery, await deliverOne(delivery));
    } catch (error) {
      // A store or render failure: the delivery is tried again later, as a failed attempt is.
      kept = await keepCrashed(keeping, delivery, error);
    }
    if (typeof kept !== "object") return;
    await passDigestOn(delivery, kept.againInMs);
  }

  // The instance's digests in flight, whichever of its pages they come from.
  const lanes = pLimit(DIGESTS_IN_FLIGHT);

  /**
   * A page's job: its deliveries claimed in one step, then sent in the instance's lanes. If one fails (the store away
   * too long), the job fails once all its digests have settled, and BullMQ runs it again: its deliveries still sending
   * are its own to take again, and none of the first run's is still on its way. Its lock lost (`lockLost`: the job is
   * another run's, or soon will be), it starts no further digest: the run that has the page takes them, and only the
   * digests in flight can go twice.
   */
  async function deliverPage(job: Job<PageJob>, lockLost?: AbortSignal): Promise<string> {
    if (lockLost?.aborted) return "lock lost";
    const deliveries = await store.claimDeliveriesFor(job.data.digests, job.id!, now());
    let started = 0;
    const deliver = async (delivery: Delivery) => {
      if (lockLost?.aborted) return;
      started++;
      await deliverFromPage(delivery);
    };
    const settled = await Promise.allSettled(deliveries.map((delivery) => lanes(deliver, delivery)));
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    return `${started} of ${job.data.digests.length} digests`;
  }

  // Three parameters: BullMQ hands the job's abort signal only to a processor that takes a third.
  return (job: Job<QueuedJob>, token?: string, lockLost?: AbortSignal) =>
    job.name === PAGE ? deliverPage(job as Job<PageJob>, lockLost) : deliverDigest(job as Job<DigestJob>, token);
}

/**
 * Digest delivery for several instances: BullMQ keeps the jobs in Redis, the shared send budget keeps all workers
 * together under Telegram's rate (behind every instance's replies), and each job takes its delivery from the store
 * (which knows whether it is still owed, and lets only the job holding a delivery take it again).
 */
export function createDigestQueue(options: DigestQueueOptions) {
  const { logger } = options;
  const maxAttempts = options.attempts ?? 5;
  const store = storeThatWaits(options.store, options.storeWaitMs);
  // Aborted by close(): a digest still waiting for its slot goes back to the queue instead of holding the shutdown up
  // (a group's full minute, or a long 429, can keep a slot away for a minute or more), and a notice still waiting is
  // given up (logged).
  const closing = new AbortController();
  // Each digest waiting for its slot listens for it: more than Node's default of 10 listeners, and no leak.
  setMaxListeners(DIGESTS_IN_FLIGHT + (options.concurrency ?? JOBS_AT_ONCE), closing.signal);
  const { deliverOne, attemptFailed, crashed } = createDeliverOne({ ...options, store, signal: closing.signal });
  const now = options.now ?? (() => new Date());
  // A page's digest that failed is tried again a minute later, then by its own job's backoff.
  const at = (afterMs: number) => new Date(now().getTime() + afterMs);
  const keeping: OutboxKeeping = { store, attemptFailed, crashed, maxAttempts, backoffMs: () => RETRY_AFTER_MS, at };
  const jobs = openJobs(options, maxAttempts);
  const { queue, addDigests, passDigestOn } = jobs;
  const deliverJob = jobProcessor({ deliverOne, keeping, now, passDigestOn });
  const releaseStranded = strandedDeliveries({ ...jobs, store: options.store, logger, now, maxAttempts, finished: options.onFinished });

  let worker: Worker<QueuedJob> | undefined;

  return {
    queue,
    /** Enqueues a tick page's digests as one job. */
    async enqueuePage(digests: readonly DigestJob[]): Promise<number> {
      if (digests.length > 0) await queue.add(PAGE, { digests: [...digests] });
      return digests.length;
    },
    /** Enqueues waiting digests (the sweep's) as jobs of their own; one already enqueued under its sweep id is left as it is. */
    async enqueue(pending: readonly PendingDelivery[]): Promise<number> {
      await addDigests(pending);
      return pending.length;
    },
    /** Up to `limit` deliveries held by jobs that will never run again: put back as jobs of their own, or failed at their last attempt. */
    releaseStranded,
    /** Starts this instance's worker: `concurrency` jobs at a time, all instances together within the send budget. */
    start(): void {
      if (worker) return;
      const started = new Worker<QueuedJob>(QUEUE_NAME, deliverJob, {
        connection: connectionOf(options.redisUrl),
        prefix: options.prefix ?? PREFIX,
        concurrency: options.concurrency ?? JOBS_AT_ONCE,
      });
      started.on("error", (error: Error) => logger.error({ err: error }, "digest worker error"));
      // A job whose lock has expired (Redis was away past the lock's time) is another run's, now or once BullMQ's check
      // for stalled jobs gives it back to the queue.
      started.on("lockRenewalFailed", (jobIds) => {
        for (const jobId of jobIds) started.cancelJob(jobId, "lock lost");
      });
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
