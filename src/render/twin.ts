import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Briefing } from "../content/types.js";
import type { Locale, Reading, Script, Translate } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import type { Rendered } from "./format.js";
import { inScript } from "./script.js";
import type { SectionRef } from "./refs.js";
import { renderSection } from "./sections.js";

/** The other language of a reading: Kazakh (in Cyrillic, the content's own script) for Russian, Russian for Kazakh. */
export function otherLanguage(reading: Reading): Reading {
  return reading.locale === "kk" ? { locale: "ru", script: "cyrl" } : { locale: "kk", script: "cyrl" };
}

/**
 * The row under every card that shows it once in the other language, without changing the reader's choice. A quote
 * read in Latin or the Arabic script also gets its Cyrillic original, since it is a transliteration there. Labels are in the
 * reader's language (`t`), so the edge writes them in the reader's script like the rest of the screen.
 */
export function otherReadingRow(ref: SectionRef, reading: Reading, t: Translate): InlineKeyboardButton[] {
  const row = [InlineKeyboard.text(t("button-other-language"), encodeCallback({ kind: "view", ref, reading: otherLanguage(reading) }))];
  if (reading.locale === "kk" && reading.script !== "cyrl" && ref.section === "qt") {
    row.push(
      InlineKeyboard.text(t("button-cyrillic-original"), encodeCallback({ kind: "view", ref, reading: { locale: "kk", script: "cyrl" } })),
    );
  }
  return row;
}

/**
 * A card shown once in another reading: its text as a reader of that reading sees it (already in its script), and
 * one button back to the reader's own reading, labelled in the reader's language and script (`readerT`) with the
 * reading it goes back to ("↩ На русском", "↩ Qazaqşa (latyn)").
 */
export function viewScreen(
  briefing: Briefing,
  ref: SectionRef,
  viewed: Reading,
  translators: Record<Locale, Translate>,
  readerT: Translate,
  readerScript: Script,
  compact: boolean,
): Rendered {
  const screen = renderSection(briefing, ref, { locale: viewed.locale, t: translators[viewed.locale], compact, script: viewed.script });
  const back = InlineKeyboard.from([
    [InlineKeyboard.text(readerT("button-back-to-own", { script: readerScript }), encodeCallback({ kind: "section", ref }))],
  ]);
  return { text: inScript(screen, viewed.script).text, keyboard: back };
}
