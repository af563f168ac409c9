import { tellChannelLostOrLog } from "../digest/channel-lost.js";
import type { DeliveryParts } from "../digest/delivery.js";
import { startDigestScheduler } from "../digest/scheduler.js";
import type { DigestFinished } from "../digest/sender.js";
import type { StopRegistry } from "../lifecycle.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/index.js";
import type { Backend } from "./backend.js";
import type { BuiltBot } from "./bot.js";
import type { RunningDigests } from "./health.js";
import type { Operators } from "./operators.js";

/**
 * Starts the backend's digest delivery on the bot's parts and the scheduler that ticks on `expression`, adds their
 * stop to `stops`, fills in `running` (health, metrics) and catches up at once on what fell due while the bot was
 * down, instead of waiting for the first tick.
 */
export async function startDigests(
  running: RunningDigests,
  parts: {
    expression: string;
    backend: Backend;
    built: BuiltBot;
    metrics: Metrics;
    operators: Operators;
    logger: Logger;
    stops: StopRegistry;
  },
): Promise<void> {
  const { backend, built, metrics, logger } = parts;
  const deliveryParts = built.deliveryParts();
  const delivery = backend.startDelivery({ ...deliveryParts, onFinished: digestFinished(deliveryParts, parts) });
  running.delivery = delivery;
  if (delivery.counts) metrics.sources.queue = () => delivery.counts!();
  const scheduler = await startDigestScheduler({
    expression: parts.expression,
    store: backend.store,
    delivery,
    logger,
    contentMark: () => built.deps.edition().digests.contentMark,
    onTick: (planned) => metrics.digestsOwed(planned.queued),
  });
  running.scheduler = scheduler;
  parts.stops.add("intake", { name: "digest scheduler", stop: () => scheduler.stop() });
  scheduler.runNow().catch((error: unknown) => logger.error({ err: error }, "digest catch-up failed"));
}

/** Each delivery that ends is counted; a failure for good alerts the operators; a channel that refused is told of. */
function digestFinished(
  { notices }: DeliveryParts,
  {
    backend,
    built,
    metrics,
    operators,
    logger,
  }: { backend: Backend; built: BuiltBot; metrics: Metrics; operators: Operators; logger: Logger },
): DigestFinished {
  return (outcome, detail) => {
    metrics.digestFinished(outcome);
    if (outcome === "failed") operators.alerts?.alert("digest-failed", { chat: detail.chatId, error: detail.error ?? "" });
    // A channel that refused its digest (the bot removed, or no longer allowed to post): whoever set it up is told,
    // once: not again when the bot's removal (my_chat_member) stopped the digest while this one was in flight.
    if (outcome === "dropped" && detail.stoppedNow) {
      const told = { api: notices, store: backend.store, translators: built.deps.translators, logger };
      void tellChannelLostOrLog(told, detail.chatId);
    }
  };
}
