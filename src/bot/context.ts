import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Locale, Translate } from "../shared/locale.js";

export type LocaleFlavor = {
  /** The language this update is answered in. */
  locale: Locale;
  /** False when neither the store nor Telegram told us the language: the bilingual picker is due. */
  localeKnown: boolean;
  /** Interface text in `locale` (read at each call, so a language change applies at once). */
  t: Translate;
};

export type BotContext = ConversationFlavor<Context & LocaleFlavor>;
/** Inside dialogues: a plain context (plugins and sessions do not reach there; text comes from translators). */
export type DialogContext = Context;
