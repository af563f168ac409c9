import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { copyButton } from "./copy.js";
import type { Script } from "../shared/locale.js";
import { toReaderScript, toReaderScriptHtml } from "../shared/script.js";
import type { Rendered } from "./format.js";

/**
 * A keyboard with its labels in the reader's script; callback data, URLs and inline queries stay as they are. A
 * language's own name on a button that picks it, and the Russian half of "Тіл / Язык", are kept as written (they are
 * marked so where they are made).
 */
export function keyboardInScript(keyboard: InlineKeyboard, script: Script): InlineKeyboard {
  const rows = keyboard.inline_keyboard;
  const shown = rows.map((row) => row.flatMap((button) => buttonInScript(button, script)));
  if (rows.every((row, at) => row.length === shown[at]!.length && row.every((button, column) => button === shown[at]![column]))) {
    return keyboard;
  }
  return InlineKeyboard.from(shown);
}

/**
 * One button in the reader's script: its label, and what a copy button copies (no button when that passes Telegram's
 * limit in this script: copied whole or not at all). The same button when nothing changes.
 */
function buttonInScript(button: InlineKeyboardButton, script: Script): InlineKeyboardButton[] {
  const text = toReaderScript(button.text, script);
  if ("copy_text" in button) {
    const copied = toReaderScript(button.copy_text.text, script);
    if (text === button.text && copied === button.copy_text.text) return [button];
    return [copyButton(text, copied) ?? []].flat();
  }
  return [text === button.text ? button : { ...button, text }];
}

/**
 * A rendered Kazakh screen in the reader's script. Renderers write Cyrillic; this is the one step that makes Latin or
 * the Arabic script of it, text nodes of the HTML and button labels alike (tags, entities, callback data and URLs are
 * never touched). It runs for Cyrillic too: it resolves the content's names and drops the marks of kept spans.
 */
export function inScript(screen: Rendered, script: Script): Rendered {
  let written = writtenScreens.get(screen);
  if (!written) writtenScreens.set(screen, (written = {}));
  let shown = written[script];
  if (!shown) {
    const text = toReaderScriptHtml(screen.text, script);
    const keyboard = keyboardInScript(screen.keyboard, script);
    shown = written[script] = text === screen.text && keyboard === screen.keyboard ? screen : { text, keyboard };
  }
  return shown;
}

/**
 * Each screen in each script it was shown in, for as long as the screen itself is kept: the chat screens are rendered
 * once and cached (bot/screens.ts), and the same one is shown again and again, so it is written in a script once.
 * Rendered screens are never changed once made, which is what makes this safe.
 */
const writtenScreens = new WeakMap<Rendered, Partial<Record<Script, Rendered>>>();
