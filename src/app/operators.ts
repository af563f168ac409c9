import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAlerts, type Alerts } from "../alerts/index.js";
import type { Config } from "../config.js";
import { formatProblem, type ContentProblem } from "../content/loader.js";
import { createNoticesApi } from "../digest/notices.js";
import { refusalText } from "../features/editorial.js";
import { createTranslators, FALLBACK_LOCALE } from "../i18n.js";
import type { StopRegistry } from "../lifecycle.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/index.js";
import { escapeHtml } from "../render/format.js";
import type { Store } from "../store/types.js";
import type { Backend } from "./backend.js";
import type { BuiltBot } from "./bot.js";
import { HEALTH_CHECK_MS, within } from "./health.js";

/**
 * What the operators hear: alerts in their chat (ALERT_CHAT_ID) and, for refused content, a private message to each
 * of them. Both exist once the store and the bot do (startOperators); what happens before is not told.
 */
export type Operators = { alerts?: Alerts; tellRefused?: (problems: ContentProblem[]) => void };

/** How often the store is asked whether it answers (the store-down and store-back alerts, `bot_store_up`). */
const STORE_WATCH_MS = 2_000;
/** An alert keeps waiting for its turn this long (longer than a reply): the one about a long 429 run waits it out. */
const ALERT_DEADLINE_MS = 10 * 60 * 1000;

/** A content change refused while the bot runs: an alert with the first problems, and each operator told. */
export const contentRefused = (operators: Operators) => (problems: ContentProblem[]) => {
  operators.alerts?.alert("content-refused", { count: problems.length, problems: problems.slice(0, 5).map(formatProblem).join("\n") });
  operators.tellRefused?.(problems);
};

/**
 * Starts what the operators hear on the running bot: the alerts (when ALERT_CHAT_ID is set), the store watch and the
 * private messages about refused content. Adds their stop to `stops`.
 */
export function startOperators(
  operators: Operators,
  parts: {
    config: Pick<Config, "botToken" | "alertChatId" | "adminIds">;
    backend: Backend;
    built: BuiltBot;
    metrics: Pick<Metrics, "storeUp">;
    logger: Logger;
    stops: StopRegistry;
  },
): void {
  const { config, backend, built, logger } = parts;
  const { store } = backend;
  if (config.alertChatId !== undefined) {
    const alertChatId = config.alertChatId;
    // An alert takes its slot of the send budget behind readers' replies and waits out a 429 through it, so that the
    // alert of a long 429 run is not refused by that very run.
    const budget = { budget: backend.sendBudget, logger, deadlineMs: ALERT_DEADLINE_MS };
    const alertApi = createNoticesApi(config.botToken, built.countedClient, budget);
    operators.alerts = createAlerts({
      send: (text) => alertApi.sendMessage(alertChatId, text, { link_preview_options: { is_disabled: true } }),
      language: () => operatorsLanguage(store, alertChatId),
      translators: createTranslators(),
      logger,
    });
  }
  const stopWatch = watchStore({ ...parts, store, operators });
  parts.stops.add("intake", { name: "alerts", stop: () => (stopWatch(), operators.alerts?.close()) });
  operators.tellRefused = (problems) => {
    const lines = problems.map(formatProblem);
    for (const operator of config.adminIds) {
      void (async () => {
        const language = (await store.getUser(operator))?.language ?? FALLBACK_LOCALE;
        const text = escapeHtml(refusalText(built.deps.translators[language], lines));
        await built.bot.api.sendMessage(operator, text, { parse_mode: "HTML" });
      })().catch((error: unknown) => logger.warn({ err: error, operator }, "could not tell an operator that content was refused"));
    }
  };
}

/** The operators' language: that of their chat (or, for a private chat, of the person), else the fallback. */
async function operatorsLanguage(store: Store, chatId: number) {
  return (await store.getChat(chatId))?.language ?? (await store.getUser(chatId))?.language ?? FALLBACK_LOCALE;
}

/**
 * Asks the store every few seconds whether it answers: operators hear when it goes away and when it is back.
 * Returns what stops the watch.
 */
function watchStore(parts: { store: Store; backend: Backend; metrics: Pick<Metrics, "storeUp">; operators: Operators; logger: Logger }) {
  const { store, metrics, logger } = parts;
  let storeUp = true;
  const watch = setInterval(() => {
    void within(store.healthy(), HEALTH_CHECK_MS).then((up) => {
      metrics.storeUp(up);
      if (up === storeUp) return;
      storeUp = up;
      if (up) logger.info("the store answers again");
      else logger.error("the store does not answer");
      parts.operators.alerts?.alert(up ? "store-up" : "store-down", { store: parts.backend.kind });
    });
  }, STORE_WATCH_MS);
  watch.unref();
  return () => clearInterval(watch);
}

/** The version in package.json (above dist/src/ or src/), for the start-up alert. */
export function readVersion(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? "unknown";
  }
  return "unknown";
}
