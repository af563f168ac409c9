import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Briefing } from "../content/types.js";
import { formatDate, type RenderOptions } from "./format.js";
import type { SectionRef } from "./refs.js";

/** Telegram's limit on a copy button's text (CopyTextButton.text: 1–256 characters). */
export const COPY_TEXT_LIMIT = 256;

/**
 * A button that copies `text` exactly, or none when the text passes Telegram's limit: a quote is copied whole or not
 * at all, never cut. Every copy button is made here, so the limit is checked in one place.
 */
export function copyButton(label: string, text: string): InlineKeyboardButton | undefined {
  return text.length > 0 && text.length <= COPY_TEXT_LIMIT ? InlineKeyboard.copyText(label, text) : undefined;
}

/**
 * The copy buttons of a screen: on a quote's screen, the quote as the reader reads it with its speaker (the Russian
 * translation says it is one); on the key figures, each figure with what it counts and the source.
 */
export function copyRows(briefing: Briefing, ref: SectionRef, options: RenderOptions): InlineKeyboardButton[][] {
  const { locale, t } = options;
  const source = `${briefing.source.name}, ${formatDate(briefing.source.date, t)}`;
  if (ref.section === "qt" && ref.itemId !== undefined) {
    const quote = briefing.quotes.find((entry) => entry.id === ref.itemId);
    if (!quote) return [];
    const text = t("copy-quote", { text: locale === "kk" ? quote.textKk : quote.translationRu, speaker: quote.speaker[locale] });
    const button = copyButton(t("button-copy-quote"), text);
    return button ? [[button]] : [];
  }
  if (ref.section !== "fg") return [];
  const buttons = briefing.figures.flatMap((figure) => {
    const text = t("copy-figure", { value: figure.value[locale], label: figure.label[locale], source });
    return copyButton(t("button-copy-figure", { value: figure.value[locale] }), text) ?? [];
  });
  return buttons.map((button) => [button]);
}
