import { Api, type ApiClientOptions } from "grammy";
import { createBot, type CreateBotOptions } from "../create-bot.js";
import type { DeliveryParts } from "../digest/delivery.js";
import { createNoticesApi } from "../digest/notices.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/index.js";
import type { SendBudget } from "../telegram/send-budget.js";
import { countingFetch } from "../telegram/transformers.js";
import type { Backend } from "./backend.js";

export type BotOptions = Omit<CreateBotOptions, "store" | "sendBudget" | "rateLimits" | "metrics"> & {
  metrics?: Pick<Metrics, "updateHandled" | "apiCall"> & Partial<Pick<Metrics, "sources">>;
};

export type BuiltBot = ReturnType<typeof createBot> & {
  /** The bot's HTTP client options, counting every call when there are metrics (the alerts' Api is built on them). */
  countedClient: ApiClientOptions;
  /**
   * What a digest delivery takes from this bot: a new Api for digests, without the replies' transformers (the
   * delivery takes each slot of the send budget itself, with digest priority, and waits out a 429, so a repeated
   * message is counted like the first); the notices' Api on the bot's client (a chat that refuses a notice is acted
   * on like one that refuses a reply); the current digest renderer; the bot's API capabilities (one lesson per process). Budget and logger are the bot's unless given.
   */
  deliveryParts(options?: { budget?: SendBudget; logger?: Logger }): DeliveryParts;
};

/** The bot (createBot) on a backend's store and send budget, with what its digest delivery needs from it. */
export function buildBot(backend: Pick<Backend, "store" | "sendBudget">, options: BotOptions): BuiltBot {
  const built = createBot({ ...options, store: backend.store, sendBudget: backend.sendBudget });
  const client = options.botConfig?.client ?? {};
  // Every Api of the process counts its calls: the bot's and the notices' (through createBot's client), the
  // digests' and the alerts' (through this one).
  const countedClient = options.metrics ? { ...client, fetch: countingFetch(options.metrics.apiCall) } : client;
  return {
    ...built,
    countedClient,
    deliveryParts: ({ budget = backend.sendBudget, logger = options.logger } = {}) => ({
      api: new Api(options.token, countedClient),
      notices: createNoticesApi(options.token, built.reportingClient, { budget, logger }),
      renderer: () => built.deps.edition().digests,
      capabilities: built.deps.capabilities,
      logger,
    }),
  };
}
