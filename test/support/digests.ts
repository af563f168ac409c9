import type { Call, FakeTelegram } from "./fake-telegram.js";
import { shownText } from "./keyboard.js";

/**
 * Digests as the fake Bot API received them, whichever form they took: one rich message (sendRichMessage, a current
 * server) or the HTML digest (sendMessage, a server without rich messages). Every digest starts with "🗞 Дайджест".
 */
export const DIGEST_MARK = "🗞 Дайджест";

/** What a sending call carried: its text, or its rich message's HTML. */
export function sentText(call: Call): string {
  const rich = call.payload.rich_message as string | { html?: string } | undefined;
  const parsed = typeof rich === "string" ? (JSON.parse(rich) as { html?: string }) : rich;
  return String(call.payload.text ?? parsed?.html ?? "");
}

/** The digest sends of a chat (of every chat without one), rich or HTML, in the order they came, refused ones too. */
export function digestSends(fake: FakeTelegram, chatId?: number): Call[] {
  return fake.calls.filter(
    (call) =>
      (call.method === "sendRichMessage" || call.method === "sendMessage") &&
      (chatId === undefined || call.payload.chat_id === chatId) &&
      sentText(call).includes(DIGEST_MARK),
  );
}

/** The digests a chat holds, rich or HTML. */
export const digestMessages = (fake: FakeTelegram, chatId: number) =>
  fake.messages(chatId).filter((message) => shownText(message).includes(DIGEST_MARK));
