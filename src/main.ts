import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api } from "grammy";
import dotenv from "dotenv";
import { registerCommands } from "./bot/command-menu.js";
import { createBot } from "./create-bot.js";
import { ConfigError, parseConfig, type Config } from "./config.js";
import { bundledContentDirectory } from "./content/folder.js";
import { createLiveContent, type LiveContent } from "./content/live.js";
import { formatProblem, loadContent, type ContentProblem } from "./content/loader.js";
import { refusalText } from "./features/editorial.js";
import { createTranslators, FALLBACK_LOCALE } from "./i18n.js";
import { escapeHtml } from "./render/format.js";
import { checkContent } from "./tools/content-check.js";
import { createDigestQueue, type DigestQueue } from "./digest/queue.js";
import { startDigestScheduler, type DigestScheduler } from "./digest/scheduler.js";
import { createDigestSender } from "./digest/sender.js";
import { createLogger, type Logger } from "./logger.js";
import { EXIT_FAILURE, EXIT_OK, reportFatal, runShutdown, type ExitCode, type StopStep } from "./lifecycle.js";
import { openRedisStore } from "./store/redis.js";
import { openSqliteStore } from "./store/sqlite.js";
import { startWebhookServer, type WebhookServer } from "./webhook.js";

/** The update types the bot handles; Telegram sends nothing else. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

/** The settings from the environment (and .env); throws ConfigError naming every bad variable. */
function readConfig(): Config {
  dotenv.config({ quiet: true });
  return parseConfig(process.env);
}

function reportConfigError(error: ConfigError): void {
  process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
}

/**
 * Reads the settings and runs the bot until SIGINT or SIGTERM, resolving with the exit code. Every exit code is
 * chosen here: bad settings, a fatal error and a failed shutdown are EXIT_FAILURE, a clean stop EXIT_OK.
 */
async function main(): Promise<ExitCode> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    reportConfigError(error);
    return EXIT_FAILURE;
  }
  const logger = createLogger(config.logLevel, [config.botToken]);
  try {
    return await runBot(config, logger);
  } catch (error) {
    reportFatal(error, logger);
    return EXIT_FAILURE;
  }
}

/** Resolves, after the first SIGINT or SIGTERM, with what `stop` resolves to; later signals do not call it again. */
function afterStopSignal(stop: (signal: NodeJS.Signals) => Promise<ExitCode>): Promise<ExitCode> {
  return new Promise((resolveStopped) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      resolveStopped(stop(signal));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

/** Runs the shutdown stages, logging each step that fails (with its stack) and how the stop ended. */
async function shutDown(stages: StopStep[][], logger: Logger): Promise<ExitCode> {
  const code = await runShutdown(stages, (step, error) => logger.error({ err: error, step }, "shutdown step failed"));
  if (code === EXIT_OK) logger.info("stopped");
  else logger.error("stopped, but shutdown failed");
  return code;
}

/**
 * The content folder as live content: read and checked now (undefined after printing every problem, so that the
 * bot does not start on content it would refuse on reload), then followed while the bot runs.
 */
function openContent(folder: string, logger: Logger, onRefused: (problems: ContentProblem[]) => void): LiveContent | undefined {
  const translators = createTranslators();
  const loaded = loadContent(folder);
  const problems = loaded.ok ? checkContent(loaded.content.library, translators, loaded.content) : loaded.problems;
  if (!loaded.ok || problems.length > 0) {
    const list = problems.map((problem) => `  ${formatProblem(problem)}`).join("\n");
    process.stderr.write(`The content in ${folder} (CONTENT_DIR) is invalid:\n${list}\nRun npm run content:check to see the same list.\n`);
    return undefined;
  }
  return createLiveContent({
    folder,
    initial: loaded.content,
    check: (content) => checkContent(content.library, translators, content),
    onRefused,
    logger,
  });
}

/** Starts the bot and resolves, once a signal has stopped it, with the exit code of that shutdown. */
async function runBot(config: Config, logger: Logger): Promise<ExitCode> {
  // Operators hear of a refused content change in a private message; the bot exists once the content does.
  let tellOperators: (problems: ContentProblem[]) => void = () => undefined;
  const content = openContent(config.contentDir ?? bundledContentDirectory(), logger, (problems) => tellOperators(problems));
  if (!content) return EXIT_FAILURE;
  process.on("SIGHUP", () => content.reload());
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

  tellOperators = (problems) => {
    const lines = problems.map(formatProblem);
    for (const operator of config.adminIds) {
      void (async () => {
        const language = (await store.getUser(operator))?.language ?? FALLBACK_LOCALE;
        await bot.api.sendMessage(operator, escapeHtml(refusalText(deps.translators[language], lines)), { parse_mode: "HTML" });
      })().catch((error: unknown) => logger.warn({ err: error, operator }, "could not tell an operator that content was refused"));
    }
  };

  let runner: RunnerHandle | undefined;
  let webhook: WebhookServer | undefined;
  let scheduler: DigestScheduler | undefined;
  let stopping = false;
  const stopped = afterStopSignal((signal) => {
    stopping = true;
    logger.info({ signal }, "stopping");
    return shutDown(
      [
        // What takes in work first, together; then the store they all write to.
        [
          { name: "runner", stop: () => (runner?.isRunning() ? runner.stop() : undefined) },
          { name: "webhook server", stop: () => webhook?.close() },
          { name: "digest scheduler", stop: () => scheduler?.stop() },
        ],
        [
          { name: "store", stop: () => store.close() },
          { name: "content watcher", stop: () => content.close() },
        ],
      ],
      logger,
    );
  });

  const start = async () => {
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
      queue = createDigestQueue({
        redisUrl: config.redisUrl,
        api: deliveryApi,
        store,
        renderer: () => deps.edition().digests,
        limiter: deps.limiter,
        logger,
      });
      queue.start();
    }
    const delivery = queue
      ? { queue }
      : { sender: createDigestSender({ api: deliveryApi, store, renderer: () => deps.edition().digests, limiter: deps.limiter, logger }) };
    scheduler = await startDigestScheduler({
      expression: config.digestTick,
      store,
      delivery,
      logger,
      contentMark: () => deps.edition().digests.contentMark,
    });
    // Catch up at once on what fell due while the bot was down, instead of waiting for the first tick.
    scheduler.runNow().catch((error: unknown) => logger.error({ err: error }, "digest catch-up failed"));
    const running = { username: bot.botInfo.username, briefings: content.current().library.briefings.length, mode: config.mode.kind };

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
  };
  // A start-up step that fails because shutdown closed what it used is part of stopping, not a fatal error; a signal
  // during start-up ends the process without waiting for start-up to finish.
  await Promise.race([
    start().catch((error: unknown) => {
      if (!stopping) throw error;
    }),
    stopped,
  ]);
  return stopped;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    reportFatal(error, undefined);
    process.exit(EXIT_FAILURE);
  },
);
