import type { Context } from "grammy";
import type { ForceReply } from "grammy/types";
import type { LRUCache } from "lru-cache";
import { boundedCache } from "../shared/bounded-cache.js";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { escapeHtml, type RenderOptions, type Rendered } from "../render/format.js";
import { inScript, latinKeyboard } from "../render/latin.js";
import { refToPayload, type SectionRef } from "../render/refs.js";
import { renderSection } from "../render/sections.js";
import { shareButtonRow } from "../render/share-card.js";
import { digestButtonRow } from "../render/subscription.js";
import { otherReadingRow } from "../render/twin.js";
import { toLatinHtml } from "../shared/latin.js";
import type { Script } from "../shared/locale.js";
import type { Store } from "../store/types.js";
import { forumTopicOf } from "../telegram/forum-topic.js";
import { isUneditable } from "../telegram/send-errors.js";
import type { BotContext, LocaleFlavor } from "./context.js";

/** Distinct chat screens kept rendered, per library: every section and item, per locale, script and chat kind. */
const MAX_RENDERED_SCREENS = 2000;
const screenCaches = new WeakMap<ContentLibrary, LRUCache<string, Rendered>>();

export function renderOptions(ctx: BotContext): RenderOptions {
  return { locale: ctx.locale, t: ctx.t, compact: ctx.chat !== undefined && ctx.chat.type !== "private", script: ctx.script };
}

/** The script a context answers in; contexts outside prepareUpdate (dialogues) pass theirs to show and reply. */
export function scriptOf(ctx: Context): Script {
  return (ctx as Partial<LocaleFlavor>).script ?? "cyrl";
}

/** Whether the chat (or forum topic) the update came from has a digest running or paused: its settings exist. */
async function hasDigest(store: Store, ctx: BotContext): Promise<boolean> {
  if (!ctx.chat) return false;
  const subscription = await store.getSubscription(ctx.chat.id, forumTopicOf(ctx));
  return subscription !== undefined && subscription.status !== "stopped";
}

/**
 * A section as a chat screen. Screens depend only on content, locale, script, chat kind and whether the chat has a
 * digest, so each is rendered once. Every card has the button that shows it in the other language, and the main menu
 * and every card the way to the digest: subscribe, or its settings.
 */
export async function renderForChat(
  ctx: BotContext,
  store: Store,
  library: ContentLibrary,
  briefing: Briefing,
  ref: SectionRef,
): Promise<Rendered> {
  const options = renderOptions(ctx);
  const subscribed = await hasDigest(store, ctx);
  let screens = screenCaches.get(library);
  if (!screens) screenCaches.set(library, (screens = boundedCache(MAX_RENDERED_SCREENS)));
  const key = `${refToPayload(ref)}|${options.locale}|${ctx.script}|${options.compact ? "c" : "p"}|${subscribed ? "s" : "n"}|${briefing.id}`;
  let screen = screens.get(key);
  if (!screen) {
    screen = renderSection(briefing, ref, options, {
      hasOtherVisits: library.briefings.length > 1,
      // Sharing starts in the private chat: pick a chat, and the card goes there through inline mode. A draft is
      // not shared: inline mode serves published briefings only.
      extraRows: [
        ...(ref.section === "home" ? [] : [otherReadingRow(ref, ctx, options.t)]),
        digestButtonRow(subscribed, options.t),
        ...(options.compact || briefing.status === "draft" ? [] : [shareButtonRow(ref, options)]),
      ],
    });
    screens.set(key, screen);
  }
  return screen;
}

/**
 * Shows a screen: edits the message the pressed button belongs to, so navigation stays in one message,
 * or sends a new message for commands and when the old one can no longer be edited.
 * Here, as in the replies below, is the edge where a Kazakh screen becomes Latin for a Latin reader (`script`);
 * a screen already in its final script (the language picker, a card in another language) is shown with "cyrl".
 */
export async function show(ctx: Context, rendered: Rendered, script: Script = scriptOf(ctx)): Promise<void> {
  const screen = inScript(rendered, script);
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

/** Sends a screen as a new message (where editing the pressed message is not what is wanted). */
export function replyScreen(ctx: Context, rendered: Rendered, script: Script = scriptOf(ctx)) {
  const screen = inScript(rendered, script);
  return ctx.reply(screen.text, { parse_mode: "HTML", reply_markup: screen.keyboard, link_preview_options: { is_disabled: true } });
}

/** Sends plain interface text (escaped here) as a new message, with a keyboard if one is given. */
export function replyText(ctx: Context, text: string, keyboard?: Rendered["keyboard"] | ForceReply, script: Script = scriptOf(ctx)) {
  const latin = script === "latn";
  const markup = keyboard && latin && "inline_keyboard" in keyboard ? latinKeyboard(keyboard) : keyboard;
  return ctx.reply(latin ? toLatinHtml(escapeHtml(text)) : escapeHtml(text), {
    parse_mode: "HTML",
    ...(markup ? { reply_markup: markup } : {}),
  });
}
