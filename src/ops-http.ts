import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics/index.js";

/** What GET /healthz reports: 200 when every check passes, 503 when one does not. */
export type Health = () => Promise<{ ok: boolean; checks: Record<string, boolean> } & Record<string, unknown>>;

export type OpsRoutes = { health: Health; metrics?: Pick<Metrics, "render" | "contentType"> };

/**
 * The operators' endpoints, the same in both modes: GET /healthz and GET /metrics (Prometheus text, from
 * prom-client). Resolves true when it answered the request, false when the request is not one of them.
 */
export async function answerOps(request: IncomingMessage, response: ServerResponse, routes: OpsRoutes): Promise<boolean> {
  if (request.method !== "GET") return false;
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/healthz") {
    const health = await routes.health();
    response.writeHead(health.ok ? 200 : 503, { "content-type": "application/json" });
    response.end(JSON.stringify(health));
    return true;
  }
  if (path === "/metrics" && routes.metrics) {
    const text = await routes.metrics.render();
    response.writeHead(200, { "content-type": routes.metrics.contentType });
    response.end(text);
    return true;
  }
  return false;
}

export type OpsServer = { server: Server; close(): Promise<void> };

/**
 * Starts `server` on port and host, resolving once it listens (rejecting if it cannot). `close` stops accepting
 * requests, ends idle keep-alive connections and waits for the requests in progress.
 */
export function listening(server: Server, port: number, host: string): Promise<OpsServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
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

/** Polling mode (or METRICS_PORT in webhook mode): a server with nothing but /healthz and /metrics. */
export function startOpsServer(options: OpsRoutes & { port: number; host: string; logger: Logger }): Promise<OpsServer> {
  const server = createServer((request, response) => {
    answerOps(request, response, options)
      .then((answered) => {
        if (!answered) response.writeHead(404).end();
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, "operators' endpoint failed");
        if (!response.headersSent) response.writeHead(500).end();
        else response.end();
      });
  });
  return listening(server, options.port, options.host);
}
