import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { BotContext } from "../bot/context.js";
import { registerCommands } from "../bot/command-menu.js";
import { registerProfile } from "../bot/profile.js";
import type { Deps } from "../bot/deps.js";
import type { Config } from "../config.js";
import { FALLBACK_LOCALE } from "../i18n.js";
import type { StopRegistry } from "../lifecycle.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/index.js";
import { startOpsServer, type Health } from "../ops-http.js";
import { startWebhookServer } from "../webhook.js";

/** The update types the bot handles; Telegram sends nothing else (a channel's posts come only when asked for). */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "guest_message", "my_chat_member", "channel_post"] as const;

/** What the "bot is running" line says. */
export type RunningLine = { username: string; briefings: number; mode: Config["mode"]["kind"] };

/**
 * Asks Telegram who the bot is, registers its command menus and sets its profile texts per language (a refusal of
 * either is logged, not fatal).
 */
export async function initBot(bot: Bot<BotContext>, deps: Deps, logger: Logger): Promise<void> {
  await bot.init();
  await registerCommands(bot.api, deps.commandMenu(), deps.translators, FALLBACK_LOCALE).catch((error: unknown) =>
    logger.warn({ err: error }, "could not register the command menus"),
  );
  await registerProfile(bot.api, deps.translators, FALLBACK_LOCALE).catch((error: unknown) =>
    logger.warn({ err: error }, "could not set the bot's profile texts"),
  );
}

/** GET /metrics and /healthz on METRICS_PORT, when it is set; adds its stop to `stops`. */
export async function startMetricsServer(
  settings: Config["metrics"],
  parts: { health: Health; metrics: Metrics; logger: Logger; stops: StopRegistry },
): Promise<void> {
  if (!settings) return;
  const ops = await startOpsServer({ ...settings, ...parts });
  parts.stops.add("intake", { name: "metrics server", stop: () => ops.close() });
  parts.logger.info({ host: settings.host, port: settings.port }, "serving /metrics and /healthz");
}

/** Long polling: the webhook removed, then grammY's runner; resolves when the runner stops. */
export async function startPolling(bot: Bot<BotContext>, running: RunningLine, parts: { logger: Logger; stops: StopRegistry }) {
  await bot.api.deleteWebhook();
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  parts.stops.add("intake", { name: "runner", stop: () => (runner.isRunning() ? runner.stop() : undefined) });
  parts.logger.info(running, "bot is running");
  await runner.task();
}

/** Webhook mode: the HTTP server (updates, /healthz, /metrics) listening, then the webhook registered with Telegram. */
export async function startWebhook(
  bot: Bot<BotContext>,
  mode: Extract<Config["mode"], { kind: "webhook" }>,
  running: RunningLine,
  parts: { health: Health; metrics: Metrics; logger: Logger; stops: StopRegistry },
): Promise<void> {
  const { url, secret, port } = mode;
  const { health, metrics, logger } = parts;
  const webhook = await startWebhookServer({ bot, path: new URL(url).pathname, secret, port, logger, health, metrics });
  parts.stops.add("intake", { name: "webhook server", stop: () => webhook.close() });
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  logger.info({ ...running, port }, "bot is running");
}
