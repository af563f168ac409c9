import type { InlineKeyboard } from "grammy";
import type { Locale, Script, Translate } from "../shared/locale.js";

export const MAX_MESSAGE_CHARS = 4096;

export type RenderOptions = {
  locale: Locale;
  t: Translate;
  /** Group chats get shorter texts and denser keyboards. */
  compact?: boolean;
  /**
   * The script the screen will be shown in. Renderers still write Cyrillic (the edge transliterates); they only add
   * what Latin readers need besides, such as the mark on a transliterated quote.
   */
  script?: Script;
};

/** A screen or message: HTML text and its inline keyboard. */
export type Rendered = { text: string; keyboard: InlineKeyboard };

/** A screen with a line of interface text (escaped here) above it. */
export function withNote(note: string | undefined, screen: Rendered): Rendered {
  return note ? { text: `${escapeHtml(note)}\n\n${screen.text}`, keyboard: screen.keyboard } : screen;
}

export function escapeHtml(text: string): string {
  // Most texts have nothing to escape: one look instead of three replacements.
  if (!HTML_SPECIAL.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
const HTML_SPECIAL = /[&<>]/;

export const bold = (text: string) => `<b>${escapeHtml(text)}</b>`;
export const italic = (text: string) => `<i>${escapeHtml(text)}</i>`;

/** Telegram counts message length after entity parsing: tags do not count, entities count as one character. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/g, "").replace(/&(amp|lt|gt|quot);/g, "_").length;
}

/**
 * Joins complete HTML blocks with blank lines, keeping whole blocks while they fit.
 * The last block (the source line) is always kept; blocks that do not fit are dropped
 * and replaced by an ellipsis, so a message is shortened rather than failing.
 */
export function joinBlocks(blocks: string[], footer?: string, limit = MAX_MESSAGE_CHARS): string {
  const separator = "\n\n";
  const tail = footer ? separator + footer : "";
  const budget = limit - visibleLength(tail) - 2;
  const kept: string[] = [];
  let used = 0;
  for (const block of blocks) {
    const cost = visibleLength(block) + (kept.length ? separator.length : 0);
    if (used + cost > budget) {
      kept.push("…");
      break;
    }
    kept.push(block);
    used += cost;
  }
  return kept.join(separator) + tail;
}

/**
 * "2025-09-05" → the locale's full date, via the Fluent "date" message; "date-locative" is the date as an adverbial
 * ("published on …"), which in Kazakh takes a case ending.
 */
export function formatDate(iso: string, t: Translate, key: "date" | "date-locative" = "date"): string {
  const [year, month, day] = iso.split("-").map(Number);
  // Strings, not numbers: Fluent would group digits ("2 025").
  return t(key, { year: String(year), month: month!, day: String(day) });
}

/** HTML as plain text: tags dropped, the entities escapeHtml writes turned back into characters. */
export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
