import { outboxDelivery, type DeliveryParts } from "../digest/delivery.js";
import { createDigestSender } from "../digest/sender.js";
import type { Logger } from "../logger.js";
import { openSqliteStore } from "../store/sqlite.js";
import { sendAsPaidBroadcasts } from "../telegram/paid-broadcast.js";
import { localSendBudget, TELEGRAM_LIMITS, type RateLimits } from "../telegram/send-budget.js";
import type { Backend } from "./backend-types.js";

export type { Backend, StoreKind } from "./backend-types.js";

export type BackendSettings = {
  /** The SQLite file (DATABASE_PATH), used when there is no Redis. */
  databasePath: string;
  /** Set: the store, the send budget's windows and the digest queue are in this Redis, shared by every instance. */
  redisUrl?: string | undefined;
  /** Set: digests go out as paid broadcasts at this many messages a second (PAID_BROADCAST_RATE). */
  paidBroadcastRate?: number | undefined;
  /** The send budget's limits before paid broadcasts are added (Telegram's unless given: tests and the bench). */
  rateLimits?: RateLimits;
  /** The store's clock. */
  now?: () => Date;
};

/**
 * Opens the backend the settings name: SQLite on one machine, or Redis for several instances. This is the one place
 * that knows which one runs. Throws StoreOpenError (naming the file and DATABASE_PATH, or REDIS_URL) when the store
 * cannot be opened.
 */
export async function openBackend(settings: BackendSettings, logger: Logger): Promise<Backend> {
  // With PAID_BROADCAST_RATE, digests go out as paid broadcasts at that rate; replies (still first), alerts and
  // notices stay within the free 30/s.
  const base = settings.rateLimits ?? TELEGRAM_LIMITS;
  const limits: RateLimits = settings.paidBroadcastRate ? { ...base, paidPerSecond: settings.paidBroadcastRate } : base;
  // Digests go out as paid broadcasts on the delivery's own Api only: notices and alerts stay free.
  const paid = (parts: DeliveryParts): DeliveryParts => {
    if (settings.paidBroadcastRate) {
      sendAsPaidBroadcasts(parts.api);
      logger.info({ per_second: settings.paidBroadcastRate }, "digests go out as paid broadcasts (Stars from the bot's balance)");
    }
    return parts;
  };
  if (!settings.redisUrl) return openSqliteBackend(settings, limits, paid);
  // Loaded only here: a process on SQLite never loads the Redis client and BullMQ (some 16 MB of resident memory).
  const { openRedisBackend } = await import("./redis-backend.js");
  return openRedisBackend(settings.redisUrl, limits, paid, settings.now, logger);
}

/** One machine: the SQLite file, the send budget in memory, and the outbox sender draining each tick. */
function openSqliteBackend(settings: BackendSettings, limits: RateLimits, paid: (parts: DeliveryParts) => DeliveryParts): Backend {
  const store = openSqliteStore(settings.databasePath, settings.now);
  const sendBudget = localSendBudget(limits);
  return {
    kind: "SQLite",
    store,
    sendBudget,
    startDelivery: (parts) => outboxDelivery(createDigestSender({ ...paid(parts), store, sendBudget }), { store, logger: parts.logger }),
    close: async () => store.close(),
  };
}
