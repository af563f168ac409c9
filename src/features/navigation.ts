import type { Context, InlineKeyboard } from "grammy";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import type { BotContext } from "../context.js";
import type { RenderOptions } from "../render/format.js";
import { refToPayload, type SectionRef } from "../render/refs.js";
import { shareButtonRow } from "../render/card.js";
import { renderSection, type Rendered } from "../render/sections.js";
import { isUneditable } from "../telegram/errors.js";

export function renderOptions(ctx: BotContext): RenderOptions {
  return { locale: ctx.locale, t: ctx.t, compact: ctx.chat !== undefined && ctx.chat.type !== "private" };
}

const MAX_CACHED_SCREENS = 2000;
const screenCache = new WeakMap<ContentLibrary, Map<string, Rendered>>();

/** A section as a chat screen. Screens depend only on content, locale and chat kind, so each is rendered once. */
export function renderForChat(ctx: BotContext, library: ContentLibrary, briefing: Briefing, ref: SectionRef): Rendered {
  const options = renderOptions(ctx);
  let cache = screenCache.get(library);
  if (!cache) screenCache.set(library, (cache = new Map()));
  const key = `${refToPayload(ref)}|${options.locale}|${options.compact ? "c" : "p"}|${briefing.id}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const screen = renderSection(briefing, ref, options, {
    hasOtherVisits: library.briefings.length > 1,
    // Sharing starts in the private chat: pick a chat, and the card goes there through inline mode.
    extraRows: options.compact ? [] : [shareButtonRow(ref, options)],
  });
  if (cache.size >= MAX_CACHED_SCREENS) cache.clear();
  cache.set(key, screen);
  return screen;
}

/**
 * Shows a screen: edits the message the pressed button belongs to, so navigation stays in one message,
 * or sends a new message for commands and when the old one can no longer be edited.
 */
export async function show(ctx: Context, screen: { text: string; keyboard: InlineKeyboard }): Promise<void> {
  const options = { parse_mode: "HTML" as const, reply_markup: screen.keyboard, link_preview_options: { is_disabled: true } };
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(screen.text, options);
      return;
    } catch (error) {
      if (!isUneditable(error)) throw error;
    }
  }
  await ctx.reply(screen.text, options);
}
