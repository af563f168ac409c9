import type { Api } from "grammy";
import { escapeHtml } from "../render/format.js";
import { toLatin } from "../shared/latin.js";
import { scriptFor, type Locale, type Translate } from "../shared/locale.js";
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
  const latin = reading.script === "latn";
  await api.sendMessage(subscription.createdBy, escapeHtml(latin ? toLatin(text) : text), { parse_mode: "HTML" });
  return true;
}
