import cron from "node-cron";
import type { Logger } from "../logger.js";
import type { Store } from "../store/types.js";
import type { DigestDelivery } from "./delivery.js";
import type { DrainResult } from "./sender.js";
import { tick, type TickResult } from "./tick.js";

export type DigestScheduler = {
  /** One tick now, resolving when the delivery has done its part of it (tests and start-up use this). */
  runNow(): Promise<TickResult & Partial<DrainResult>>;
  /** When the last tick ran, if any: health checks show it. */
  lastTickAt(): Date | undefined;
  isRunning(): boolean;
  /** Stops ticking, then stops the delivery. */
  stop(): Promise<void>;
};

/**
 * Ticks on a cron expression: each tick records what is owed and hands it to the delivery (the outbox sender of one
 * machine, or the shared queue of several instances; the scheduler does not know which).
 */
export async function startDigestScheduler(options: {
  expression: string;
  store: Store;
  delivery: DigestDelivery;
  logger: Logger;
  /** The content mark of the content as it is now (it can change while the bot runs): asked for at each tick. */
  contentMark: () => string;
  now?: () => Date;
  /** Told what each tick found owed (metrics count it). */
  onTick?: (planned: TickResult) => void;
}): Promise<DigestScheduler> {
  const { store, logger, delivery, contentMark } = options;
  const now = options.now ?? (() => new Date());
  await delivery.recover();

  let lastTick: Date | undefined;
  let running = true;
  async function runNow() {
    const tickAt = now();
    lastTick = tickAt;
    const planned = await tick({
      store,
      now: tickAt,
      contentMark,
      logger,
      ...(delivery.afterPage ? { afterPage: delivery.afterPage } : {}),
    });
    options.onTick?.(planned);
    if (planned.queued > 0) logger.info(planned, "digests queued");
    return { ...planned, ...(await delivery.afterTick(tickAt)) };
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
      await delivery.stop();
    },
  };
}
