import type { BotContext } from "../../bot/context.js";
import { replyScreen, replyText } from "../../bot/screens.js";
import { withNote, type Rendered } from "../../render/format.js";
import { settingsScreen, withChannelRows, type ManagedChannel } from "../../render/subscription.js";
import type { Store, Subscription } from "../../store/types.js";

/**
 * The subscription a settings button acts on: the one of the chat (and forum topic, or null) it was pressed in, or a
 * channel's, managed from a private chat (its title shown on the screen, its id in every button).
 */
export type SettingsTarget = { chatId: number; threadId: number | null; channel?: { title: string | null } };

/** What the parts of the subscription feature show, in the update's language. */
export function subscriptionScreens(store: Store) {
  const settings = (ctx: BotContext, subscription: Subscription | undefined, target?: SettingsTarget): Rendered =>
    settingsScreen(
      subscription,
      ctx.edition.library,
      { locale: ctx.locale, t: ctx.t },
      target?.channel ? { chatId: target.chatId, title: target.channel.title } : undefined,
    );

  /** The channels this person set up, with their titles, for their private /settings. */
  async function managedChannels(userId: number): Promise<ManagedChannel[]> {
    const subscriptions = await store.channelSubscriptionsOf(userId);
    return Promise.all(
      subscriptions.map(async ({ chatId, status }) => ({ chatId, status, title: (await store.getChat(chatId))?.title ?? null })),
    );
  }

  return {
    /** The /settings screen for this chat's subscription (or the offer to subscribe). */
    settings,
    /**
     * The /settings screen as it stands in the store: a channel's, or the chat's own; in a private chat with the
     * channels the person manages and the way to add one.
     */
    async current(ctx: BotContext, target: SettingsTarget): Promise<Rendered> {
      const screen = settings(ctx, await store.getSubscription(target.chatId, target.threadId), target);
      if (target.channel || ctx.chat?.type !== "private" || !ctx.from) return screen;
      return withChannelRows(screen, await managedChannels(ctx.from.id), ctx.t);
    },
    /** A screen as a new message, with a line of interface text above it. */
    reply: (ctx: BotContext, screen: Rendered, note?: string) => replyScreen(ctx, withNote(note, screen)),
    /** In a group only administrators manage the digest: the answer to everyone else. */
    refuse: (ctx: BotContext) =>
      ctx.callbackQuery ? ctx.answerCallbackQuery({ text: ctx.t("admins-only") }) : replyText(ctx, ctx.t("admins-only")),
  };
}
export type SubscriptionScreens = ReturnType<typeof subscriptionScreens>;
