import { GrammyError } from "grammy";
import type { Logger } from "../logger.js";
import { classifyApiFailure, type ApiFailure } from "./send-errors.js";

/**
 * Parts of the Bot API newer than some servers: a self-hosted Bot API server older than the part answers its
 * methods with 404 "method not found" and ignores its parameters. Each part is named here with the refusal that says
 * the server lacks it; guest mode is meant to join this list.
 */
export const API_PARTS = ["rich_messages", "ephemeral_messages"] as const;
export type ApiPart = (typeof API_PARTS)[number];
/** auto: used until the server refuses it (and tried again hourly); off: never used. */
export type ApiPartMode = "auto" | "off";

const MISSING_METHOD = (failure: ApiFailure) => failure.error_code === 404 && /method not found/i.test(failure.description);

/**
 * The refusal by which a server says it lacks a part, given the failure and the method refused:
 * - rich messages (Bot API 10.1): sendRichMessage is an unknown method to an older server (404), its editMessageText
 *   ignores rich_message and so finds no text (400 "message text is empty"), and an inline or guest answer holding a
 *   rich result is refused with a 400 that names it;
 * - ephemeral messages (Bot API 10.2): editEphemeralMessageText is an unknown method (404), and a message sent with
 *   ephemeral_message_parameters is refused with a 400 that names them.
 */
const LACKS: Record<ApiPart, (failure: ApiFailure, method: string) => boolean> = {
  rich_messages: (failure, method) =>
    MISSING_METHOD(failure) ||
    (failure.error_code === 400 && /text is empty|text must be non-empty|rich_message/i.test(failure.description)) ||
    (failure.error_code === 400 && /^answer(Inline|Guest)Query$/.test(method) && /rich/i.test(failure.description)),
  ephemeral_messages: (failure, method) =>
    (method === "editEphemeralMessageText" && MISSING_METHOD(failure)) ||
    (failure.error_code === 400 && /^send[A-Z]/.test(method) && /ephemeral/i.test(failure.description)),
};

/** After a refusal the part is left alone this long, then tried again by one request. */
export const RETRY_AFTER_MS = 60 * 60 * 1000;

/** What the process knows of a part: on, off until a moment (a refusal), one request trying it again, or switched off. */
type PartState = { kind: "on" } | { kind: "off"; until: number } | { kind: "probing" } | { kind: "disabled" };

export type ApiCapabilities = {
  /** Whether the part is on, or due to be tried again (what a menu offers); asking changes nothing. */
  available(part: ApiPart): boolean;
  /**
   * Answers with the part when the server has it and with `otherwise` when it does not: `use` runs if the part is
   * available; a refusal that says the server lacks it switches the part off for an hour (logged once) and answers
   * the same request with `otherwise`, so no request is lost. Any other 400 on the part's call is answered with
   * `otherwise` too, and the part stays on. Everything else (a chat gone, a 429 past the deadline, a network failure)
   * is thrown as it came.
   */
  attempt<T>(part: ApiPart, use: () => Promise<T>, otherwise: () => Promise<T>): Promise<T>;
  /** Each part: 1 while requests use it, 0 while they do without (for /metrics and /healthz). */
  snapshot(): Record<ApiPart, boolean>;
};

/**
 * The one rule for every newer part of the Bot API: learn from the first refusal that the server lacks it, do without
 * it for an hour, then let one request try it again. What is learnt lives in this process only: a restart (say, after
 * the server was upgraded) tries again at once.
 */
export function createApiCapabilities(options: {
  modes?: Partial<Record<ApiPart, ApiPartMode>>;
  logger: Logger;
  now?: () => number;
}): ApiCapabilities {
  const now = options.now ?? Date.now;
  const { logger } = options;
  const states = new Map<ApiPart, PartState>(
    API_PARTS.map((part) => [part, options.modes?.[part] === "off" ? { kind: "disabled" } : { kind: "on" }]),
  );
  const logged = new Set<ApiPart>();

  function available(part: ApiPart): boolean {
    const state = states.get(part)!;
    return state.kind === "on" || (state.kind === "off" && now() >= state.until);
  }

  /** Whether this request uses the part: past an hour off, the first one to ask tries it, and the rest do without. */
  function claim(part: ApiPart): boolean {
    if (!available(part)) return false;
    if (states.get(part)!.kind === "off") states.set(part, { kind: "probing" });
    return true;
  }

  function switchOff(part: ApiPart, failure: ApiFailure): void {
    states.set(part, { kind: "off", until: now() + RETRY_AFTER_MS });
    const details = { part, error_code: failure.error_code, description: failure.description, retry_in_minutes: RETRY_AFTER_MS / 60_000 };
    if (logged.has(part)) return void logger.debug(details, "the Bot API server still lacks this part");
    logged.add(part);
    logger.warn(details, "the Bot API server lacks this part: answering without it, trying again hourly");
  }

  function switchOn(part: ApiPart): void {
    const state = states.get(part)!;
    if (state.kind === "on" || state.kind === "disabled") return;
    states.set(part, { kind: "on" });
    logger.info({ part }, "the Bot API server has this part again");
  }

  async function attempt<T>(part: ApiPart, use: () => Promise<T>, otherwise: () => Promise<T>): Promise<T> {
    if (!claim(part)) return otherwise();
    let result: T;
    try {
      result = await use();
    } catch (error) {
      const failure = error instanceof GrammyError ? error : undefined;
      if (failure && LACKS[part](failure, failure.method)) {
        switchOff(part, failure);
        return otherwise();
      }
      // The server answered, so it knows the part; a network failure says nothing: the next request tries again.
      if (states.get(part)!.kind === "probing") states.set(part, failure ? { kind: "on" } : { kind: "off", until: now() });
      if (failure?.error_code === 400 && classifyApiFailure(failure).kind === "other") {
        logger.warn({ part, description: failure.description }, "a call using this part was refused: answered without it");
        return otherwise();
      }
      throw error;
    }
    switchOn(part);
    return result;
  }

  return {
    available,
    attempt,
    snapshot: () => Object.fromEntries(API_PARTS.map((part) => [part, states.get(part)!.kind === "on"])) as Record<ApiPart, boolean>,
  };
}
