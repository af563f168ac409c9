import { GrammyError } from "grammy";
import type { ResponseParameters } from "grammy/types";

/** Why a chat can no longer be written to. */
export type ChatGoneReason = "blocked" | "removed" | "chat_not_found";

/**
 * What a failed Bot API call means for the message, decided once for every path that sends (the digest sender, the
 * BullMQ queue and chat replies):
 * - flood: Telegram's rate limit; nothing is wrong with the message, everyone waits `retryAfter` seconds;
 * - migrated: the group became a supergroup with a new id; the message goes there;
 * - gone: the bot was blocked, kicked, or the chat no longer exists; nothing more can be sent there;
 * - other: anything else (a network failure, a server error, a bad request), worth a bounded retry.
 */
export type SendFailure =
  | { kind: "flood"; retryAfter: number }
  | { kind: "migrated"; toChatId: number }
  | { kind: "gone"; reason: ChatGoneReason }
  | { kind: "other" };

/** The parts of a Bot API error answer the classification reads (a GrammyError or a raw failed response). */
export type ApiFailure = { error_code: number; description: string; parameters?: ResponseParameters | undefined };

export function classifyApiFailure({ error_code, description, parameters }: ApiFailure): SendFailure {
  if (error_code === 429 && parameters?.retry_after !== undefined) return { kind: "flood", retryAfter: parameters.retry_after };
  if (parameters?.migrate_to_chat_id !== undefined) return { kind: "migrated", toChatId: parameters.migrate_to_chat_id };
  const text = description.toLowerCase();
  if (error_code === 403) {
    if (text.includes("blocked")) return { kind: "gone", reason: "blocked" };
    if (text.includes("deactivated")) return { kind: "gone", reason: "chat_not_found" };
    return { kind: "gone", reason: "removed" };
  }
  if (error_code === 400 && /chat not found|peer_id_invalid|group chat was deactivated/.test(text)) {
    return { kind: "gone", reason: "chat_not_found" };
  }
  return { kind: "other" };
}

/** The same classification for whatever a send threw: Bot API errors by their answer, everything else is "other". */
export function classifySendError(error: unknown): SendFailure {
  return error instanceof GrammyError ? classifyApiFailure(error) : { kind: "other" };
}

/** The message can no longer be edited (too old, deleted, or never ours): a new message is sent instead. */
export function isUneditable(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message to edit not found|message can't be edited|message_id_invalid|there is no text in the message/i.test(error.description)
  );
}
