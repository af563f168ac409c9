import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api } from "grammy";
import dotenv from "dotenv";
import { registerCommands } from "./bot/command-menu.js";
import { ConfigError, parseConfig, type Config } from "./config.js";
import { content } from "./content/index.js";
import { FALLBACK_LOCALE } from "./i18n.js";
import { createBot } from "./create-bot.js";
import { createDigestQueue, type DigestQueue } from "./digest/queue.js";
import { startDigestScheduler, type DigestScheduler } from "./digest/scheduler.js";
import { createDigestSender } from "./digest/sender.js";
import { createLogger } from "./logger.js";
import { openRedisStore } from "./store/redis.js";
import { openSqliteStore } from "./store/sqlite.js";
import { startWebhookServer, type WebhookServer } from "./webhook.js";

/** The update types the bot handles; Telegram sends nothing else. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

function readConfig(): Config {
  dotenv.config({ quiet: true });
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel, [config.botToken]);
  const store = config.redisUrl ? await openRedisStore({ url: config.redisUrl }) : openSqliteStore(config.databasePath);
  const client = config.apiRoot ? { apiRoot: config.apiRoot } : {};
  const { bot, deps } = createBot({
    token: config.botToken,
    store,
    library: content,
    logger,
    adminIds: config.adminIds,
    defaultTimezone: config.defaultTimezone,
    skipRepeatedUpdates: config.mode.kind === "webhook",
    botConfig: { client },
  });

  let runner: RunnerHandle | undefined;
  let webhook: WebhookServer | undefined;
  let scheduler: DigestScheduler | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    try {
      await Promise.all([runner?.isRunning() ? runner.stop() : undefined, webhook?.close(), scheduler?.stop()]);
    } finally {
      await store.close();
      logger.info("stopped");
      process.exit(0);
    }
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  await bot.init();
  await registerCommands(bot.api, deps.commandMenu(), deps.translators, FALLBACK_LOCALE).catch((error: unknown) =>
    logger.warn({ err: error }, "could not register the command menus"),
  );
  if (stopping) return;
  // Digests go out without auto-retry: a 429 pauses the sender (or the shared queue) and the message is sent again
  // through the rate limit, instead of a retry that no limiter counts.
  const deliveryApi = new Api(config.botToken, client);
  let queue: DigestQueue | undefined;
  if (config.redisUrl) {
    queue = createDigestQueue({ redisUrl: config.redisUrl, api: deliveryApi, store, renderer: deps.digests, limiter: deps.limiter, logger });
    queue.start();
  }
  const delivery = queue
    ? { queue }
    : { sender: createDigestSender({ api: deliveryApi, store, renderer: deps.digests, limiter: deps.limiter, logger }) };
  scheduler = await startDigestScheduler({ expression: config.digestTick, store, delivery, logger });
  // Catch up at once on what fell due while the bot was down, instead of waiting for the first tick.
  scheduler.runNow().catch((error: unknown) => logger.error({ err: error }, "digest catch-up failed"));
  const running = { username: bot.botInfo.username, briefings: content.briefings.length, mode: config.mode.kind };

  if (config.mode.kind === "webhook") {
    const { url, secret, port } = config.mode;
    const activeScheduler = scheduler;
    webhook = await startWebhookServer({
      bot,
      path: new URL(url).pathname,
      secret,
      port,
      logger,
      health: async () => {
        const checks = {
          store: await store.healthy(),
          scheduler: activeScheduler.isRunning(),
          ...(queue ? { queue: await queue.healthy() } : {}),
        };
        return { ok: Object.values(checks).every(Boolean), checks, lastTickAt: activeScheduler.lastTickAt()?.toISOString() ?? null };
      },
    });
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ ...running, port }, "bot is running");
    return;
  }

  await bot.api.deleteWebhook();
  runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  logger.info(running, "bot is running");
  await runner.task();
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
