import { Api } from "grammy";
import { Redis } from "ioredis";
import { content } from "../src/content/index.js";
import { createDigestQueue, owedDigests, type DigestQueue } from "../src/digest/queue.js";
import { tick } from "../src/digest/tick.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { createDigestRenderer } from "../src/render/digest.js";
import { openRedisStore } from "../src/store/redis.js";
import { redisSendWindows } from "../src/telegram/redis-send-windows.js";
import { createSendBudget } from "../src/telegram/send-budget.js";
import type { Store } from "../src/store/types.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { redisForTests } from "../test/support/redis-server.js";
import { BENCH_TOKEN } from "./in-process-api.js";
import { broadcastResult, DUE_CLOCK, seedSubscribers, type BroadcastResult } from "./broadcast.js";

/**
 * The broadcast of part 3 in Redis mode: two "instances" (each its own Redis connection, store and BullMQ worker)
 * share one queue and its limiter of `rate` messages a second. Undefined when no Redis is available.
 */
export async function benchBroadcastRedis(options: { subscribers: number; rate: number }): Promise<BroadcastResult | undefined> {
  const redis = await redisForTests();
  if (!redis) return undefined;
  const url = new URL(redis.url);
  url.pathname = "/9";
  const database = url.toString();
  const admin = new Redis(database);
  await admin.flushdb();
  await admin.quit();

  const fake = await startFakeTelegram();
  fake.limitRate({ perSecond: options.rate, perGroupPerMinute: 20, retryAfter: 1 });
  const i18n = createI18n();
  const renderer = createDigestRenderer(content, { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") });
  const instances: { store: Store; queue: DigestQueue; budgetRedis: Redis }[] = [];
  try {
    for (let index = 0; index < 2; index++) {
      const store = await openRedisStore({ url: database, now: () => DUE_CLOCK });
      const budgetRedis = new Redis(database);
      const budget = createSendBudget(redisSendWindows({ redis: budgetRedis, limits: { perSecond: options.rate, perGroupPerMinute: 20 } }));
      const queue = createDigestQueue({
        redisUrl: database,
        api: new Api(BENCH_TOKEN, { apiRoot: fake.apiRoot }),
        store,
        renderer: () => renderer,
        limiter: budget,
        logger: createLogger("silent"),
        now: () => DUE_CLOCK,
      });
      instances.push({ store, queue, budgetRedis });
    }
    const chatIds = await seedSubscribers(instances[0]!.store, options.subscribers);
    const started = performance.now();
    for (const { queue } of instances) queue.start();
    await Promise.all(
      instances.map(({ store, queue }) =>
        tick(
          store,
          DUE_CLOCK,
          () => renderer.contentMark,
          undefined,
          undefined,
          (decisions) => queue.enqueue(owedDigests(decisions)),
        ),
      ),
    );
    while (chatIds.some((chatId) => fake.messages(chatId).length === 0)) await new Promise((resolve) => setTimeout(resolve, 100));
    const elapsedSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return broadcastResult(fake, chatIds, options, elapsedSeconds);
  } finally {
    for (const { store, queue, budgetRedis } of instances) {
      await queue.close();
      await store.close();
      await budgetRedis.quit();
    }
    await fake.close();
    await redis.stop();
  }
}
