import type { Api, ApiClientOptions } from "grammy";
import nodeFetch from "node-fetch";
import type { Logger } from "../logger.js";
import type { ApiCallResult } from "../metrics/index.js";
import { ignoreNotModified } from "./not-modified.js";
import type { PressAnswers } from "./press-answers.js";
import { COUNTED_METHODS, deliverReplies, type ReplyDeliveryOptions } from "./retry.js";
import { classifyApiFailure, type ApiFailure, type ChatGoneReason } from "./send-errors.js";

/** What the bot does when Telegram refuses one of its calls, by the classification of send failures. */
export type SendFailureHandlers = {
  /** 429 on a message (COUNTED_METHODS): the limit is per bot, so everything that sends waits, the digest sender included. */
  onFlood(retryAfterSeconds: number): void | Promise<void>;
  /** The chat a message went to can no longer be written to. */
  onChatGone(chatId: number, reason: ChatGoneReason): Promise<void>;
  /** The group a message went to is now a supergroup with another id. */
  onChatMigrated(fromChatId: number, toChatId: number): Promise<void>;
};

type Fetch = NonNullable<ApiClientOptions["fetch"]>;

/** Methods that put a message in a chat: only their refusal says the chat itself is gone or moved. */
const DELIVERS_MESSAGES = /^(send|edit|copy|forward)[A-Z]/;

/**
 * The HTTP client of every Api that answers people, reporting each refused call to the handlers and handing the
 * answer on unchanged. It works below grammY's transformers on purpose: the dialogue plugin replays recorded answers
 * through its own transformer without a request, so a 429 or a 403 is reported once, when Telegram sent it, and
 * not again each time a dialogue is replayed. A failing handler is logged and never hides Telegram's answer.
 */
export function reportingFetch(handlers: SendFailureHandlers, logger: Logger, base: Fetch = nodeFetch, observe?: ApiCallObserver): Fetch {
  return watchedFetch(base, observe, async (method, failure, init) => {
    try {
      const classified = classifyApiFailure(failure);
      // Only a message's 429 is the per-bot message limit; one on getUpdates, setWebhook or a button answer is not.
      if (classified.kind === "flood") return COUNTED_METHODS.test(method) ? handlers.onFlood(classified.retryAfter) : undefined;
      const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
      const chatId =
        typeof body === "object" && body !== null && "chat_id" in body && typeof body.chat_id === "number" ? body.chat_id : undefined;
      if (chatId === undefined || !DELIVERS_MESSAGES.test(method)) return;
      if (classified.kind === "gone") await handlers.onChatGone(chatId, classified.reason);
      if (classified.kind === "migrated") await handlers.onChatMigrated(chatId, classified.toChatId);
    } catch (error) {
      logger.error({ err: error, method }, "could not act on a refused Bot API call");
    }
  });
}

/** Told of every Bot API call when it comes back: its method, its result and, for a 429, the pause Telegram asked for. */
export type ApiCallObserver = (method: string, result: ApiCallResult, retryAfterSeconds?: number) => void;

const methodOf = (url: Parameters<Fetch>[0]) => {
  const href = typeof url === "string" ? url : url instanceof URL ? url.href : url.url;
  return href.slice(href.lastIndexOf("/") + 1);
};

const resultOf = (status: number): ApiCallResult =>
  status >= 200 && status < 300 ? "ok" : status === 429 || status === 403 || status === 400 ? (String(status) as ApiCallResult) : "other";

/**
 * An HTTP client that tells `observe` of every call, for the Api objects without reportingFetch (the digest delivery
 * Api, the alerts' Api); reportingFetch counts the bots' calls the same way, so the counts cover every request.
 */
export function countingFetch(observe: ApiCallObserver, base: Fetch = nodeFetch): Fetch {
  return watchedFetch(base, observe);
}

/**
 * The one HTTP client under both: each call is counted (a call that throws, a network failure, counts as "other" and
 * is thrown on unchanged); a refused call's answer is read (a copy) and handed to `onRefused` when there is one, else
 * only a 429's, for its retry_after. The caller always gets Telegram's answer unchanged. Counting is done here rather
 * than by another client underneath, so that a call costs no extra async frame.
 */
function watchedFetch(
  base: Fetch,
  observe: ApiCallObserver | undefined,
  onRefused?: (method: string, failure: ApiFailure, init: Parameters<Fetch>[1]) => Promise<void>,
): Fetch {
  return async (url, init) => {
    let response: Awaited<ReturnType<Fetch>>;
    try {
      response = await base(url, init);
    } catch (error) {
      observe?.(methodOf(url), "other");
      throw error;
    }
    if (response.ok) {
      observe?.(methodOf(url), "ok");
      return response;
    }
    const method = methodOf(url);
    const result = resultOf(response.status);
    const failure =
      onRefused || result === "429"
        ? ((await response
            .clone()
            .json()
            .catch(() => undefined)) as ApiFailure | undefined)
        : undefined;
    if (failure && onRefused) await onRefused(method, failure, init);
    if (result === "429") observe?.(method, result, failure?.parameters?.retry_after);
    else observe?.(method, result);
    return response;
  };
}

/**
 * The transformers of every Api that answers people: the bot's own and the ones the dialogue plugin builds. They
 * come from here alone, so a dialogue's calls behave exactly like the bot's, within the same send budget. Order
 * matters: the last installed runs first, so reply delivery (budget, 429 waits, retries) wraps "not modified" as
 * success, and `presses` (the bot's button answers, one per press) comes before both.
 */
export function botTransformers(delivery: ReplyDeliveryOptions, presses?: PressAnswers): (api: Api) => void {
  const replies = deliverReplies(delivery);
  return (api) => {
    api.config.use(ignoreNotModified);
    api.config.use(replies);
    if (presses) api.config.use(presses.transformer);
  };
}
