import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Locale, Translate } from "../shared/locale.js";
import type { Edition } from "./edition.js";

export type LocaleFlavor = {
  /** The language this update is answered in. */
  locale: Locale;
  /** False when neither the store nor Telegram told us the language: the bilingual picker is due. */
  localeKnown: boolean;
  /** Interface text in `locale` (read at each call, so a language change applies at once). */
  t: Translate;
};

export type EditionFlavor = {
  /** The content this update is answered from, read once when the update arrives. */
  edition: Edition;
};

export type BotContext = ConversationFlavor<Context & LocaleFlavor & EditionFlavor>;
/** Inside dialogues: a plain context (plugins and sessions do not reach there; text comes from translators). */
export type DialogContext = Context;
