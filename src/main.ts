import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Redis } from "ioredis";
import { Api } from "grammy";
import dotenv from "dotenv";
import { createAlerts, floodRunAlerts, type Alerts } from "./alerts/index.js";
import { registerCommands } from "./bot/command-menu.js";
import { registerProfile } from "./bot/profile.js";
import { createBot } from "./create-bot.js";
import { ConfigError, parseConfig, type Config } from "./config.js";
import { bundledContentDirectory } from "./content/folder.js";
import { createLiveContent, type LiveContent } from "./content/live.js";
import { formatProblem, loadContent, type ContentCheck, type ContentProblem, type LoadedContent } from "./content/loader.js";
import { refusalText } from "./features/editorial.js";
import { createTranslators, FALLBACK_LOCALE } from "./i18n.js";
import { escapeHtml } from "./render/format.js";
import { checkContent } from "./tools/content-check.js";
import { tellChannelLostOrLog } from "./digest/channel-lost.js";
import { createDigestQueue, type DigestQueue } from "./digest/queue.js";
import { startDigestScheduler, type DigestScheduler } from "./digest/scheduler.js";
import { createNoticesApi } from "./digest/notices.js";
import { createDigestSender, type DigestFinished } from "./digest/sender.js";
import { createLogger, type Logger } from "./logger.js";
import { EXIT_FAILURE, EXIT_OK, reportFatal, runShutdown, type ExitCode, type StopStep } from "./lifecycle.js";
import { createMetrics } from "./metrics/index.js";
import { startOpsServer, type Health, type OpsServer } from "./ops-http.js";
import { StoreOpenError } from "./store/errors.js";
import { openRedisStore } from "./store/redis.js";
import { openSqliteStore } from "./store/sqlite.js";
import type { Store } from "./store/types.js";
import { redisSendWindows } from "./telegram/redis-send-windows.js";
import { sendAsPaidBroadcasts } from "./telegram/paid-broadcast.js";
import { createSendBudget, localSendBudget, TELEGRAM_LIMITS, type RateLimits, type SendBudget } from "./telegram/send-budget.js";
import { countingFetch } from "./telegram/transformers.js";
import { startWebhookServer, type WebhookServer } from "./webhook.js";

/** The update types the bot handles; Telegram sends nothing else (a channel's posts come only when asked for). */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "guest_message", "my_chat_member", "channel_post"] as const;

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
function openContent(
  folder: string,
  logger: Logger,
  hooks: { onRefused: (problems: ContentProblem[]) => void; onReloaded: (content: LoadedContent) => void },
): LiveContent | undefined {
  const translators = createTranslators();
  const check: ContentCheck = (content) => checkContent(content.library, translators, content);
  const loaded = loadContent(folder, check);
  if (!loaded.ok) {
    const list = loaded.problems.map((problem) => `  ${formatProblem(problem)}`).join("\n");
    process.stderr.write(`The content in ${folder} (CONTENT_DIR) is invalid:\n${list}\nRun npm run content:check to see the same list.\n`);
    return undefined;
  }
  return createLiveContent({
    folder,
    initial: loaded.content,
    check,
    ...hooks,
    logger,
  });
}

/** The version in package.json (above dist/src/ or src/), for the start-up alert. */
function readVersion(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? "unknown";
  }
  return "unknown";
}

/** A check that does not answer within this time fails: /healthz answers even while Redis is away. */
const HEALTH_CHECK_MS = 2_000;
/** How often the store is asked whether it answers (the store-down and store-back alerts, `bot_store_up`). */
const STORE_WATCH_MS = 2_000;
/** Bot API calls failing (network, server errors) with no answer for this long make /healthz fail. */
const API_SILENCE_MS = 5 * 60 * 1000;
/** An alert keeps waiting for its turn this long (longer than a reply): the one about a long 429 run waits it out. */
const ALERT_DEADLINE_MS = 10 * 60 * 1000;

const within = (check: Promise<boolean>, ms: number) =>
  Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

/** The operators' language: that of their chat (or, for a private chat, of the person), else the fallback. */
async function operatorsLanguage(store: Store, chatId: number) {
  return (await store.getChat(chatId))?.language ?? (await store.getUser(chatId))?.language ?? FALLBACK_LOCALE;
}

