import { Bot, GrammyError, type ApiClientOptions, type BotConfig, type Context, type ErrorHandler, type MiddlewareFn } from "grammy";
import type { MenuEntry } from "./bot/command-menu.js";
import { inOrder } from "./bot/composer.js";
import type { BotContext } from "./bot/context.js";
import type { Deps } from "./bot/deps.js";
import { dialogGate } from "./bot/dialog-gate.js";
import { editionsOf } from "./bot/edition.js";
import { dialogsMiddleware } from "./bot/dialogs.js";
import type { FeatureFactory } from "./bot/feature.js";
import { measureUpdates } from "./bot/measure.js";
import { logUpdates, prepareUpdate } from "./bot/prepare.js";
import { createRouter } from "./bot/router.js";
import type { ContentLibrary } from "./content/library.js";
import type { LiveContent } from "./content/live.js";
import type { LoadedContent } from "./content/loader.js";
import { stopLostChat } from "./digest/subscriptions.js";
import { aboutFeature } from "./features/about.js";
import { briefingFeature } from "./features/briefing.js";
import { editorialFeature } from "./features/editorial.js";
import { fallbackFeature } from "./features/fallback.js";
import { helpFeature } from "./features/help.js";
import { inlineFeature } from "./features/inline.js";
import { languageFeature } from "./features/language.js";
import { searchFeature } from "./features/search.js";
import { startFeature } from "./features/start.js";
import { subscriptionsFeature } from "./features/subscriptions/index.js";
import { createTranslators, FALLBACK_LOCALE } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics/index.js";
import { localeFromLanguageCode, type Locale, type Translate } from "./shared/locale.js";
import type { Store } from "./store/types.js";
import { createApiCapabilities, type ApiCapabilities, type ApiPartMode } from "./telegram/capabilities.js";
import { oneAtATime } from "./telegram/one-at-a-time.js";
import { pressAnswers } from "./telegram/press-answers.js";
import { classifySendError } from "./telegram/send-errors.js";
import { localSendBudget, TELEGRAM_LIMITS, type RateLimits, type SendBudget } from "./telegram/send-budget.js";
import { botTransformers, reportingFetch, type SendFailureHandlers } from "./telegram/transformers.js";

/**
 * The bot's features, installed in this order: their commands appear in Telegram's menu in this order, and their
 * composers (updates other than commands and buttons) run in this order after the router. Fallback comes last.
 */
const FEATURES: readonly FeatureFactory[] = [
  startFeature,
  briefingFeature,
  subscriptionsFeature,
  languageFeature,
  helpFeature,
  aboutFeature,
  editorialFeature,
  inlineFeature,
  searchFeature,
  fallbackFeature,
];

export type CreateBotOptions = {
  token: string;
  store: Store;
  /** The content: a fixed library, or live content that follows its folder. */
  library: ContentLibrary | LiveContent;
  logger: Logger;
  adminIds?: readonly number[];
  /** Zone for new subscriptions. */
  defaultTimezone?: string;
  /** Limits of the send budget of this process (Telegram's by default); ignored when `sendBudget` is given. */
  rateLimits?: RateLimits;
  /** The send budget shared with digests (in Redis mode, with every instance); one of this process by default. */
  sendBudget?: SendBudget;
  /** How long a reply keeps waiting for its turn before it is given up (two minutes by default). */
  replyDeadlineMs?: number;
  /** RICH_MESSAGES: auto (used until the server refuses them) or off; ignored when `capabilities` is given. */
  richMessages?: ApiPartMode;
  /** EPHEMERAL_MESSAGES: auto (used until the server refuses them) or off; ignored when `capabilities` is given. */
  ephemeralMessages?: ApiPartMode;
  /** What the bot knows of the server's newer parts (tests pass one with their own clock). */
  capabilities?: ApiCapabilities;
  /** Recognise an update delivered twice (webhook retries); default true. */
  skipRepeatedUpdates?: boolean;
  now?: () => Date;
  /** Counts updates, their handling time and every Bot API call of the bots' Api objects; none when unset. */
  metrics?: Pick<Metrics, "updateHandled" | "apiCall"> & Partial<Pick<Metrics, "sources">>;
  /** grammY options: tests pass `client.apiRoot` (or `fetch`) here so every Api object talks to the fake. */
  botConfig?: BotConfig<BotContext>;
};

/** A library built in code, as content that never changes: reloading it finds nothing new. */
function fixedContent(library: ContentLibrary): LiveContent {
  const content: LoadedContent = { library, fingerprint: "", fileOf: () => undefined, locate: () => undefined };
  return { current: () => content, reload: () => ({ status: "unchanged", content }), close: () => undefined };
}

/**
 * An update failed because the store did not answer (Redis restarting, SQLite locked past its busy timeout): the
 * failure is the store's, not the reader's, and passes in a moment.
 */
async function storeFailed(store: Store, error: unknown): Promise<boolean> {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  return !(await store.healthy());
}

/**
 * Updates are processed one at a time per chat (and per user outside chats), concurrently across chats. The key is the
 * id itself: a private chat's id is its user's, so a user's inline queries queue with their private chat, and a number
 * needs no string made for it on every update.
 */
export function sequenceKey(ctx: Context): number | undefined {
  return ctx.chat?.id ?? ctx.from?.id;
}

/** What a refused send does: a 429 closes the send budget, a chat gone stops its digest, a migrated group moves it. */
function sendFailures(store: Store, sendBudget: SendBudget, logger: Logger): SendFailureHandlers {
  return {
    onFlood: (seconds) => sendBudget.closeFor(seconds),
    async onChatGone(chatId, reason) {
      if (await stopLostChat(store, chatId, reason)) logger.info({ chat_id: chatId, reason }, "chat is gone: subscription stopped");
    },
    async onChatMigrated(fromChatId, toChatId) {
      logger.info({ from: fromChatId, to: toChatId }, "group became a supergroup: subscription moved");
      await store.moveChat(fromChatId, toChatId);
    },
  };
}

