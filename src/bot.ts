import { conversations } from "@grammyjs/conversations";
import { Bot, Composer, type BotConfig, type Context, type MiddlewareFn } from "grammy";
import { LOCALES, type Locale } from "./content/types.js";
import type { ContentLibrary } from "./content/library.js";
import type { BotContext } from "./context.js";
import type { Deps } from "./deps.js";
import { createRateLimiter, TELEGRAM_LIMITS, type RateLimits } from "./digest/rate-limiter.js";
import { briefingFeature } from "./features/briefing.js";
import { digestFeature } from "./features/digest.js";
import { DIALOG_COMMANDS, subscribeDialogs } from "./features/subscribe-dialog.js";
import { fallbackFeature } from "./features/fallback.js";
import { helpFeature } from "./features/help.js";
import { inlineFeature } from "./features/inline.js";
import { languageFeature } from "./features/language.js";
import { createRouter, parseCommand } from "./features/router.js";
import { startFeature } from "./features/start.js";
import { createI18n, FALLBACK_LOCALE, translatorFor } from "./i18n.js";
import { resolveLocale } from "./locale.js";
import type { Logger } from "./logger.js";
import type { Translate } from "./render/format.js";
import { createCardSearch } from "./search/cards.js";
import type { Store } from "./store/types.js";
import { createDigestRenderer } from "./render/digest.js";
import { conversationStorage, hasDialogState } from "./store/conversation-storage.js";
import { decodeCallback } from "./render/callback-data.js";
import { floodGate } from "./telegram/flood-gate.js";
import { oneAtATime } from "./telegram/one-at-a-time.js";
import { ignoreNotModified } from "./telegram/not-modified.js";
import { retryOnFlood } from "./telegram/retry.js";

export type CreateBotOptions = {
  token: string;
  store: Store;
  library: ContentLibrary;
  logger: Logger;
  adminIds?: readonly number[];
  /** Zone for new subscriptions. */
  defaultTimezone?: string;
  rateLimits?: RateLimits;
  /** Recognise an update delivered twice (webhook retries); default true. */
  skipRepeatedUpdates?: boolean;
  now?: () => Date;
  /** grammY options: tests pass `client.apiRoot` (or `fetch`) here so every Api object talks to the fake. */
  botConfig?: BotConfig<BotContext>;
};

/** Updates are processed one at a time per chat (and per user outside chats), concurrently across chats. */
export function sequenceKey(ctx: Context): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

export function createBot(options: CreateBotOptions): { bot: Bot<BotContext>; deps: Deps } {
  const { store, library, logger } = options;
  const bot = new Bot<BotContext>(options.token, options.botConfig);
  const i18n = createI18n();
  const translators = Object.fromEntries(LOCALES.map((locale) => [locale, translatorFor(i18n, locale)])) as Record<
    Locale,
    Translate
  >;
  const deps: Deps = {
    store,
    library,
    search: createCardSearch(library, translators),
    translators,
    logger,
    adminIds: options.adminIds ?? [],
    defaultTimezone: options.defaultTimezone ?? "Asia/Almaty",
    digests: createDigestRenderer(library, translators),
    limiter: createRateLimiter(options.rateLimits ?? TELEGRAM_LIMITS),
    now: options.now ?? (() => new Date()),
  };

  // Order matters: the last installed runs first, so auto-retry wraps the flood gate, which sees every 429.
  bot.api.config.use(ignoreNotModified);
  bot.api.config.use(floodGate((seconds) => deps.limiter.closeFor(seconds)));
  bot.api.config.use(retryOnFlood());

  bot.use(oneAtATime(sequenceKey));
  if (logger.isLevelEnabled("debug")) bot.use(logUpdates(logger));
  bot.use(prepareUpdate(store, translators, options.skipRepeatedUpdates ?? true));
  const dialogs = new Composer<BotContext>(conversations<BotContext, BotContext>({ storage: conversationStorage(store) }));
  subscribeDialogs(deps, dialogs);
  const dialogMiddleware = dialogs.middleware();
  // The conversations plugin replays state on every update it sees; it only needs the ones that can open a dialogue
  // (commands, settings buttons) or that arrive while one is open.
  bot.use(dialogGate(store, dialogMiddleware));

  const router = createRouter();
  startFeature(deps, router);
  languageFeature(deps, router);
  briefingFeature(deps, router);
  const chatEvents = digestFeature(deps, router);
  helpFeature(router);
  bot.use(router.middleware);
  bot.use(inlineFeature(deps));
  bot.use(chatEvents);
  bot.use(fallbackFeature(deps));

  bot.catch(async ({ error, ctx }) => {
    logger.error({ err: error, update_id: ctx.update.update_id }, "update failed");
    // Never leave a button spinning, even when the handler failed.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  });

  return { bot, deps };
}

/**
 * Hands the conversations plugin the updates it must see: those that can open a dialogue, and any while one is open.
 * Most updates are neither, and pass on without an extra async step.
 */
function dialogGate(store: Store, dialogs: MiddlewareFn<BotContext>): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (!ctx.chat || !ctx.from) return next();
    const command = parseCommand(ctx);
    const opens =
      (command !== undefined && DIALOG_COMMANDS.has(command.name)) ||
      (ctx.callbackQuery !== undefined && decodeCallback(ctx.callbackQuery.data)?.kind === "settings");
    if (opens) return dialogs(ctx, next);
    return hasDialogState(store, ctx).then((open) => (open ? dialogs(ctx, next) : next()));
  };
}

function logUpdates(logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const started = performance.now();
    await next();
    if (logger.isLevelEnabled("debug")) {
      const type = Object.keys(ctx.update).find((key) => key !== "update_id");
      logger.debug({ update_id: ctx.update.update_id, type, ms: Math.round(performance.now() - started) }, "update");
    }
  };
}

/** Remembered ids beyond this are forgotten and written again when seen (the rows are idempotent). */
const MAX_REMEMBERED_CONTACTS = 100_000;

/**
 * What every update needs before a feature sees it, in one step (each middleware is a frame on every update):
 * - drop an update seen before: Telegram sends a webhook update again when it got no answer in time. Long polling
 *   never repeats one (the offset moves on), so main.ts turns this off there;
 * - drop the cards this bot posted through inline mode (they come back as messages, not requests);
 * - record new users and chats, and settle the language with `ctx.t`.
 */
function prepareUpdate(store: Store, translators: Record<Locale, Translate>, skipRepeats: boolean): MiddlewareFn<BotContext> {
  const seenUsers = new Set<number>();
  const seenChats = new Set<number>();
  const remember = (seen: Set<number>, id: number) => {
    if (seen.size >= MAX_REMEMBERED_CONTACTS) seen.clear();
    seen.add(id);
  };
  return async (ctx, next) => {
    if (skipRepeats && !(await store.firstSightOfUpdate(ctx.update.update_id))) return;
    if (ctx.message?.via_bot?.id === ctx.me.id) return;
    const user = ctx.from;
    if (user && !user.is_bot && !seenUsers.has(user.id)) {
      await store.touchUser(user.id);
      remember(seenUsers, user.id);
    }
    const chat = ctx.chat;
    if (chat && !seenChats.has(chat.id)) {
      await store.touchChat({ id: chat.id, kind: chat.type, title: "title" in chat ? (chat.title ?? null) : null });
      remember(seenChats, chat.id);
    }
    const locale = await resolveLocale(store, ctx);
    ctx.locale = locale ?? FALLBACK_LOCALE;
    ctx.localeKnown = locale !== undefined;
    ctx.t = (key, variables) => translators[ctx.locale](key, variables);
    await next();
  };
}
