import dotenv from "dotenv";
import { floodRunAlerts } from "./alerts/index.js";
import { openBackend, type Backend } from "./app/backend.js";
import { buildBot } from "./app/bot.js";
import { openContent } from "./app/content.js";
import { startDigests } from "./app/digests.js";
import { healthOf, type RunningDigests } from "./app/health.js";
import { contentRefused, readVersion, startOperators, type Operators } from "./app/operators.js";
import { initBot, startMetricsServer, startPolling, startWebhook } from "./app/start.js";
import { ConfigError, parseConfig, type Config } from "./config.js";
import { bundledContentDirectory } from "./content/folder.js";
import { afterStopSignal, createStopRegistry, EXIT_FAILURE, reportFatal, type ExitCode } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics } from "./metrics/index.js";
import { StoreOpenError } from "./store/errors.js";

/** The settings from the environment (and .env); throws ConfigError naming every bad variable. */
function readConfig(): Config {
  dotenv.config({ quiet: true });
  return parseConfig(process.env);
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
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
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

/** The backend the settings name, or undefined after saying on stderr why its store cannot be opened. */
async function openBackendOrSay(config: Config, logger: Logger): Promise<Backend | undefined> {
  try {
    return await openBackend(config, logger);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return undefined;
  }
}

/** Starts the bot and resolves, once a signal has stopped it, with the exit code of that shutdown. */
async function runBot(config: Config, logger: Logger): Promise<ExitCode> {
  const stops = createStopRegistry();
  const operators: Operators = {};
  const metrics = createMetrics({ onFloodPause: floodRunAlerts(() => operators.alerts) });
  const content = openContent(config.contentDir ?? bundledContentDirectory(), logger, { metrics, onRefused: contentRefused(operators) });
  if (!content) return EXIT_FAILURE;
  process.on("SIGHUP", () => content.reload());
  const backend = await openBackendOrSay(config, logger);
  if (!backend) {
    content.close();
    return EXIT_FAILURE;
  }
  // Stopped last, once nothing writes to them any more.
  stops.add("last", { name: "store", stop: () => backend.close() });
  stops.add("last", { name: "content watcher", stop: () => content.close() });
  metrics.sources.store = async () => {
    const stats = await backend.store.stats(new Date());
    return { subscriptions: stats.subscribers, waiting: stats.queued, oldestWaitingSince: stats.oldestQueuedAt };
  };
  const built = buildBot(backend, {
    token: config.botToken,
    library: content,
    logger,
    adminIds: config.adminIds,
    defaultTimezone: config.defaultTimezone,
    skipRepeatedUpdates: config.mode.kind === "webhook",
    richMessages: config.richMessages,
    ephemeralMessages: config.ephemeralMessages,
    metrics,
    botConfig: { client: config.apiRoot ? { apiRoot: config.apiRoot } : {} },
  });
  startOperators(operators, { config, backend, built, metrics, logger, stops });
  const digests: RunningDigests = {};
  const health = healthOf({ store: backend.store, metrics, digests, capabilities: built.deps.capabilities });
  let stopping = false;
  const stopped = afterStopSignal((signal) => {
    stopping = true;
    logger.info({ signal }, "stopping");
    return stops.stop(logger);
  });

  const start = async () => {
    await initBot(built.bot, built.deps, logger);
    if (stopping) return;
    await startDigests(digests, { expression: config.digestTick, backend, built, metrics, operators, logger, stops });
    const running = { username: built.bot.botInfo.username, briefings: content.current().library.briefings.length, mode: config.mode.kind };
    await startMetricsServer(config.metrics, { health, metrics, logger, stops });
    operators.alerts?.alert("started", { version: readVersion(), mode: config.mode.kind, store: backend.kind });
    if (config.mode.kind === "webhook") await startWebhook(built.bot, config.mode, running, { health, metrics, logger, stops });
    else await startPolling(built.bot, running, { logger, stops });
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
