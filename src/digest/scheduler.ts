import cron from "node-cron";
import type { Logger } from "../logger.js";
import type { Store } from "../store/types.js";
import { owedDigests, type DigestQueue } from "./queue.js";
import type { DigestSender, DrainResult } from "./sender.js";
import { tick, type TickResult } from "./tick.js";

export type DigestScheduler = {
  /** One tick now, resolving when the sender has drained what it queued (tests and start-up use this). */
  runNow(): Promise<TickResult & Partial<DrainResult>>;
  /** When the last tick ran, if any: health checks show it. */
  lastTickAt(): Date | undefined;
  isRunning(): boolean;
  stop(): Promise<void>;
};

/** A digest the store queued this long ago and no job has taken is re-enqueued (the job id makes that safe). */
const LOST_JOB_AFTER_MS = 5 * 60 * 1000;
const SWEEP_LIMIT = 1000;

/**
 * Ticks on a cron expression: each tick records what is owed, then either wakes this process's sender (one
 * machine, SQLite) or enqueues the owed digests on the shared queue (several instances, Redis and BullMQ).
 */
export async function startDigestScheduler(options: {
  expression: string;
  store: Store;
  delivery: { sender: DigestSender } | { queue: DigestQueue };
  logger: Logger;
  /** The content mark of the content as it is now (it can change while the bot runs): asked for at each tick. */
  contentMark: () => string;
  now?: () => Date;
  /** Told what each tick found owed (metrics count it). */
  onTick?: (planned: TickResult) => void;
}): Promise<DigestScheduler> {
  const { store, logger, delivery, contentMark } = options;
  const now = options.now ?? (() => new Date());
  if ("sender" in delivery) {
    const requeued = await store.requeueInterrupted();
    if (requeued > 0) logger.warn({ requeued }, "deliveries interrupted by the last stop are queued again");
  }

  let lastTick: Date | undefined;
  let running = true;
  async function runNow() {
    lastTick = now();
    if ("queue" in delivery) {
      const { queue } = delivery;
      const planned = await tick({
        store,
        now: lastTick,
        contentMark,
        logger,
        afterPage: (decisions) => queue.enqueue(owedDigests(decisions)),
      });
      options.onTick?.(planned);
      // Recorded but never enqueued (a crash between the two): enqueue again; the job id keeps it single.
      await queue.enqueue(await store.pendingDeliveries(new Date(lastTick.getTime() - LOST_JOB_AFTER_MS), SWEEP_LIMIT));
      if (planned.queued > 0) logger.info(planned, "digests enqueued");
      return planned;
    }
    const planned = await tick({ store, now: lastTick, contentMark, logger });
    options.onTick?.(planned);
    if (planned.queued > 0) logger.info(planned, "digests queued");
    const drained = await delivery.sender.drain();
    if (drained.sent + drained.failed + drained.dropped > 0) logger.info(drained, "digests delivered");
    return { ...planned, ...drained };
  }

  const task = cron.schedule(
    options.expression,
    () => {
      // The tick itself is quick; a long broadcast keeps draining while later ticks queue more.
      runNow().catch((error: unknown) => logger.error({ err: error }, "digest tick failed"));
    },
    { name: "digest-tick", noOverlap: true },
  );

  return {
    runNow,
    lastTickAt: () => lastTick,
    isRunning: () => running,
    async stop() {
      running = false;
      await task.stop();
      if ("sender" in delivery) await delivery.sender.stop();
      else await delivery.queue.close();
    },
  };
}
