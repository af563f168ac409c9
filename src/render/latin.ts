import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { toLatin, toLatinHtml } from "../shared/latin.js";
import type { Script } from "../shared/locale.js";
import { decodeCallback } from "./callback-data.js";
import { copyButton } from "./copy.js";
import type { Rendered } from "./format.js";

/**
 * A button that picks a language is labelled with that language's own name, which no other script rewrites; the 🌐
 * button is "Тіл / Язык" in both languages on purpose, so that anyone finds it, and stays so too.
 */
export function namesALanguage(button: InlineKeyboardButton): boolean {
  if (!("callback_data" in button)) return false;
  const action = decodeCallback(button.callback_data);
  return (
    action?.kind === "language" ||
    action?.kind === "languageMenu" ||
    (action?.kind === "settings" && action.choice?.field === "language" && action.choice.language !== undefined)
  );
}

/**
 * A keyboard with its labels in Latin, and what a copy button copies (dropped if the Latin passes Telegram's limit);
 * callback data, URLs and inline queries stay as they are.
 */
export function latinKeyboard(keyboard: InlineKeyboard): InlineKeyboard {
  return InlineKeyboard.from(
    keyboard.inline_keyboard.map((row) =>
      row.flatMap((button) => {
        if (namesALanguage(button)) return [button];
        if ("copy_text" in button) return copyButton(toLatin(button.text), toLatin(button.copy_text.text)) ?? [];
        return [{ ...button, text: toLatin(button.text) }];
      }),
    ),
  );
}

/**
 * A rendered Kazakh screen in the reader's script. Renderers write Cyrillic; this is the one step that makes Latin of
 * it, text nodes of the HTML and button labels alike (tags, entities, callback data and URLs are never touched).
 */
export function inScript(screen: Rendered, script: Script): Rendered {
  return script === "latn" ? { text: toLatinHtml(screen.text), keyboard: latinKeyboard(screen.keyboard) } : screen;
}
