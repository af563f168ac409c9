import type { Api } from "grammy";
import { escapeHtml } from "../render/format.js";
import { scriptFor, type Locale, type Translate } from "../shared/locale.js";
import { toReaderScriptHtml } from "../shared/script.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/types.js";

export type ChannelLostOptions = { api: Api; store: Store; translators: Record<Locale, Translate> };

/**
 * A channel's digest stopped because the bot can no longer post there (removed, or stripped of the right to post):
 * the person who set it up hears so in their private chat, in their language (else the channel's), with how to resume. Nothing is sent
 * for any other chat, or for a channel nobody set up from a private chat.
 */
export async function tellChannelLost({ api, store, translators }: ChannelLostOptions, chatId: number): Promise<boolean> {
  const subscription = await store.getSubscription(chatId);
  if (subscription?.chatKind !== "channel" || subscription.createdBy === null) return false;
  const [person, channel] = await Promise.all([store.getUser(subscription.createdBy), store.getChat(chatId)]);
  // Without a language of their own, the person reads the one they set the channel up in.
  const reading = person?.language
    ? { locale: person.language, script: scriptFor(person.language, person.script) }
    : { locale: subscription.language, script: scriptFor(subscription.language, subscription.script) };
  const text = translators[reading.locale]("channel-lost", { title: channel?.title ?? String(chatId) });
  await api.sendMessage(subscription.createdBy, toReaderScriptHtml(escapeHtml(text), reading.script), { parse_mode: "HTML" });
  return true;
}

/**
 * tellChannelLost where the stop has already happened (a chat event, a dropped digest): a notice that cannot be sent
 * (the person blocked the bot, say) is logged and changes nothing, since the digest has stopped either way.
 */
export function tellChannelLostOrLog(options: ChannelLostOptions & { logger: Logger }, chatId: number): Promise<boolean> {
  return tellChannelLost(options, chatId).catch((error: unknown) => {
    options.logger.warn({ err: error, chat_id: chatId }, "could not tell who set up the channel that its digest stopped");
    return false;
  });
}
