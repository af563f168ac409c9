import type { Context } from "grammy";
import type { ForceReply } from "grammy/types";
import type { LRUCache } from "lru-cache";
import { boundedCache } from "../shared/bounded-cache.js";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { escapeHtml, type RenderOptions, type Rendered } from "../render/format.js";
import { inScript, keyboardInScript } from "../render/script.js";
import { refToPayload, type SectionRef } from "../render/refs.js";
import { hasRichScreen, renderRichSection } from "../render/rich-briefing.js";
import { renderSection } from "../render/sections.js";
import { shareButtonRow } from "../render/share-card.js";
import { digestButtonRow } from "../render/subscription.js";
import { otherReadingRow } from "../render/twin.js";
import type { Script } from "../shared/locale.js";
import type { Store } from "../store/types.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import { forumTopicOf } from "../telegram/forum-topic.js";
import { passTurn } from "../telegram/one-at-a-time.js";
import { toReaderScriptHtml } from "../shared/script.js";
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
 * A section as a chat screen. Screens depend only on content, locale, script, chat kind, whether the chat has a digest
 * and whether rich messages are used, so each is rendered once. Every card has the button that shows it in the other
 * language, and the main menu and every card the way to the digest: subscribe, or its settings. With `rich`, the menu
 * offers the whole briefing in one message, and a section with a rich screen (hasRichScreen) is rich HTML.
 */
export async function renderForChat(
  ctx: BotContext,
  store: Store,
  library: ContentLibrary,
  briefing: Briefing,
  ref: SectionRef,
  rich = false,
): Promise<Rendered> {
  const options = renderOptions(ctx);
  const subscribed = await hasDigest(store, ctx);
  let screens = screenCaches.get(library);
  if (!screens) screenCaches.set(library, (screens = boundedCache(MAX_RENDERED_SCREENS)));
  const key = `${refToPayload(ref)}|${options.locale}|${ctx.script}|${options.compact ? "c" : "p"}|${subscribed ? "s" : "n"}|${briefing.id}|${rich ? "r" : "h"}`;
  let screen = screens.get(key);
  if (!screen) {
    const extras = {
      hasOtherVisits: library.briefings.length > 1,
      fullBriefing: rich,
      // Sharing starts in the private chat: pick a chat, and the card goes there through inline mode. A draft is
      // not shared: inline mode serves published briefings only.
      extraRows: [
        ...(ref.section === "home" ? [] : [otherReadingRow(ref, ctx, options.t)]),
        digestButtonRow(subscribed, options.t),
        ...(options.compact || briefing.status === "draft" ? [] : [shareButtonRow(ref, options)]),
      ],
    };
    screen = rich && hasRichScreen(ref) ? renderRichSection(briefing, ref, options, extras) : renderSection(briefing, ref, options, extras);
    screens.set(key, screen);
  }
  return screen;
}

/** A rich screen (its text is rich HTML) and the plain HTML screen that answers when the server has no rich messages. */
export type RichScreen = { rich: Rendered; fallback: Rendered };

/**
 * Shows a rich screen the way `show` shows a plain one (the pressed message edited, or a new message), transliterated
 * at the same edge for a Latin reader (text between tags only: tags, anchors and links stay). When the Bot API server
 * has no rich messages, the same update is answered with the fallback, and later ones go straight to it until the
 * server is tried again (telegram/capabilities.ts).
 */
export async function showRich(
  ctx: Context,
  capabilities: ApiCapabilities,
  screen: RichScreen,
  script: Script = scriptOf(ctx),
): Promise<void> {
  await capabilities.attempt(
    "rich_messages",
    () => sendRich(ctx, inScript(screen.rich, script)),
    () => show(ctx, screen.fallback, script),
  );
}

async function sendRich(ctx: Context, screen: Rendered): Promise<void> {
  // The text is prose from the content files and locales: nothing in it is meant as a link, a command or a tag.
  const message = { html: screen.text, skip_entity_detection: true };
  const other = { reply_markup: screen.keyboard };
  if (ctx.callbackQuery?.message) {
    // As in `show`: the edit is the handler's last step, and the chat's next tap need not wait for its slot.
    passTurn(ctx);
    try {
      await ctx.editMessageText(message, other);
      return;
    } catch (error) {
      if (!isUneditable(error)) throw error;
    }
  }
  await ctx.replyWithRichMessage(message, other);
}

/**
 * Shows a screen: edits the message the pressed button belongs to, so navigation stays in one message,
 * or sends a new message for commands and when the old one can no longer be edited.
 * Here, as in the replies below, is the edge where a Kazakh screen is written in the reader's script (`script`);
 * a screen already in its final script (the language picker, a card in another language) is shown with "cyrl".
 *
 * Editing the pressed message is a handler's last step: the chat's next update (the reader's next tap) starts while
 * the edit waits for its slot in the send budget, so that tap is answered at once and its newer screen replaces this
 * one if it has not gone yet (passTurn; an update in a dialogue keeps its turn).
 */
export async function show(ctx: Context, rendered: Rendered, script: Script = scriptOf(ctx)): Promise<void> {
  const screen = inScript(rendered, script);
  const options = { parse_mode: "HTML" as const, reply_markup: screen.keyboard, link_preview_options: { is_disabled: true } };
  if (ctx.callbackQuery?.message) {
    passTurn(ctx);
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
  return replyAroundTyped(ctx, () => text, "", keyboard, script);
}

/** Stands for what the person typed while the interface text around it is escaped and put in the reader's script. */
const TYPED_MARK = "\u0000";

/**
 * Sends interface text around something the person typed (their search query): the interface text is escaped and
 * put in the reader's script; what they typed is shown exactly as typed, only escaped. It is their words, in the
 * script they chose to type, and no transliteration table is meant for it (Russian, English, Latin already).
 */
export function replyAroundTyped(
  ctx: Context,
  text: (typed: string) => string,
  typed: string,
  keyboard?: Rendered["keyboard"] | ForceReply,
  script: Script = scriptOf(ctx),
) {
  const markup = keyboard && "inline_keyboard" in keyboard ? keyboardInScript(keyboard, script) : keyboard;
  const html = text(TYPED_MARK)
    .split(TYPED_MARK)
    .map((part) => toReaderScriptHtml(escapeHtml(part), script))
    .join(escapeHtml(typed));
  return ctx.reply(html, { parse_mode: "HTML", ...(markup ? { reply_markup: markup } : {}) });
}
