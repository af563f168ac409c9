import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Bot } from "grammy";
import { openBackend, type Backend } from "../../src/app/backend.js";
import { buildBot } from "../../src/app/bot.js";
import type { BotContext } from "../../src/bot/context.js";
import type { Deps } from "../../src/bot/deps.js";
import type { CreateBotOptions } from "../../src/create-bot.js";
import { bundledContent } from "../../src/content/index.js";
import type { ContentLibrary } from "../../src/content/library.js";
import type { LiveContent } from "../../src/content/live.js";
import { createDigestSender, type DigestSender, type SenderOptions } from "../../src/digest/sender.js";
import { createLogger, type Logger } from "../../src/logger.js";
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
  /** The SQLite backend the bot runs on, opened by openBackend as main.ts opens it. */
  backend: Backend;
  store: Store;
  databasePath: string;
  bot: Bot<BotContext>;
  deps: Deps;
  send(update: Update): Promise<void>;
  /**
   * The digest sender as the SQLite backend builds it, on the parts the bot gives its delivery (buildBot): the bot's
   * send budget, an Api of its own (the fake's, without the replies' transformers) and the notices' Api. Options
   * override any part; a send budget given is the notices' too.
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
  const logger = options.logger ?? createLogger("silent");
  const { sendBudget, rateLimits, ...botOptions } = options.bot ?? {};
  const backend = await openBackend(
    { databasePath, rateLimits: rateLimits ?? NO_LIMITS, ...(options.now ? { now: options.now } : {}) },
    logger,
  );
  const { store } = backend;
  const built = buildBot(sendBudget ? { store, sendBudget } : backend, {
    token: TEST_TOKEN,
    library: options.library ?? bundledContent(),
    logger,
    ...botOptions,
    ...(options.now ? { now: options.now } : {}),
    botConfig: { client: { apiRoot: fake.apiRoot }, botInfo: BOT_INFO },
  });
  const { bot, deps } = built;
  return {
    fake,
    backend,
    store,
    databasePath,
    bot,
    deps,
    send: (update) => bot.handleUpdate(update),
    digestSender: (overrides = {}) => {
      const sendBudget = overrides.sendBudget ?? deps.sendBudget;
      const parts = built.deliveryParts({ budget: sendBudget, logger: overrides.logger ?? createLogger("silent") });
      return createDigestSender({ ...parts, store, sendBudget, ...overrides });
    },
    async close() {
      await backend.close();
      if (!options.fake) await fake.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}
