import type { ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { Locale } from "./content/types.js";

export type LocaleFlavor = {
  /** The language this update is answered in. */
  locale: Locale;
  /** False when neither the store nor Telegram told us the language: the bilingual picker is due. */
  localeKnown: boolean;
};

export type BotContext = ConversationFlavor<Context & I18nFlavor & LocaleFlavor>;
/** Inside conversations: a plain context (plugins and sessions do not reach there; text comes from translators). */
export type DialogContext = Context;
