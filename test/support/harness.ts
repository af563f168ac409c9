import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update, UserFromGetMe } from "grammy/types";
import { Api, type Bot } from "grammy";
import type { BotContext } from "../../src/bot/context.js";
import type { Deps } from "../../src/bot/deps.js";
import { createBot, type CreateBotOptions } from "../../src/create-bot.js";
import { content } from "../../src/content/index.js";
import type { ContentLibrary } from "../../src/content/library.js";
import type { LiveContent } from "../../src/content/live.js";
import { createNoticesApi } from "../../src/digest/notices.js";
import { createDigestSender, type DigestSender, type SenderOptions } from "../../src/digest/sender.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { NO_LIMITS } from "../../src/telegram/send-budget.js";
import type { Store } from "../../src/store/types.js";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram.js";

export const TEST_TOKEN = "123456:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz012";

export const BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: "Visit Briefing",
  username: "visit_briefing_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export type Harness = {
  fake: FakeTelegram;
  store: Store;
  databasePath: string;
  bot: Bot<BotContext>;
  deps: Deps;
  send(update: Update): Promise<void>;
  /**
   * The digest sender as main.ts builds it in SQLite mode: on the bot's send budget, with an Api of its own (the
   * fake's, without the replies' transformers) and the notices' Api (createNoticesApi). Options override any part.
   */
  digestSender(overrides?: Partial<SenderOptions>): DigestSender;
  close(): Promise<void>;
};

/** A real bot (createBot) on a real SQLite file, talking HTTP to a fake Bot API server. */
export async function startHarness(
  options: {
    library?: ContentLibrary | LiveContent;
    databasePath?: string;
    fake?: FakeTelegram;
    /** The store's clock (subscription times); the bot's own clock follows it. */
    now?: () => Date;
    /**
     * Bot options; the send budget has no limits unless `rateLimits` (or a `sendBudget`) is given, so that tests of
     * other things are not paced like a real bot.
     */
    bot?: Partial<
      Pick<
        CreateBotOptions,
        | "adminIds"
        | "rateLimits"
        | "sendBudget"
        | "replyDeadlineMs"
        | "defaultTimezone"
        | "metrics"
        | "richMessages"
        | "ephemeralMessages"
        | "capabilities"
      >
    >;
    /** The bot's logger; silent unless a test reads what the bot logs. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const fake = options.fake ?? (await startFakeTelegram({ botUsername: BOT_INFO.username, botId: BOT_INFO.id }));
  const folder = options.databasePath ? undefined : mkdtempSync(join(tmpdir(), "briefing-bot-"));
  const databasePath = options.databasePath ?? join(folder!, "bot.db");
  const store = openSqliteStore(databasePath, options.now);
  const logger = options.logger ?? createLogger("silent");
  const { bot, deps, reportingClient } = createBot({
    token: TEST_TOKEN,
    store,
    library: options.library ?? content,
    logger,
    rateLimits: NO_LIMITS,
    ...options.bot,
    ...(options.now ? { now: options.now } : {}),
    botConfig: { client: { apiRoot: fake.apiRoot }, botInfo: BOT_INFO },
  });
  return {
    fake,
    store,
    databasePath,
    bot,
    deps,
    send: (update) => bot.handleUpdate(update),
    digestSender: (overrides = {}) => {
      const limiter = overrides.limiter ?? deps.limiter;
      const senderLogger = overrides.logger ?? createLogger("silent");
      return createDigestSender({
        api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot }),
        // As main.ts builds it: on the bot's client, which acts on a chat that refuses a message.
        notices: createNoticesApi(TEST_TOKEN, reportingClient, { budget: limiter, logger: senderLogger }),
        store,
        renderer: () => deps.edition().digests,
        limiter,
        logger: senderLogger,
        ...overrides,
      });
    },
    async close() {
      await store.close();
      if (!options.fake) await fake.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}
