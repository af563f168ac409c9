import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { Locale } from "./content/types.js";

export type LocaleFlavor = {
  /** The language this update is answered in. */
  locale: Locale;
  /** False when neither the store nor Telegram told us the language: the bilingual picker is due. */
  localeKnown: boolean;
};

export type BotContext = Context & I18nFlavor & LocaleFlavor;
