import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { BotContext } from "./bot/context.js";
import type { Logger } from "./logger.js";

export type Health = () => Promise<{ ok: boolean; checks: Record<string, boolean> } & Record<string, unknown>>;

export type WebhookServer = {
  server: Server;
  /** Stops accepting requests and waits for the ones in progress. */
  close(): Promise<void>;
};

/** Telegram gives up on a webhook request after a while and sends it again; answer before that, keep working. */
const ANSWER_WITHIN_MS = 9_000;

/**
 * The HTTP side of webhook mode: POST <path> takes updates (grammY checks X-Telegram-Bot-Api-Secret-Token and
 * answers 401 without processing when it is wrong), GET /healthz reports the parts the bot depends on.
 */
export function startWebhookServer(options: {
  bot: Bot<BotContext>;
  path: string;
  secret: string;
  port: number;
  host?: string;
  health: Health;
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
    if (request.method === "GET" && url.pathname === "/healthz") {
      const health = await options.health();
      response.writeHead(health.ok ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify(health));
      return;
    }
    if (request.method !== "POST" || url.pathname !== options.path) {
      response.writeHead(404).end();
      return;
    }
    try {
      await handleUpdate(request, response);
    } catch (error) {
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

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
