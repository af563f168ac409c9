import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { decodeCallback, type CallbackAction } from "../render/callback-data.js";

type ActionOf<K extends CallbackAction["kind"]> = Extract<CallbackAction, { kind: K }>;

/** Handles button presses whose callback data decodes to the given action kind. */
export function onAction<K extends CallbackAction["kind"]>(
  composer: Composer<BotContext>,
  kind: K,
  handler: (ctx: BotContext, action: ActionOf<K>) => Promise<unknown>,
): void {
  composer.on("callback_query:data").use(async (ctx, next) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    if (action?.kind !== kind) return next();
    await handler(ctx, action as ActionOf<K>);
  });
}
