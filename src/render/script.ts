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
  const written = writtenScreens.get(screen);
  if (!written) return writeInScript(screen, script);
  return (written[script] ??= writeInScript(screen, script));
}

function writeInScript(screen: Rendered, script: Script): Rendered {
  const text = toReaderScriptHtml(screen.text, script);
  const keyboard = keyboardInScript(screen.keyboard, script);
  return text === screen.text && keyboard === screen.keyboard ? screen : { text, keyboard };
}

/**
 * A screen kept to be shown again and again (the chat screens' cache, bot/screens.ts): inScript writes it in each
 * script once, for as long as the screen itself is kept. Only such screens are remembered: one remembered for every
 * screen rendered once (a whole briefing, a digest) would leave the garbage collector a weak entry to clear for each.
 * Rendered screens are never changed once made, which is what makes this safe.
 */
export function keptScreen(screen: Rendered): Rendered {
  if (!writtenScreens.has(screen)) writtenScreens.set(screen, {});
  return screen;
}

const writtenScreens = new WeakMap<Rendered, Partial<Record<Script, Rendered>>>();
