import { queueDelivery, type DeliveryParts } from "../digest/delivery.js";
import { createDigestQueue } from "../digest/queue.js";
import type { Logger } from "../logger.js";
import { openRedisStore } from "../store/redis.js";
import { budgetConnection, redisSendWindows } from "../telegram/redis-send-windows.js";
import { createSendBudget, type RateLimits } from "../telegram/send-budget.js";
import type { Backend } from "./backend-types.js";

/** Several instances: the store, the send budget's windows and the BullMQ queue in one Redis. */
export async function openRedisBackend(
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
    close: () =>
      closeAll([
        () => store.close(),
        async () => {
          await windows.dateAnswered();
          await redis.quit();
        },
      ]),
  };
}

/** Runs every close, even after one fails, and rejects with the first failure once all have settled. */
async function closeAll(closes: (() => unknown)[]): Promise<void> {
  const results = await Promise.allSettled(closes.map(async (close) => close()));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
