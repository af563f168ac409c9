import type { BotContext } from "../../bot/context.js";
import { replyScreen, replyText } from "../../bot/screens.js";
import { withNote, type Rendered } from "../../render/format.js";
import { settingsScreen } from "../../render/subscription.js";
import type { Subscription } from "../../store/types.js";

/** What the parts of the subscription feature show, in the update's language. */
export function subscriptionScreens() {
  return {
    /** The /settings screen for this chat's subscription (or the offer to subscribe). */
    settings: (ctx: BotContext, subscription: Subscription | undefined): Rendered =>
      settingsScreen(subscription, ctx.edition.library, { locale: ctx.locale, t: ctx.t }),
    /** A screen as a new message, with a line of interface text above it. */
    reply: (ctx: BotContext, screen: Rendered, note?: string) => replyScreen(ctx, withNote(note, screen)),
    /** In a group only administrators manage the digest: the answer to everyone else. */
    refuse: (ctx: BotContext) =>
      ctx.callbackQuery ? ctx.answerCallbackQuery({ text: ctx.t("admins-only") }) : replyText(ctx, ctx.t("admins-only")),
  };
}
export type SubscriptionScreens = ReturnType<typeof subscriptionScreens>;
