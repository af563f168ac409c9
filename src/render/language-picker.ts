import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { toLatin } from "../shared/latin.js";
import { LOCALES, type Locale, type Reading, type Translate } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { escapeHtml, type Rendered } from "./format.js";
import type { SectionRef } from "./refs.js";

/** The three choices wherever a language is picked: Kazakh in Cyrillic, Kazakh in Latin, Russian. */
export const READINGS: readonly Reading[] = [
  { locale: "kk", script: "cyrl" },
  { locale: "kk", script: "latn" },
  { locale: "ru", script: "cyrl" },
];

/**
 * Each choice named in itself: "Қазақша (кирилл)", "Qazaqşa (latyn)", "Русский". The Latin choice is the Kazakh
 * name transliterated here, because these labels are never transliterated at the edge (a language's own name stays
 * as that language writes it, whatever script the screen around it is in).
 */
export function readingName(translators: Record<Locale, Translate>, { locale, script }: Reading): string {
  if (locale !== "kk") return translators[locale]("language-name");
  return script === "latn" ? toLatin(translators.kk("language-name-latn")) : translators.kk("language-name-cyrl");
}

/** A row of buttons, one per choice. */
export function readingButtons(
  translators: Record<Locale, Translate>,
  data: (reading: Reading) => string,
): InlineKeyboardButton.CallbackButton[] {
  return READINGS.map((reading) => InlineKeyboard.text(readingName(translators, reading), data(reading)));
}

/**
 * Both languages at once, for people whose language is not known yet or who change it: the message in each language
 * (Kazakh in both scripts), and a button per choice. `then` is the section to open once one is chosen (a deep link
 * that arrived first). It is shown as it is: its text is in every script already.
 */
export function languagePickerScreen(
  translators: Record<Locale, Translate>,
  key: "greeting-bilingual" | "language-pick",
  then?: SectionRef,
): Rendered {
  const texts = LOCALES.map((locale) => {
    const text = translators[locale](key);
    return locale === "kk" ? `${text}\n${toLatin(text)}` : text;
  });
  return {
    text: escapeHtml(texts.join("\n\n")),
    keyboard: InlineKeyboard.from([
      readingButtons(translators, ({ locale, script }) =>
        encodeCallback({ kind: "language", language: locale, ...(script === "latn" ? { script } : {}), ...(then ? { then } : {}) }),
      ),
    ]),
  };
}
