import type { MiddlewareFn } from "grammy";
import type { Metrics } from "../metrics/index.js";
import type { BotContext } from "./context.js";

/** The update types the bot is sent (app/start.ts → ALLOWED_UPDATES), checked first; anything else is found by its key. */
const KNOWN_TYPES = ["message", "callback_query", "inline_query", "my_chat_member", "channel_post"] as const;

function typeOf(update: BotContext["update"]): string {
  for (const type of KNOWN_TYPES) if (update[type] !== undefined) return type;
  return Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
}

/**
 * Counts every update by type and outcome and times its handling, from the moment it enters the bot (waiting for
 * the chat's earlier updates included) to the end of its handling. It wraps the outermost middleware, `first`, so a
 * handler that throws counts as an error here before bot.catch sees it; the error is thrown on unchanged.
 *
 * It wraps `first` rather than being a middleware of its own: each middleware that `bot.use` adds costs every update
 * two more async frames in grammY's chain, more than the counting itself.
 */
export function measureUpdates(metrics: Pick<Metrics, "updateHandled">, first: MiddlewareFn<BotContext>): MiddlewareFn<BotContext> {
  // A continuation on the chain's promise rather than an async frame of its own: this runs on every update.
  return (ctx, next) => {
    const started = performance.now();
    const done = (ok: boolean) => metrics.updateHandled(typeOf(ctx.update), ok, (performance.now() - started) / 1000);
    return Promise.resolve(first(ctx, next)).then(
      () => done(true),
      (error: unknown) => {
        done(false);
        throw error;
      },
    );
  };
}
