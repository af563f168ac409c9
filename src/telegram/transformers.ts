import type { Api, Transformer } from "grammy";
import { ignoreNotModified } from "./not-modified.js";
import { retryOnFlood } from "./retry.js";
import { classifyApiFailure, type ChatGoneReason } from "./send-errors.js";

/** What the bot does when Telegram refuses one of its calls, by the classification of send failures. */
export type SendFailureHandlers = {
  /** 429: the limit is per bot, so everything that sends waits, the digest sender included. */
  onFlood(retryAfterSeconds: number): void;
  /** The chat the call went to can no longer be written to. */
  onChatGone(chatId: number, reason: ChatGoneReason): Promise<void>;
  /** The group the call went to is now a supergroup with another id. */
  onChatMigrated(fromChatId: number, toChatId: number): Promise<void>;
};

/**
 * Reports each failed call to the handlers, then hands the answer on unchanged (the caller still sees its error).
 * Installed inside auto-retry, so it sees every attempt's answer, each 429 included.
 */
function reportFailures(handlers: SendFailureHandlers): Transformer {
  return async (previous, method, payload, signal) => {
    const response = await previous(method, payload, signal);
    if (response.ok) return response;
    const failure = classifyApiFailure(response);
    const chatId = payload && "chat_id" in payload && typeof payload.chat_id === "number" ? payload.chat_id : undefined;
    if (failure.kind === "flood") handlers.onFlood(failure.retryAfter);
    else if (failure.kind === "gone" && chatId !== undefined) await handlers.onChatGone(chatId, failure.reason);
    else if (failure.kind === "migrated" && chatId !== undefined) await handlers.onChatMigrated(chatId, failure.toChatId);
    return response;
  };
}

/**
 * The transformers of every Api object that answers people: the bot's own and the ones the conversations plugin
 * builds for dialogues. They come from here alone, so a dialogue's calls behave exactly like the bot's.
 * Order matters: the last installed runs first, so auto-retry wraps the failure report, which wraps
 * "not modified" as success.
 */
export function installBotTransformers(api: Api, handlers: SendFailureHandlers): void {
  api.config.use(ignoreNotModified);
  api.config.use(reportFailures(handlers));
  api.config.use(retryOnFlood());
}
