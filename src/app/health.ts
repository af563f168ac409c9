import type { DigestDelivery } from "../digest/delivery.js";
import type { DigestScheduler } from "../digest/scheduler.js";
import type { Metrics } from "../metrics/index.js";
import type { Health } from "../ops-http.js";
import type { Store } from "../store/types.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";

/** A check that does not answer within this time fails: /healthz answers even while Redis is away. */
export const HEALTH_CHECK_MS = 2_000;
/** Bot API calls failing (network, server errors) with no answer for this long make /healthz fail. */
const API_SILENCE_MS = 5 * 60 * 1000;

/** The check's answer, or false when it fails or does not answer within `ms`. */
export const within = (check: Promise<boolean>, ms: number) =>
  Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

/** The digest parts once they have started (until then the scheduler reads as not running). */
export type RunningDigests = { delivery?: DigestDelivery; scheduler?: DigestScheduler };

/**
 * What GET /healthz reports: the store, the scheduler, the delivery's own service when it has one (the queue's
 * Redis), and whether Telegram answers.
 */
export function healthOf(parts: {
  store: Store;
  metrics: Pick<Metrics, "telegramReachable" | "lastApiAnswerAt">;
  digests: RunningDigests;
  /** The newer parts of the Bot API in use: reported, never failing the check (the bot does without them). */
  capabilities: Pick<ApiCapabilities, "snapshot">;
}): Health {
  const { store, metrics, digests, capabilities } = parts;
  return async () => {
    const delivery = digests.delivery;
    const [storeOk, deliveryOk] = await Promise.all([
      within(store.healthy(), HEALTH_CHECK_MS),
      delivery?.healthy ? within(delivery.healthy(), HEALTH_CHECK_MS) : Promise.resolve(undefined),
    ]);
    const checks = {
      store: storeOk,
      scheduler: digests.scheduler?.isRunning() ?? false,
      ...(deliveryOk === undefined ? {} : { queue: deliveryOk }),
      telegram: metrics.telegramReachable(API_SILENCE_MS),
    };
    const lastAnswer = metrics.lastApiAnswerAt();
    return {
      ok: Object.values(checks).every(Boolean),
      checks,
      lastTickAt: digests.scheduler?.lastTickAt()?.toISOString() ?? null,
      lastApiAnswerAt: lastAnswer === undefined ? null : new Date(lastAnswer).toISOString(),
      apiFeatures: capabilities.snapshot(),
    };
  };
}
