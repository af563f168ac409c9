import { Api, type Bot } from "grammy";
import { Redis } from "ioredis";
import type { BotContext } from "../src/bot/context.js";
import { bundledContent } from "../src/content/index.js";
import { createBot } from "../src/create-bot.js";
import { createNoticesApi } from "../src/digest/notices.js";
import { owedDigests } from "../src/digest/digest-jobs.js";
import { createDigestQueue, type DigestQueue } from "../src/digest/queue.js";
import { tick } from "../src/digest/tick.js";
import { createLogger } from "../src/logger.js";
import { openRedisStore } from "../src/store/redis.js";
import type { Store } from "../src/store/types.js";
import { sendAsPaidBroadcasts } from "../src/telegram/paid-broadcast.js";
import { budgetConnection, redisSendWindows } from "../src/telegram/redis-send-windows.js";
import { createSendBudget } from "../src/telegram/send-budget.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { redisForTests } from "../test/support/redis-server.js";
import { BENCH_BOT_INFO, BENCH_TOKEN } from "./in-process-api.js";
import { broadcastResult, DUE_CLOCK, limitsAt, seedSubscribers, type BroadcastOptions, type BroadcastResult } from "./broadcast.js";
import { startReaders } from "./readers.js";

const WORKERS_SETTLE_MS = 500;

type Instance = { store: Store; queue: DigestQueue; bot: Bot<BotContext>; contentMark: () => string; budgetRedis: Redis };

/**
 * The broadcast of part 3 in Redis mode: two "instances" (each its own Redis connections, store, bot and BullMQ
 * worker) share one queue and one send budget in Redis of `rate` messages a second; with `readers`, that many people
 * use the two bots meanwhile. Undefined when no Redis is available.
 */
export async function benchBroadcastRedis(options: BroadcastOptions): Promise<BroadcastResult | undefined> {
  const redis = await redisForTests();
  if (!redis) return undefined;
  const url = new URL(redis.url);
  url.pathname = "/9";
  const database = url.toString();
  const admin = new Redis(database);
  await admin.flushdb();
  await admin.quit();

  const fake = await startFakeTelegram({ botUsername: BENCH_BOT_INFO.username, botId: BENCH_BOT_INFO.id });
  fake.limitRate({ ...limitsAt(options.rate, options.paid), retryAfter: 2 });
  const logger = createLogger("silent");
  const instances: Instance[] = [];
  try {
    for (let index = 0; index < 2; index++) {
      const store = await openRedisStore({ url: database, now: () => DUE_CLOCK });
      const budgetRedis = budgetConnection(database);
      const sendBudget = createSendBudget(redisSendWindows({ redis: budgetRedis, limits: limitsAt(options.rate, options.paid) }));
      const deliveryApi = new Api(BENCH_TOKEN, { apiRoot: fake.apiRoot });
      if (options.paid) sendAsPaidBroadcasts(deliveryApi);
      const { bot, deps, reportingClient } = createBot({
        token: BENCH_TOKEN,
        store,
        library: bundledContent(),
        logger,
        sendBudget,
        now: () => DUE_CLOCK,
        botConfig: { client: { apiRoot: fake.apiRoot }, botInfo: BENCH_BOT_INFO },
      });
      const queue = createDigestQueue({
        redisUrl: database,
        api: deliveryApi,
        notices: createNoticesApi(BENCH_TOKEN, reportingClient, { budget: sendBudget, logger }),
        store,
        renderer: () => deps.edition().digests,
        capabilities: deps.capabilities,
        sendBudget: sendBudget,
        logger,
        now: () => DUE_CLOCK,
      });
      instances.push({ store, queue, bot, contentMark: () => deps.edition().digests.contentMark, budgetRedis });
    }
    const chatIds = await seedSubscribers(instances[0]!.store, options.subscribers);
    // The instances' workers run from start-up, long before the due minute: started, and given half a second to
    // connect and wait for jobs, before the tick is timed.
    for (const { queue } of instances) queue.start();
    await new Promise((resolve) => setTimeout(resolve, WORKERS_SETTLE_MS));
    const readers = options.readers
      ? startReaders(
          instances.map(({ bot }) => bot),
          fake,
          options.readers,
          options.rate,
        )
      : undefined;
    const startedAt = Date.now();
    await Promise.all(
      instances.map(({ store, queue, contentMark }) =>
        tick({ store, now: DUE_CLOCK, contentMark, afterPage: (decisions) => queue.enqueue(owedDigests(decisions)) }),
      ),
    );
    // Waits for every subscriber's digest, checking each chat once (a chat that has it keeps it): rescanning the
    // delivered ones at every poll would take the CPU the instances being measured run on.
    for (let waiting = 0; waiting < chatIds.length;) {
      if (fake.messages(chatIds[waiting]!).length > 0) waiting++;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const finishedAt = Date.now();
    const readersResult = await readers?.stop();
    // Anything still in flight that would duplicate a digest has time to arrive before the count.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return broadcastResult(fake, chatIds, options, { startedAt, finishedAt, ...(readersResult ? { readers: readersResult } : {}) });
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