/** The bot's error handler: what an update that failed logs, and what the reader hears of it. */
function updateFailed(store: Store, translators: Record<Locale, Translate>, logger: Logger): ErrorHandler<BotContext> {
  return async ({ error, ctx }) => {
    // A reply into a chat that blocked or removed the bot is not a fault: the HTTP client has already stopped that
    // chat's subscription (onChatGone). Logged at info, without the error, whose payload carries the message text.
    const failure = classifySendError(error);
    if (failure.kind === "gone") {
      const method = error instanceof GrammyError ? error.method : undefined;
      logger.info(
        { update_id: ctx.update.update_id, chat_id: ctx.chat?.id, method, reason: failure.reason },
        "reply not delivered: chat is gone",
      );
      return;
    }
    logger.error({ err: error, update_id: ctx.update.update_id }, "update failed");
    // A reader whose update failed because the store is away hears so, rather than silence; the update may have
    // failed before its language was settled, so the language comes from Telegram then.
    const unavailable = await storeFailed(store, error).catch(() => true);
    const locale: Locale = ctx.locale ?? localeFromLanguageCode(ctx.from?.language_code) ?? FALLBACK_LOCALE;
    const text = unavailable ? translators[locale]("store-unavailable") : undefined;
    // Never leave a button spinning, even when the handler failed.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery(text ? { text } : {}).catch(() => undefined);
    else if (text && ctx.message) await ctx.reply(text).catch(() => undefined);
  };
}

export function createBot(options: CreateBotOptions): { bot: Bot<BotContext>; deps: Deps; reportingClient: ApiClientOptions } {
  const { store, library, logger } = options;
  const sendBudget = options.sendBudget ?? localSendBudget(options.rateLimits ?? TELEGRAM_LIMITS);
  const failures = sendFailures(store, sendBudget, logger);
  // Every Api that answers people (the bot's, and the dialogue plugin's, built from these options) reports refused
  // calls through this HTTP client, and gets its transformers from installBotTransformers.
  const client = options.botConfig?.client ?? {};
  const { metrics } = options;
  const reportingClient = { ...client, fetch: reportingFetch(failures, logger, client.fetch, metrics?.apiCall) };
  const bot = new Bot<BotContext>(options.token, { ...options.botConfig, client: reportingClient });
  // Button presses are answered within a grace from their arrival, ahead of the chat's order (decision 0026).
  const presses = pressAnswers({ logger });
  const installBotTransformers = botTransformers(
    {
      budget: sendBudget,
      logger,
      ...(options.replyDeadlineMs === undefined ? {} : { deadlineMs: options.replyDeadlineMs }),
    },
    presses,
  );
  installBotTransformers(bot.api);
  const translators = createTranslators();
  const editionOf = editionsOf(translators);
  const live: LiveContent = "reload" in library ? library : fixedContent(library);
  let menu: readonly MenuEntry[] = [];
  const deps: Deps = {
    store,
    edition: () => editionOf(live.current().library),
    reloadContent: () => live.reload(),
    translators,
    logger,
    adminIds: options.adminIds ?? [],
    defaultTimezone: options.defaultTimezone ?? "Asia/Almaty",
    sendBudget,
    capabilities:
      options.capabilities ??
      createApiCapabilities({
        modes: { rich_messages: options.richMessages ?? "auto", ephemeral_messages: options.ephemeralMessages ?? "auto" },
        logger,
      }),
    commandMenu: () => menu,
    now: options.now ?? (() => new Date()),
  };

  if (metrics?.sources) metrics.sources.capabilities = () => deps.capabilities.snapshot();
  const features = FEATURES.map((feature) => feature(deps));
  const router = createRouter(features);
  menu = router.menu;

  const ordered = presses.around(oneAtATime(sequenceKey));
  // One chain in one bot.use (inOrder): the steps below run for every update, and grammY's `use` costs each a frame.
  const chain: MiddlewareFn<BotContext>[] = [metrics ? measureUpdates(metrics, ordered) : ordered];
  if (logger.isLevelEnabled("debug")) chain.push(logUpdates(logger));
  chain.push(prepareUpdate({ store, translators, edition: deps.edition, skipRepeatedUpdates: options.skipRepeatedUpdates ?? true }));
  const dialogs = dialogsMiddleware(
    store,
    features.flatMap((feature) => feature.dialogs ?? []),
    installBotTransformers,
  );
  // A channel's posts carry link buttons only (its readers have no session with the bot there, and its settings live in
  // an admin's private chat): a press on a channel's post is forged, and is answered without acting on the channel.
  chain.push((ctx, next) =>
    ctx.callbackQuery && ctx.chat?.type === "channel" ? ctx.answerCallbackQuery({ text: ctx.t("stale-button") }) : next(),
  );
  chain.push(dialogGate({ store, opensDialog: router.opensDialog, dialogs: dialogs.middleware() }));
  chain.push(router.middleware);
  for (const feature of features) if (feature.composer) chain.push(feature.composer.middleware());
  bot.use(inOrder(chain));

  bot.catch(updateFailed(store, translators, logger));

  /**
   * The bot's HTTP client options: refused calls reported (a chat gone stops its digest, a migrated group moves it, a
   * 429 closes the send budget) and every call counted. Other Apis that write to people's chats are built on it.
   */
  return { bot, deps, reportingClient };
}
