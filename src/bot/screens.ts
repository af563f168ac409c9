import type { Context } from "grammy";
import type { ForceReply } from "grammy/types";
import type { LRUCache } from "lru-cache";
import { boundedCache } from "../shared/bounded-cache.js";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { escapeHtml, type RenderOptions, type Rendered } from "../render/format.js";
import { inScript, keptScreen, keyboardInScript } from "../render/script.js";
import { refToPayload, type SectionRef } from "../render/refs.js";
import { hasRichScreen, renderRichSection } from "../render/rich-briefing.js";
import { richMessage } from "../render/rich-html.js";
import { renderSection } from "../render/sections.js";
import { shareButtonRow } from "../render/share-card.js";
import { digestButtonRow } from "../render/subscription.js";
import { otherReadingRow } from "../render/twin.js";
import type { Script } from "../shared/locale.js";
import type { Store, Subscription } from "../store/types.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import { forumTopicOf } from "../telegram/forum-topic.js";
import { passTurn } from "../telegram/one-at-a-time.js";
import { andThen, type AtOnceOr } from "../shared/at-once.js";
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

/**
 * What each update found of its chat's digest: a screen and its fallback, rendered for one update, read it once. It is
 * kept on the update's context (a WeakMap entry per update would be work for every young-generation garbage collection).
 */
const digestOfUpdate = Symbol("digestOfUpdate");

/**
 * Whether the chat (or forum topic) the update came from has a digest running or paused: its settings exist. Read at
 * once where the store can answer so (atOnce), else with a promise.
 */
function hasDigest(store: Store, ctx: BotContext & { [digestOfUpdate]?: AtOnceOr<boolean> }): AtOnceOr<boolean> {
  const chat = ctx.chat;
  if (!chat) return false;
  const running = (subscription: Subscription | undefined) => subscription !== undefined && subscription.status !== "stopped";
  return (ctx[digestOfUpdate] ??= andThen((store.atOnce ?? store).getSubscription(chat.id, forumTopicOf(ctx)), running));
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
  const found = hasDigest(store, ctx);
  // A digest state read at once is taken without a turn of the event loop.
  const subscribed = found instanceof Promise ? await found : found;
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
    screen = keptScreen(
      rich && hasRichScreen(ref) ? renderRichSection(briefing, ref, options, extras) : renderSection(briefing, ref, options, extras),
    );
    screens.set(key, screen);
  }
  return screen;
}

/** A rich screen (its text is rich HTML) and the plain HTML screen that answers when the server has no rich messages. */
export type RichScreen = { rich: Rendered; fallback: Rendered };

/** A screen on its way out, already in the reader's script: rich HTML, or plain HTML. */
type Outgoing = { rich: boolean; screen: Rendered; script: Script };

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
    () => putShared(ctx, { rich: true, screen: inScript(screen.rich, script), script }),
    () => show(ctx, screen.fallback, script),
  );
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
  await putShared(ctx, { rich: false, screen: inScript(rendered, script), script });
}

/**
 * Shows a navigation screen (a section, a page, the whole briefing, a card in the other language): in a group, a
 * member's press on the bot's shared message opens the screen as an ephemeral message that member alone sees, in
 * place of the shared message, which stays as it was posted for everyone else; a press on that ephemeral screen
 * edits it. Anywhere else, and when the server has no ephemeral messages, it is `show` (or `showRich`). A rich screen
 * tries rich first: each part falls back by itself (telegram/capabilities.ts), and the same update is answered.
 */
export async function showNavigation(
  ctx: Context,
  capabilities: ApiCapabilities,
  screen: Rendered | RichScreen,
  script: Script = scriptOf(ctx),
): Promise<void> {
  const rich = "fallback" in screen ? screen : undefined;
  const plain = rich ? rich.fallback : (screen as Rendered);
  if (!opensEphemeral(ctx)) return rich ? showRich(ctx, capabilities, rich, script) : show(ctx, plain, script);
  const ephemeralOr = (outgoing: Outgoing, shared: () => Promise<void>) =>
    capabilities.attempt("ephemeral_messages", () => putEphemeral(ctx, outgoing), shared);
  const plainly = () => ephemeralOr({ rich: false, screen: inScript(plain, script), script }, () => show(ctx, plain, script));
  if (!rich) return plainly();
  const richly: Outgoing = { rich: true, screen: inScript(rich.rich, script), script };
  await capabilities.attempt("rich_messages", () => ephemeralOr(richly, () => putShared(ctx, richly)), plainly);
}

/** Chats where a press opens a screen for the one member who pressed: groups and supergroups (forum topics too). */
function opensEphemeral(ctx: Context): boolean {
  const type = ctx.callbackQuery?.message?.chat.type;
  return type === "group" || type === "supergroup";
}

/** The pressed message, if it is an ephemeral one (message_id 0): its id and the member who sees it. */
function pressedEphemeral(ctx: Context): { id: number; receiver: number } | undefined {
  const message = ctx.callbackQuery?.message;
  if (message?.ephemeral_message_id === undefined || !message.receiver_user) return undefined;
  return { id: message.ephemeral_message_id, receiver: message.receiver_user.id };
}

/** The text of a message as sendMessage and the edits take it: HTML without link previews. */
const PLAIN = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true } };

/** Today's placement, for everyone in the chat: the pressed message edited, else a new message. */
async function putShared(ctx: Context, { rich, screen, script }: Outgoing): Promise<void> {
  const other = { reply_markup: screen.keyboard };
  // An ephemeral message has no message_id to edit: without ephemeral messages, the screen comes as a new message.
  if (ctx.callbackQuery?.message && !pressedEphemeral(ctx)) {
    // Editing the pressed message is the handler's last step: the chat's next tap need not wait for its slot, and its
    // newer screen replaces this one if it has not gone yet (passTurn; an update in a dialogue keeps its turn).
    passTurn(ctx);
    try {
      if (rich) await ctx.editMessageText(richMessage(screen.text, script), other);
      else await ctx.editMessageText(screen.text, { ...PLAIN, ...other });
      return;
    } catch (error) {
      if (!isUneditable(error)) throw error;
    }
  }
  if (rich) await ctx.replyWithRichMessage(richMessage(screen.text, script), other);
  else await ctx.reply(screen.text, { ...PLAIN, ...other });
}

/**
 * The member's own screen: the ephemeral message they pressed edited, else a new ephemeral message for them (in the
 * forum topic of the press), shown in place of the shared message they pressed.
 */
async function putEphemeral(ctx: Context, { rich, screen, script }: Outgoing): Promise<void> {
  const press = ctx.callbackQuery!;
  const pressed = pressedEphemeral(ctx);
  const other = { reply_markup: screen.keyboard };
  if (pressed) {
    try {
      const content = rich ? richMessage(screen.text, script) : screen.text;
      await ctx.api.editEphemeralMessageText(ctx.chat!.id, pressed.receiver, pressed.id, content, rich ? other : { ...PLAIN, ...other });
      return;
    } catch (error) {
      if (!isUneditable(error)) throw error;
    }
  }
  // An expired ephemeral screen is not replaced: the new one comes beside the shared message.
  const ephemeral_message_parameters = {
    receiver_user_id: press.from.id,
    callback_query_id: press.id,
    ...(pressed ? {} : { replace_callback_query_message: true }),
  };
  if (rich) await ctx.replyWithRichMessage(richMessage(screen.text, script), { ...other, ephemeral_message_parameters });
  else await ctx.reply(screen.text, { ...PLAIN, ...other, ephemeral_message_parameters });
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
