import type { InlineKeyboardButton, InlineKeyboardMarkup, User } from "grammy/types";
import { encodeCallback, type CallbackAction, type DialogAnswer, type SettingsChoice } from "../../src/render/callback-data.js";
import type { Harness } from "./harness.js";
import { callbackUpdate, messageUpdate, privateUser } from "./updates.js";

export function callbackButtons(markup: unknown): InlineKeyboardButton.CallbackButton[] {
  return ((markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .filter((button): button is InlineKeyboardButton.CallbackButton => "callback_data" in button);
}

export type ShownMessage = {
  message_id: number;
  message_thread_id?: number;
  text: string;
  /** Set instead of `text` on a rich message. */
  rich_html?: string;
  reply_markup?: InlineKeyboardMarkup;
};

/** What a message shows: its text, or a rich message's HTML. */
export const shownText = (message: { text?: string | undefined; rich_html?: string | undefined }): string =>
  message.rich_html ?? message.text ?? "";

export function lastMessageIn(harness: Harness, chatId: number): ShownMessage {
  const message = harness.fake.messages(chatId).at(-1);
  if (!message) throw new Error(`no message in chat ${chatId}`);
  return message as ShownMessage;
}

/**
 * Presses the button whose callback data matches, on the chat's latest message (as `user`); a message in a forum
 * topic is pressed in that topic, as Telegram reports it.
 */
export async function pressIn(
  harness: Harness,
  user: User,
  chatId: number,
  data: string | RegExp,
): Promise<InlineKeyboardButton.CallbackButton> {
  const message = lastMessageIn(harness, chatId);
  const button = callbackButtons(message.reply_markup).find((b) =>
    typeof data === "string" ? b.callback_data === data : data.test(b.callback_data),
  );
  if (!button) throw new Error(`no button ${String(data)} in ${JSON.stringify(message.reply_markup)}`);
  const topic = message.message_thread_id === undefined ? {} : { thread_id: message.message_thread_id };
  await harness.send(callbackUpdate(user, button.callback_data, { chat_id: chatId, message_id: message.message_id, ...topic }));
  return button;
}

/** What an inline or guest result posts: a rich card's HTML, or an HTML card's text. */
export function cardText(result: { input_message_content?: unknown }): string {
  const content = result.input_message_content as { message_text?: string; rich_message?: { html: string } } | undefined;
  const text = content?.rich_message?.html ?? content?.message_text;
  if (text === undefined) throw new Error(`no card text in ${JSON.stringify(result)}`);
  return text;
}

/** The latest ephemeral message `user` sees in the chat (sent to them alone). */
export function lastEphemeralIn(harness: Harness, chatId: number, user: User): ShownMessage & { ephemeral_message_id: number } {
  const message = harness.fake.ephemeralMessages(chatId, user.id).at(-1);
  if (!message) throw new Error(`no ephemeral message for ${user.id} in chat ${chatId}`);
  return message as ShownMessage & { ephemeral_message_id: number };
}

/** Presses the button whose callback data matches on the latest ephemeral message `user` sees in the chat. */
export async function pressEphemeral(harness: Harness, user: User, chatId: number, data: string): Promise<void> {
  const message = lastEphemeralIn(harness, chatId, user);
  if (!callbackButtons(message.reply_markup).some((button) => button.callback_data === data)) {
    throw new Error(`no button ${data} in ${JSON.stringify(message.reply_markup)}`);
  }
  const topic = message.message_thread_id === undefined ? {} : { thread_id: message.message_thread_id };
  await harness.send(
    callbackUpdate(user, data, { chat_id: chatId, message_id: 0, ephemeral_message_id: message.ephemeral_message_id, ...topic }),
  );
}

/** `user` writes `text` in their private chat; returns the bot's latest message there. */
export async function sayPrivately(harness: Harness, user: User, text: string): Promise<ShownMessage> {
  await harness.send(messageUpdate(user, text));
  return lastMessageIn(harness, user.id);
}

/**
 * `user` presses a button carrying `action` on their private chat's latest message (built by encodeCallback, whether or
 * not the message shows it); returns the toast the press was answered with and the chat's latest message.
 */
export async function pressPrivately(harness: Harness, user: User, action: CallbackAction) {
  const message = lastMessageIn(harness, user.id);
  await harness.send(callbackUpdate(user, encodeCallback(action), { chat_id: user.id, message_id: message.message_id }));
  return {
    toast: harness.fake.lastCall("answerCallbackQuery")!.payload.text as string | undefined,
    screen: lastMessageIn(harness, user.id),
  };
}

/** Callback data of a dialogue answer, as the dialogue's buttons carry it. */
export const dialogData = (answer: DialogAnswer) => encodeCallback({ kind: "dialog", answer });
/** Callback data of the /settings screen, or of one of its choices. */
export const settingsData = (choice?: SettingsChoice) => encodeCallback({ kind: "settings", ...(choice ? { choice } : {}) });

/**
 * A new private reader in one of the three readings the tests read screens in: Kazakh (Telegram's language), Kazakh
 * in Latin (picked with /language, as a person does) or Russian.
 */
export async function readerIn(harness: Harness, reading: "kk" | "kkl" | "ru"): Promise<User> {
  const user = privateUser({ language_code: reading === "ru" ? "ru" : "kk" });
  if (reading === "kkl") {
    await harness.send(messageUpdate(user, "/language"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
  }
  return user;
}
