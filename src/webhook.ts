import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BotError, webhookCallback, type Bot } from "grammy";
import type { BotContext } from "./bot/context.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics/index.js";
import { answerOps, listening, type Health } from "./ops-http.js";

export type { Health } from "./ops-http.js";

export type WebhookServer = {
  server: Server;
  /** Stops accepting requests and waits for the ones in progress. */
  close(): Promise<void>;
};

/** Telegram gives up on a webhook request after a while and sends it again; answer before that, keep working. */
const ANSWER_WITHIN_MS = 9_000;

/**
 * The HTTP side of webhook mode: POST <path> takes updates (grammY checks X-Telegram-Bot-Api-Secret-Token and
 * answers 401 without processing when it is wrong), GET /healthz reports the parts the bot depends on, GET /metrics
 * serves the metrics.
 */
export function startWebhookServer(options: {
  bot: Bot<BotContext>;
  path: string;
  secret: string;
  port: number;
  host?: string;
  health: Health;
  metrics?: Pick<Metrics, "render" | "contentType">;
  logger: Logger;
}): Promise<WebhookServer> {
  const { bot, logger } = options;
  const handleUpdate = webhookCallback(bot, "http", {
    secretToken: options.secret,
    onTimeout: "return",
    timeoutMilliseconds: ANSWER_WITHIN_MS,
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (await answerOps(request, response, options)) return;
    if (request.method !== "POST" || url.pathname !== options.path) {
      response.writeHead(404).end();
      return;
    }
    try {
      await handleUpdate(request, response);
    } catch (error) {
      // The update was read and its handling failed: the bot's error handler answers the reader (as in polling mode),
      // and Telegram gets 200, since sending the same update again would fail the same way.
      if (error instanceof BotError) {
        await bot.errorHandler(error as BotError<BotContext>);
        if (!response.headersSent) response.writeHead(200).end();
        return;
      }
      // A body that is not an update: nothing to retry.
      logger.warn({ err: error }, "webhook request rejected");
      if (!response.headersSent) response.writeHead(400).end();
    }
  }

  // Node does not await a request listener: a rejection (a failing health check) is answered here, not left unhandled.
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, "webhook request failed");
      if (!response.headersSent) response.writeHead(500).end();
      else response.end();
    });
  });

  return listening(server, options.port, options.host ?? "0.0.0.0");
}
