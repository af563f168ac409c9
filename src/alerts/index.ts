import type { Logger } from "../logger.js";
import type { Locale, Translate } from "../shared/locale.js";

/** What operators are told of, one Fluent key each (`alert-<kind>` in locales/*.ftl). */
export type AlertKind = "started" | "digest-failed" | "flood" | "store-down" | "store-up" | "content-refused";
export type AlertVariables = Record<string, string | number>;

/** At most one message per kind of alert in this window; the rest are folded into the next one. */
export const ALERT_WINDOW_MS = 5 * 60 * 1000;

/** The operators' chat text of one alert, with what was folded into it since the previous one of its kind. */
export function alertText(t: Translate, kind: AlertKind, variables: AlertVariables, folded: number): string {
  const text = t(`alert-${kind}`, variables);
  return folded > 0 ? `${text}\n\n${t("alert-folded", { count: folded })}` : text;
}

export type Alerts = {
  alert(kind: AlertKind, variables?: AlertVariables): void;
  /** Drops what is still folded and waiting (shutdown). */
  close(): void;
};

type KindState = { lastSentAt: number; folded: number; latest: AlertVariables; timer: NodeJS.Timeout | undefined };

/**
 * Alerts to the operators' chat (ALERT_CHAT_ID). The first alert of a kind goes out at once; more of the same kind
 * within ALERT_WINDOW_MS are counted, and when the window ends one message carries the latest of them and how many
 * there were. Sending goes through `send` (an Api of its own, whose messages take slots of the send budget behind
 * readers' replies); a failure to send is logged and never thrown, so a broken alert chat cannot stop the bot.
 */
export function createAlerts(options: {
  send: (text: string) => Promise<unknown>;
  /** The operators' language (their chat's, from the store), asked for at each message. */
  language: () => Promise<Locale>;
  translators: Record<Locale, Translate>;
  logger: Logger;
  windowMs?: number;
  now?: () => number;
}): Alerts {
  const { logger, translators } = options;
  const windowMs = options.windowMs ?? ALERT_WINDOW_MS;
  const now = options.now ?? (() => Date.now());
  const states = new Map<AlertKind, KindState>();
  let closed = false;

  function post(kind: AlertKind, variables: AlertVariables, folded: number): void {
    void (async () => {
      const language = await options.language().catch(() => "ru" as const);
      await options.send(alertText(translators[language], kind, variables, folded));
    })().catch((error: unknown) => logger.warn({ err: error, alert: kind }, "could not post an alert to the operators' chat"));
  }

  function flush(kind: AlertKind, state: KindState): void {
    state.timer = undefined;
    if (closed || state.folded === 0) return;
    post(kind, state.latest, state.folded);
    state.lastSentAt = now();
    state.folded = 0;
  }

  return {
    alert(kind, variables = {}) {
      if (closed) return;
      const state = states.get(kind);
      if (!state) {
        states.set(kind, { lastSentAt: now(), folded: 0, latest: variables, timer: undefined });
        post(kind, variables, 0);
        return;
      }
      const elapsed = now() - state.lastSentAt;
      if (elapsed >= windowMs && !state.timer) {
        state.lastSentAt = now();
        post(kind, variables, 0);
        return;
      }
      state.folded++;
      state.latest = variables;
      if (!state.timer) {
        state.timer = setTimeout(() => flush(kind, state), Math.max(0, windowMs - elapsed));
        // A folded alert never keeps the process alive on its own.
        state.timer.unref();
      }
    },
    close() {
      closed = true;
      for (const state of states.values()) clearTimeout(state.timer);
    },
  };
}

/** A run of 429 pauses longer than this is posted to the operators' chat. */
export const LONG_FLOOD_MS = 60_000;

/**
 * Joins 429 pauses that follow each other (one asked for before the previous one ended) into one run, and alerts
 * "flood" once per run, when the run has lasted over LONG_FLOOD_MS: one long throttling is one alert, not one per
 * refused message. Given to createMetrics as `onFloodPause`, so it hears every 429 with a retry_after that any Api of
 * the process gets.
 */
export function floodRunAlerts(alerts: () => Alerts | undefined): (retryAfterSeconds: number, at: number) => void {
  let runStartedAt = 0;
  let runUntil = 0;
  let alerted = false;
  return (retryAfterSeconds, at) => {
    if (at > runUntil) {
      runStartedAt = at;
      alerted = false;
    }
    runUntil = Math.max(runUntil, at + retryAfterSeconds * 1000);
    if (!alerted && runUntil - runStartedAt > LONG_FLOOD_MS) {
      alerted = true;
      alerts()?.alert("flood", { seconds: Math.round((runUntil - runStartedAt) / 1000) });
    }
  };
}
