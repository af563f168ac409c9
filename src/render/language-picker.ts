import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { LOCALES, type Locale, type Reading, type Translate } from "../shared/locale.js";
import { keepAsWritten, toReaderScript } from "../shared/script.js";
import { encodeCallback } from "./callback-data.js";
import { escapeHtml, type Rendered } from "./format.js";
import type { SectionRef } from "./refs.js";

/** The four choices wherever a language is picked: Kazakh in Cyrillic, in Latin, in the Arabic script, Russian. */
export const READINGS: readonly Reading[] = [
  { locale: "kk", script: "cyrl" },
  { locale: "kk", script: "latn" },
  { locale: "kk", script: "arab" },
  { locale: "ru", script: "cyrl" },
];

/**
 * Each choice named in itself: "Қазақша (кирилл)", "Qazaqşa (latyn)", "قازاقشا (توتە)", "Русский". A Kazakh choice is
 * the Kazakh name written here in the script it names, and every name is kept as written at the edge: a language's
 * own name stays as that language writes it, whatever script the screen around it is in.
 */
export function readingName(translators: Record<Locale, Translate>, { locale, script }: Reading): string {
  if (locale !== "kk") return keepAsWritten(translators[locale]("language-name"));
  return keepAsWritten(toReaderScript(translators.kk(`language-name-${script}`), script));
}

/** The buttons, one per choice, two to a row (four names side by side do not fit a phone's width). */
export function readingButtons(
  translators: Record<Locale, Translate>,
  data: (reading: Reading) => string,
): InlineKeyboardButton.CallbackButton[][] {
  const buttons = READINGS.map((reading) => InlineKeyboard.text(readingName(translators, reading), data(reading)));
  return [buttons.slice(0, 2), buttons.slice(2)];
}

/**
 * Both languages at once, for people whose language is not known yet or who change it: the message in each language
 * (Kazakh in each script), and a button per choice. `then` is the section to open once one is chosen (a deep link
 * that arrived first). It is shown as it is: its text is in every script already.
 */
export function languagePickerScreen(
  translators: Record<Locale, Translate>,
  key: "greeting-bilingual" | "language-pick",
  then?: SectionRef,
): Rendered {
  const texts = LOCALES.map((locale) => {
    const text = translators[locale](key);
    return locale === "kk" ? [text, toReaderScript(text, "latn"), toReaderScript(text, "arab")].join("\n") : text;
  });
  return {
    text: escapeHtml(texts.join("\n\n")),
    keyboard: InlineKeyboard.from(
      readingButtons(translators, ({ locale, script }) =>
        encodeCallback({ kind: "language", language: locale, ...(script !== "cyrl" ? { script } : {}), ...(then ? { then } : {}) }),
      ),
    ),
  };
}
