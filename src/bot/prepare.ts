import type { Context, MiddlewareFn, NextFunction } from "grammy";
import { andThen, type AtOnceOr } from "../shared/at-once.js";
import { boundedCache } from "../shared/bounded-cache.js";
import { FALLBACK_LOCALE } from "../i18n.js";
import type { Logger } from "../logger.js";
import { localeFromLanguageCode, scriptFor, type Locale, type Reading, type Translate } from "../shared/locale.js";
import { transliterate } from "../shared/script.js";
import type { Store } from "../store/types.js";
import type { BotContext } from "./context.js";
import type { Edition } from "./edition.js";

/** Users and chats known to be recorded; beyond this the least recent are written again when seen (idempotent). */
const REMEMBERED_CONTACTS = 100_000;

/**
 * The language and script to answer in, or undefined when we cannot tell (then the caller offers the bilingual
 * picker). Order: the sender's stored choice, then the group's choice (in groups), then the sender's Telegram language;
 * the script comes with the choice the language came from. Works for every update type (inline queries and callbacks
 * included) because it reads only the store: at once where the store can answer so (atOnce), else with a promise.
 */
export function resolveReading(store: Store, ctx: Pick<Context, "from" | "chat">): AtOnceOr<Reading | undefined> {
  const reads = store.atOnce ?? store;
  const userId = ctx.from?.id;
  return andThen(userId === undefined ? undefined : reads.getUser(userId), (user) => {
    if (user?.language) return { locale: user.language, script: scriptFor(user.language, user.script) };
    const chat = ctx.chat;
    if (!chat || chat.type === "private") return readingFromTelegram(ctx);
    return andThen(reads.getChat(chat.id), (group) =>
      group?.language ? { locale: group.language, script: scriptFor(group.language, group.script) } : readingFromTelegram(ctx),
    );
  });
}

/** The sender's Telegram language, in Cyrillic; undefined when it is none of ours. */
function readingFromTelegram(ctx: Pick<Context, "from">): Reading | undefined {
  const fromTelegram = localeFromLanguageCode(ctx.from?.language_code);
  return fromTelegram && { locale: fromTelegram, script: "cyrl" };
}

/**
 * Interface text for a reader: Kazakh in the reader's script (spans kept as written keep their marks, so the edge
 * leaves them alone when the text is part of a screen). Reads `translators` at each call.
 */
export function readerTranslate(translators: Record<Locale, Translate>, reading: () => Reading): Translate {
  return (key, variables) => {
    const { locale, script } = reading();
    const text = translators[locale](key, variables);
    return transliterate(text, script);
  };
}

/**
 * What every update needs before a feature sees it, in one step (each middleware is a frame on every update):
 * - drop an update seen before: Telegram sends a webhook update again when it got no answer in time. Long polling
 *   never repeats one (the offset moves on), so main.ts turns this off there;
 * - drop the cards this bot posted through inline mode (they come back as messages, not requests);
 * - record new users and chats, and settle the language with `ctx.t`;
 * - take the current edition of the content, which the whole update is answered from.
 */
export function prepareUpdate(options: {
  store: Store;
  edition: () => Edition;
  translators: Record<Locale, Translate>;
  skipRepeatedUpdates: boolean;
}): MiddlewareFn<BotContext> {
  const { store, translators, skipRepeatedUpdates, edition } = options;
  const recordedUsers = boundedCache<number, true>(REMEMBERED_CONTACTS);
  const recordedChats = boundedCache<number, true>(REMEMBERED_CONTACTS);
  const reads = store.atOnce ?? store;
  const prepared = async (ctx: BotContext, next: NextFunction) => {
    if (ctx.message?.via_bot?.id === ctx.me.id) return;
    const user = ctx.from;
    if (user && !user.is_bot && !recordedUsers.has(user.id)) {
      await store.touchUser(user.id);
      recordedUsers.set(user.id, true);
    }
    // A guest message comes from a chat the bot is not a member of: neither recorded nor asked for its language.
    const chat = ctx.update.guest_message ? undefined : ctx.chat;
    if (chat && !recordedChats.has(chat.id)) {
      await store.touchChat({ id: chat.id, kind: chat.type, title: "title" in chat ? (chat.title ?? null) : null });
      recordedChats.set(chat.id, true);
    }
    const found = resolveReading(store, { from: user, chat });
    // A reading answered at once is taken without a turn of the event loop.
    const reading = found instanceof Promise ? await found : found;
    ctx.locale = reading?.locale ?? FALLBACK_LOCALE;
    ctx.script = reading?.script ?? "cyrl";
    ctx.localeKnown = reading !== undefined;
    ctx.t = readerTranslate(translators, () => ctx);
    ctx.edition = edition();
    await next();
  };
  return (ctx, next) =>
    skipRepeatedUpdates
      ? andThen(reads.firstSightOfUpdate(ctx.update.update_id), (first) => (first ? prepared(ctx, next) : undefined))
      : prepared(ctx, next);
}

/** Each update's type and handling time at debug level. */
export function logUpdates(logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const started = performance.now();
    await next();
    const type = Object.keys(ctx.update).find((key) => key !== "update_id");
    logger.debug({ update_id: ctx.update.update_id, type, ms: Math.round(performance.now() - started) }, "update");
  };
}
