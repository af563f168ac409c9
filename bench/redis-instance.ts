/**
 * One instance of the bot in Redis mode, on a thread of its own, as part 3b–3d run two of them: its own Redis
 * connections, store, bot, send budget (its windows in Redis, shared) and BullMQ worker (the queue, shared). A
 * deployment runs each instance in a process of its own; one thread for both instances and the fake Bot API would
 * measure how much one thread can do, not two instances. The thread that starts it talks to it by messages
 * (InstanceMessage, answered by an InstanceReply with the same id).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Api } from "grammy";
import type { Update } from "grammy/types";
import { bundledContent } from "../src/content/index.js";
import { createBot } from "../src/create-bot.js";
import { createNoticesApi } from "../src/digest/notices.js";
import { queueDelivery } from "../src/digest/delivery.js";
import { createDigestQueue } from "../src/digest/queue.js";
import { tick } from "../src/digest/tick.js";
import { createLogger } from "../src/logger.js";
import { openRedisStore } from "../src/store/redis.js";
import { sendAsPaidBroadcasts } from "../src/telegram/paid-broadcast.js";
import { budgetConnection, redisSendWindows } from "../src/telegram/redis-send-windows.js";
import { createSendBudget } from "../src/telegram/send-budget.js";
import { DUE_CLOCK, limitsAt } from "./broadcast.js";
import { BENCH_BOT_INFO, BENCH_TOKEN } from "./in-process-api.js";

/** What an instance is started with. */
export type InstanceOptions = { database: string; apiRoot: string; rate: number; paid: boolean };

/** What the starting thread asks of an instance: start its BullMQ worker, tick, handle an update, close. */
export type InstanceRequest = { kind: "start" } | { kind: "tick" } | { kind: "update"; update: Update } | { kind: "close" };
/** A request as it travels, with the id its reply carries. */
export type InstanceMessage = InstanceRequest & { id: number };
/** The answer to a request: done, or the error it failed with (an update whose handling failed). Id 0: ready. */
export type InstanceReply = { id: number; error?: string };

const options = workerData as InstanceOptions;
const logger = createLogger("silent");
const store = await openRedisStore({ url: options.database, now: () => DUE_CLOCK });
const budgetRedis = budgetConnection(options.database);
const sendBudget = createSendBudget(redisSendWindows({ redis: budgetRedis, limits: limitsAt(options.rate, options.paid) }));
const deliveryApi = new Api(BENCH_TOKEN, { apiRoot: options.apiRoot });
if (options.paid) sendAsPaidBroadcasts(deliveryApi);
const { bot, deps, reportingClient } = createBot({
  token: BENCH_TOKEN,
  store,
  library: bundledContent(),
  logger,
  sendBudget,
  now: () => DUE_CLOCK,
  botConfig: { client: { apiRoot: options.apiRoot }, botInfo: BENCH_BOT_INFO },
});
const queue = createDigestQueue({
  redisUrl: options.database,
  api: deliveryApi,
  notices: createNoticesApi(BENCH_TOKEN, reportingClient, { budget: sendBudget, logger }),
  store,
  renderer: () => deps.edition().digests,
  capabilities: deps.capabilities,
  sendBudget,
  logger,
  now: () => DUE_CLOCK,
});

// The tick hands its pages to the queue as a deployment's scheduler does.
const delivery = queueDelivery(queue, { store });

async function serve(request: InstanceMessage): Promise<void> {
  switch (request.kind) {
    case "start":
      return queue.start();
    case "tick":
      await tick({
        store,
        now: DUE_CLOCK,
        contentMark: () => deps.edition().digests.contentMark,
        afterPage: delivery.afterPage,
      });
      return;
    case "update":
      return bot.handleUpdate(request.update);
    case "close":
      await queue.close();
      await store.close();
      await budgetRedis.quit();
  }
}

parentPort!.on("message", (request: InstanceMessage) => {
  serve(request).then(
    () => parentPort!.postMessage({ id: request.id } satisfies InstanceReply),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) } satisfies InstanceReply),
  );
});
parentPort!.postMessage({ id: 0 } satisfies InstanceReply);
