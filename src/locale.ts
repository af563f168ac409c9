import type { Context } from "grammy";
import type { Locale } from "./content/types.js";
import type { Store } from "./store/types.js";

/** Telegram's language_code → one of our locales, if it is one. */
export function localeFromLanguageCode(code: string | undefined): Locale | undefined {
  const primary = code?.toLowerCase().split(/[-_]/)[0];
  return primary === "kk" || primary === "ru" ? primary : undefined;
}

/**
 * The language to answer in, or undefined when we cannot tell (then the caller offers the bilingual picker).
 * Order: the sender's stored choice, then the group's choice (in groups), then the sender's Telegram language.
 * Works for every update type — inline queries and callbacks included — because it reads only the store.
 */
export async function resolveLocale(store: Store, ctx: Pick<Context, "from" | "chat">): Promise<Locale | undefined> {
  const userId = ctx.from?.id;
  const stored = userId === undefined ? undefined : (await store.getUser(userId))?.language;
  if (stored) return stored;
  const chat = ctx.chat;
  if (chat && chat.type !== "private") {
    const groupLanguage = (await store.getChat(chat.id))?.language;
    if (groupLanguage) return groupLanguage;
  }
  return localeFromLanguageCode(ctx.from?.language_code);
}
