import cron from "node-cron";
import type { Logger } from "../logger.js";
import type { Store } from "../store/types.js";
import type { DigestSender, DrainResult } from "./sender.js";
import { tick, type TickResult } from "./tick.js";

export type DigestScheduler = {
  /** One tick now, resolving when the sender has drained what it queued (tests and start-up use this). */
  runNow(): Promise<TickResult & DrainResult>;
  /** When the last tick ran, if any: health checks show it. */
  lastTickAt(): Date | undefined;
  isRunning(): boolean;
  stop(): Promise<void>;
};

/** Ticks on a cron expression: each tick queues what is owed, then wakes the sender. */
export async function startDigestScheduler(options: {
  expression: string;
  store: Store;
  sender: DigestSender;
  logger: Logger;
  now?: () => Date;
}): Promise<DigestScheduler> {
  const { store, sender, logger } = options;
  const now = options.now ?? (() => new Date());
  const requeued = await store.requeueInterrupted();
  if (requeued > 0) logger.warn({ requeued }, "deliveries interrupted by the last stop are queued again");

  let lastTick: Date | undefined;
  let running = true;
  async function runNow() {
    lastTick = now();
    const planned = await tick(store, lastTick, logger);
    if (planned.queued > 0) logger.info(planned, "digests queued");
    const drained = await sender.drain();
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
      await sender.stop();
    },
  };
}
