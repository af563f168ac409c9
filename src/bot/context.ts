import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Locale, Script, Translate } from "../shared/locale.js";
import type { Edition } from "./edition.js";

export type LocaleFlavor = {
  /** The language this update is answered in. */
  locale: Locale;
  /** The script this update is answered in: "latn" only for Kazakh in Latin. */
  script: Script;
  /** False when neither the store nor Telegram told us the language: the bilingual picker is due. */
  localeKnown: boolean;
  /**
   * Interface text in `locale` and `script` (read at each call, so a language change applies at once). Latin readers
   * get it transliterated, so that toasts and notes are in their script too.
   */
  t: Translate;
};

export type EditionFlavor = {
  /** The content this update is answered from, read once when the update arrives. */
  edition: Edition;
};

export type BotContext = ConversationFlavor<Context & LocaleFlavor & EditionFlavor>;
/** Inside dialogues: a plain context (plugins and sessions do not reach there; text comes from translators). */
export type DialogContext = Context;
