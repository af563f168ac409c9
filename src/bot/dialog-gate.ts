import type { MiddlewareFn } from "grammy";
import { andThen } from "../shared/at-once.js";
import { hasDialogState } from "../store/conversation-storage.js";
import type { Store } from "../store/types.js";
import { keepTurn } from "../telegram/one-at-a-time.js";
import type { BotContext } from "./context.js";

/**
 * Hands the dialogue plugin the updates it must see: those that can open a dialogue, and any while one is open.
 * The plugin replays a dialogue's state on every update it sees; most updates are neither, and pass on without it.
 */
export function dialogGate(options: {
  store: Store;
  opensDialog: (ctx: BotContext) => boolean;
  dialogs: MiddlewareFn<BotContext>;
}): MiddlewareFn<BotContext> {
  const { store, opensDialog, dialogs } = options;
  // The plugin saves a dialogue's state after the handler returns: an update it sees keeps its chat's turn to the end.
  const inDialog: MiddlewareFn<BotContext> = (ctx, next) => {
    keepTurn(ctx);
    return dialogs(ctx, next);
  };
  return (ctx, next) => {
    if (!ctx.chat || !ctx.from) return next();
    if (opensDialog(ctx)) return inDialog(ctx, next);
    return andThen(hasDialogState(store, ctx), (open) => (open ? inDialog(ctx, next) : next()));
  };
}
