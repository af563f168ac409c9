import { scriptFor, type Locale, type Script } from "../shared/locale.js";
import type { Store } from "../store/types.js";
import { canManageChat } from "./admins.js";
import type { BotContext } from "./context.js";

/**
 * Saves the sender's language choice and answers the rest of this update in it. In a group the choice also becomes
 * the group's language (used for members who chose none) when the group has none yet or the sender administers it.
 */
export async function saveLanguage(store: Store, ctx: BotContext, language: Locale, chosenScript?: Script): Promise<void> {
  const script = scriptFor(language, chosenScript);
  await store.setUserLanguage(ctx.from!.id, language, script);
  const chat = ctx.chat;
  if (chat && chat.type !== "private" && chat.type !== "channel") {
    const current = await store.getChat(chat.id);
    if (!current?.language || (await canManageChat(ctx))) await store.setChatLanguage(chat.id, language, script);
  }
  ctx.locale = language;
  ctx.script = script;
  ctx.localeKnown = true;
}
