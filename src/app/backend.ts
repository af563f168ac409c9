import { createDigestQueue } from "../digest/queue.js";
import { outboxDelivery, queueDelivery, type DeliveryParts, type DigestDelivery } from "../digest/delivery.js";
import { createDigestSender } from "../digest/sender.js";
import type { Logger } from "../logger.js";
import { openRedisStore } from "../store/redis.js";
import { openSqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/types.js";
import { sendAsPaidBroadcasts } from "../telegram/paid-broadcast.js";
import { budgetConnection, redisSendWindows } from "../telegram/redis-send-windows.js";
import { createSendBudget, localSendBudget, TELEGRAM_LIMITS, type RateLimits, type SendBudget } from "../telegram/send-budget.js";

/** Where the bot keeps its state, as the operators' alerts name it. */
export type StoreKind = "SQLite" | "Redis";

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
 * The parts of the bot that depend on where its state is kept. The store and the send budget come first (the bot is
 * built on them); the digest delivery needs the bot's renderer and notices, so it is started from them afterwards.
 */
export type Backend = {
  kind: StoreKind;
  store: Store;
  /** One send budget for replies and digests; in Redis, shared by every instance. */
  sendBudget: SendBudget;
  /** Builds and starts the digest delivery of this backend on the bot's parts (once the bot exists). */
  startDelivery(parts: DeliveryParts): DigestDelivery;
  /** Closes the store and what the send budget holds open, together; rejects with the first failure. */
  close(): Promise<void>;
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
  return settings.redisUrl
    ? openRedisBackend(settings.redisUrl, limits, paid, settings.now, logger)
    : openSqliteBackend(settings, limits, paid);
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

/** Several instances: the store, the send budget's windows and the BullMQ queue in one Redis. */
async function openRedisBackend(
  url: string,
  limits: RateLimits,
  paid: (parts: DeliveryParts) => DeliveryParts,
  now: (() => Date) | undefined,
  logger: Logger,
): Promise<Backend> {
  const store = await openRedisStore({ url, ...(now ? { now } : {}) });
  const redis = budgetConnection(url);
  let unreachableLogged = false;
  const windows = redisSendWindows({
    redis,
    limits,
    onUnreachable: (error) => {
      if (unreachableLogged) return;
      unreachableLogged = true;
      logger.warn({ err: error }, "send budget: Redis does not answer, counting in this instance alone meanwhile");
    },
  });
  const sendBudget = createSendBudget(windows);
  return {
    kind: "Redis",
    store,
    sendBudget,
    startDelivery(parts) {
      const queue = createDigestQueue({ ...paid(parts), redisUrl: url, store, sendBudget });
      queue.start();
      return queueDelivery(queue, { store });
    },
    close: () => closeAll([() => store.close(), () => redis.quit()]),
  };
}

/** Runs every close, even after one fails, and rejects with the first failure once all have settled. */
async function closeAll(closes: (() => unknown)[]): Promise<void> {
  const results = await Promise.allSettled(closes.map(async (close) => close()));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
