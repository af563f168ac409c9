import { GrammyError } from "grammy";
import type { ResponseParameters } from "grammy/types";

/** Why a chat can no longer be written to. */
export type ChatGoneReason = "blocked" | "removed" | "chat_not_found";
/** Why a forum topic can no longer be written to, while the rest of its group still can. */
export type TopicGoneReason = "topic_closed" | "topic_deleted";

/**
 * What a failed Bot API call means for the message, decided once for every path that sends (the digest sender, the
 * BullMQ queue and chat replies):
 * - flood: Telegram's rate limit; nothing is wrong with the message, everyone waits `retryAfter` seconds;
 * - migrated: the group became a supergroup with a new id; the message goes there;
 * - gone: the bot was blocked, kicked, or the chat no longer exists; nothing more can be sent there;
 * - topic gone: the forum topic the message was for is closed or deleted; the rest of the group is still there;
 * - other: anything else (a network failure, a server error, a bad request), worth a bounded retry.
 */
export type SendFailure =
  | { kind: "flood"; retryAfter: number }
  | { kind: "migrated"; toChatId: number }
  | { kind: "gone"; reason: ChatGoneReason }
  | { kind: "topic gone"; reason: TopicGoneReason }
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
  // A deleted topic answers "message thread not found" (Telegram has also been seen to say TOPIC_DELETED); a closed
  // one TOPIC_CLOSED, unless the bot may post in closed topics as an administrator.
  if (error_code === 400 && /message thread not found|topic_deleted|topic_id_invalid/.test(text))
    return { kind: "topic gone", reason: "topic_deleted" };
  if (error_code === 400 && /topic_closed|topic closed/.test(text)) return { kind: "topic gone", reason: "topic_closed" };
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