/** Starts the bot and resolves, once a signal has stopped it, with the exit code of that shutdown. */
async function runBot(config: Config, logger: Logger): Promise<ExitCode> {
  let alerts: Alerts | undefined;
  const metrics = createMetrics({ onFloodPause: floodRunAlerts(() => alerts) });
  // Operators hear of a refused content change in a private message; the bot exists once the content does.
  let tellOperators: (problems: ContentProblem[]) => void = () => undefined;
  const content = openContent(config.contentDir ?? bundledContentDirectory(), logger, {
    onRefused: (problems) => {
      metrics.contentReloaded("refused");
      alerts?.alert("content-refused", { count: problems.length, problems: problems.slice(0, 5).map(formatProblem).join("\n") });
      tellOperators(problems);
    },
    onReloaded: (loaded) => {
      metrics.contentReloaded("reloaded");
      metrics.contentServed(loaded.fingerprint);
    },
  });
  if (!content) return EXIT_FAILURE;
  metrics.contentServed(content.current().fingerprint);
  process.on("SIGHUP", () => content.reload());
  let store: Store;
  try {
    store = config.redisUrl ? await openRedisStore({ url: config.redisUrl }) : openSqliteStore(config.databasePath);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    content.close();
    process.stderr.write(`${error.message}\n`);
    return EXIT_FAILURE;
  }
  metrics.sources.store = async () => {
    const stats = await store.stats(new Date());
    return { subscriptions: stats.subscribers, waiting: stats.queued, oldestWaitingSince: stats.oldestQueuedAt };
  };
  // One send budget for replies and digests; in Redis mode its windows are in Redis, shared by every instance. With
  // PAID_BROADCAST_RATE, digests go out as paid broadcasts at that rate; replies (still first), alerts and notices
  // stay within the free 30/s.
  const limits: RateLimits = config.paidBroadcastRate ? { ...TELEGRAM_LIMITS, paidPerSecond: config.paidBroadcastRate } : TELEGRAM_LIMITS;
  let budgetRedis: Redis | undefined;
  let sendBudget: SendBudget;
  if (config.redisUrl) {
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on("error", () => undefined);
    budgetRedis = redis;
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
    sendBudget = createSendBudget(windows);
  } else {
    sendBudget = localSendBudget(limits);
  }
  const client = config.apiRoot ? { apiRoot: config.apiRoot } : {};
  // Every Api of the process counts its calls: the bots' and the notices' (through createBot's client), the digests'
  // and the alerts'.
  const countedClient = { ...client, fetch: countingFetch(metrics.apiCall) };
  if (config.alertChatId !== undefined) {
    const alertChatId = config.alertChatId;
    // An alert takes its slot of the send budget behind readers' replies and waits out a 429 through it, so that the
    // alert of a long 429 run is not refused by that very run.
    const alertApi = createNoticesApi(config.botToken, countedClient, { budget: sendBudget, logger, deadlineMs: ALERT_DEADLINE_MS });
    const translators = createTranslators();
    alerts = createAlerts({
      send: (text) => alertApi.sendMessage(alertChatId, text, { link_preview_options: { is_disabled: true } }),
      language: () => operatorsLanguage(store, alertChatId),
      translators,
      logger,
    });
  }
  const { bot, deps, reportingClient } = createBot({
    token: config.botToken,
    store,
    library: content,
    logger,
    adminIds: config.adminIds,
    defaultTimezone: config.defaultTimezone,
    sendBudget,
    skipRepeatedUpdates: config.mode.kind === "webhook",
    richMessages: config.richMessages,
    ephemeralMessages: config.ephemeralMessages,
    metrics,
    botConfig: { client },
  });
  // What a digest run sends that is not a digest (a topic's or a channel's digest stopped) goes through the replies'
  // delivery behind readers' replies (its turn in the send budget, a 429 waited out, a deadline; never paid), on the
  // bot's client: a chat that refuses it (403, migrated) is acted on like one that refuses a reply.
  const noticesApi = createNoticesApi(config.botToken, reportingClient, { budget: sendBudget, logger });

  // The store is asked every few seconds whether it answers: operators hear when it goes away and when it is back.
  let storeUp = true;
  const storeWatch = setInterval(() => {
    void within(store.healthy(), HEALTH_CHECK_MS).then((up) => {
      metrics.storeUp(up);
      if (up === storeUp) return;
      storeUp = up;
      const kind = config.redisUrl ? "Redis" : "SQLite";
      if (up) logger.info("the store answers again");
      else logger.error("the store does not answer");
      alerts?.alert(up ? "store-up" : "store-down", { store: kind });
    });
  }, STORE_WATCH_MS);
  storeWatch.unref();
  const finished: DigestFinished = (outcome, detail) => {
    metrics.digestFinished(outcome);
    if (outcome === "failed") alerts?.alert("digest-failed", { chat: detail.chatId, error: detail.error ?? "" });
    // A channel that refused its digest (the bot removed, or no longer allowed to post): whoever set it up is told,
    // once: not again when the bot's removal (my_chat_member) stopped the digest while this one was in flight.
    if (outcome === "dropped" && detail.stoppedNow) {
      void tellChannelLostOrLog({ api: noticesApi, store, translators: deps.translators, logger }, detail.chatId);
    }
  };

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
  let queue: DigestQueue | undefined;
  let ops: OpsServer | undefined;
  let stopping = false;
  const health: Health = async () => {
    const [storeOk, queueOk] = await Promise.all([
      within(store.healthy(), HEALTH_CHECK_MS),
      queue ? within(queue.healthy(), HEALTH_CHECK_MS) : Promise.resolve(undefined),
    ]);
    const checks = {
      store: storeOk,
      scheduler: scheduler?.isRunning() ?? false,
      ...(queueOk === undefined ? {} : { queue: queueOk }),
      telegram: metrics.telegramReachable(API_SILENCE_MS),
    };
    const lastAnswer = metrics.lastApiAnswerAt();
    return {
      ok: Object.values(checks).every(Boolean),
      checks,
      lastTickAt: scheduler?.lastTickAt()?.toISOString() ?? null,
      lastApiAnswerAt: lastAnswer === undefined ? null : new Date(lastAnswer).toISOString(),
      apiFeatures: deps.capabilities.snapshot(),
    };
  };
  const stopped = afterStopSignal((signal) => {
    stopping = true;
    logger.info({ signal }, "stopping");
    return shutDown(
      [
        // What takes in work first, together; then the store they all write to.
        [
          { name: "runner", stop: () => (runner?.isRunning() ? runner.stop() : undefined) },
          { name: "webhook server", stop: () => webhook?.close() },
          { name: "metrics server", stop: () => ops?.close() },
          { name: "digest scheduler", stop: () => scheduler?.stop() },
          { name: "alerts", stop: () => (clearInterval(storeWatch), alerts?.close()) },
        ],
        [
          { name: "store", stop: () => store.close() },
          { name: "send budget", stop: () => budgetRedis?.quit() },
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
    await registerProfile(bot.api, deps.translators, FALLBACK_LOCALE).catch((error: unknown) =>
      logger.warn({ err: error }, "could not set the bot's profile texts"),
    );
    if (stopping) return;
    // Digests go out on an Api without the replies' transformers: the sender (or the queue) takes each slot from the
    // send budget with digest priority (paid slots when this Api sends paid broadcasts) and waits out a 429 itself, so
    // a repeated message is counted like the first.
    const deliveryApi = new Api(config.botToken, countedClient);
    if (config.paidBroadcastRate) {
      sendAsPaidBroadcasts(deliveryApi);
      logger.info({ per_second: config.paidBroadcastRate }, "digests go out as paid broadcasts (Stars from the bot's balance)");
    }
    if (config.redisUrl) {
      queue = createDigestQueue({
        redisUrl: config.redisUrl,
        api: deliveryApi,
        notices: noticesApi,
        store,
        renderer: () => deps.edition().digests,
        limiter: deps.limiter,
        logger,
        onFinished: finished,
      });
      queue.start();
      const started = queue;
      metrics.sources.queue = () => started.counts();
    }
    const renderer = () => deps.edition().digests;
    const delivery = queue
      ? { queue }
      : {
          sender: createDigestSender({
            api: deliveryApi,
            notices: noticesApi,
            store,
            renderer,
            limiter: deps.limiter,
            logger,
            onFinished: finished,
          }),
        };
    scheduler = await startDigestScheduler({
      expression: config.digestTick,
      store,
      delivery,
      logger,
      contentMark: () => deps.edition().digests.contentMark,
      onTick: (planned) => metrics.digestsOwed(planned.queued),
    });
    // Catch up at once on what fell due while the bot was down, instead of waiting for the first tick.
    scheduler.runNow().catch((error: unknown) => logger.error({ err: error }, "digest catch-up failed"));
    const running = { username: bot.botInfo.username, briefings: content.current().library.briefings.length, mode: config.mode.kind };
    if (config.metrics) {
      ops = await startOpsServer({ ...config.metrics, health, metrics, logger });
      logger.info({ host: config.metrics.host, port: config.metrics.port }, "serving /metrics and /healthz");
    }
    alerts?.alert("started", { version: readVersion(), mode: config.mode.kind, store: config.redisUrl ? "Redis" : "SQLite" });

    if (config.mode.kind === "webhook") {
      const { url, secret, port } = config.mode;
      webhook = await startWebhookServer({
        bot,
        path: new URL(url).pathname,
        secret,
        port,
        logger,
        health,
        metrics,
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
