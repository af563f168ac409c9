import { InlineKeyboard } from "grammy";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { escapeHtml, type Rendered } from "./format.js";
import type { SectionRef } from "./refs.js";

/**
 * Both languages at once, for people whose language is not known yet: the message in each language, and a button
 * per language. `then` is the section to open once one is chosen (a deep link that arrived first).
 */
export function languagePickerScreen(
  translators: Record<Locale, Translate>,
  key: "greeting-bilingual" | "language-pick",
  then?: SectionRef,
): Rendered {
  return {
    text: escapeHtml(LOCALES.map((locale) => translators[locale](key)).join("\n\n")),
    keyboard: InlineKeyboard.from([
      LOCALES.map((language) =>
        InlineKeyboard.text(
          translators[language]("language-name"),
          encodeCallback({ kind: "language", language, ...(then ? { then } : {}) }),
        ),
      ),
    ]),
  };
}
