import { Api, type BotConfig } from "grammy";
import { createBot } from "../src/create-bot.js";
import { bundledContent } from "../src/content/index.js";
import type { ContentLibrary } from "../src/content/library.js";
import type { BotContext } from "../src/bot/context.js";
import { NO_LIMITS, type RateLimits } from "../src/telegram/send-budget.js";
import { createNoticesApi } from "../src/digest/notices.js";
import { createDigestSender } from "../src/digest/sender.js";
import { createLogger } from "../src/logger.js";
import type { Metrics } from "../src/metrics/index.js";
import type { Store } from "../src/store/types.js";
import { BENCH_BOT_INFO, BENCH_TOKEN } from "./in-process-api.js";

/**
 * The bot as createBot builds it, on a given store and Bot API client, with a digest sender on the same parts; the
 * bundled content unless another library is given, and metrics when given.
 */
export function benchBot(
  store: Store,
  client: NonNullable<BotConfig<BotContext>["client"]>,
  rateLimits?: RateLimits,
  library: ContentLibrary = bundledContent(),
  metrics?: Metrics,
) {
  const logger = createLogger("silent");
  const { bot, deps, reportingClient } = createBot({
    token: BENCH_TOKEN,
    store,
    library,
    logger,
    // Without limits given, the bench measures the bot's own work, not Telegram's pacing.
    rateLimits: rateLimits ?? NO_LIMITS,
    ...(metrics ? { metrics } : {}),
    botConfig: { client, botInfo: BENCH_BOT_INFO },
  });
  // As in main.ts: digests go out on an Api of their own, without the replies' transformers; notices on theirs.
  const deliveryApi = new Api(BENCH_TOKEN, client);
  const notices = createNoticesApi(BENCH_TOKEN, reportingClient, { budget: deps.sendBudget, logger });
  const sender = () =>
    createDigestSender({
      api: deliveryApi,
      notices,
      store,
      renderer: () => deps.edition().digests,
      capabilities: deps.capabilities,
      sendBudget: deps.sendBudget,
      logger,
    });
  return { bot, deps, sender, deliveryApi };
}
