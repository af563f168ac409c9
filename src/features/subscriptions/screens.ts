import type { Context } from "grammy";
import type { BotContext } from "../../bot/context.js";
import { replyScreen, replyText } from "../../bot/screens.js";
import { decide } from "../../digest/schedule.js";
import { addDays, formatLocalDate, toLocal } from "../../digest/zoned-time.js";
import { withNote, type Rendered } from "../../render/format.js";
import { describeSchedule, settingsScreen, withChannelRows, type ManagedChannel } from "../../render/subscription.js";
import type { Translate } from "../../shared/locale.js";
import { formatTime } from "../../shared/schedule.js";
import type { Store, Subscription } from "../../store/types.js";

/**
 * What a chat is told when it subscribes: when its first digest comes, worked out by the scheduling rule (decide) at
 * `now` in the chat's zone — within a minute when one is owed at once (today's time has passed, this week's day has
 * passed, or an instant digest is due), otherwise today, tomorrow or on its weekday at its time — and when the ones
 * after it come.
 */
export function subscribedNote(t: Translate, subscription: Subscription, now: Date, contentMark: string): string {
  const { schedule } = subscription;
  const decision = decide(subscription, now, contentMark);
  if (schedule.frequency === "instant") return t("subscribed-instant", { first: decision.deliver ? "now" : "next" });
  const today = formatLocalDate(toLocal(now, schedule.timezone));
  const due = toLocal(decision.nextCheckAt, schedule.timezone);
  const dueDay = formatLocalDate(due);
  const first = decision.deliver
    ? "now"
    : dueDay === today
      ? "today"
      : dueDay === formatLocalDate(addDays(toLocal(now, schedule.timezone), 1))
        ? "tomorrow"
        : "weekday";
  return t("subscribed", {
    first,
    time: formatTime(schedule.minuteOfDay),
    weekday: due.weekday,
    schedule: describeSchedule(schedule, t),
  });
}

/**
 * The subscription a settings button acts on: the one of the chat (and forum topic, or null) it was pressed in, or a
 * channel's, managed from a private chat (its title shown on the screen, its id in every button).
 */
export type SettingsTarget = { chatId: number; threadId: number | null; channel?: { title: string | null } };

/**
 * How a screen reads the store: at once in a handler; through `conversation.external` in a dialogue, so that its
 * replays take the answer recorded the first time instead of reading again.
 */
export type StoreRead = <T>(read: () => Promise<T>) => Promise<T>;
const readNow: StoreRead = (read) => read();

/** What the parts of the subscription feature show, in the update's language. */
export function subscriptionScreens(store: Store) {
  /** The channels this person set up, with their titles, for their private /settings. */
  async function managedChannels(userId: number): Promise<ManagedChannel[]> {
    const subscriptions = await store.channelSubscriptionsOf(userId);
    return Promise.all(
      subscriptions.map(async ({ chatId, status }) => ({ chatId, status, title: (await store.getChat(chatId))?.title ?? null })),
    );
  }

  /**
   * A settings screen as its chat shows it: a private chat's own digest comes with the channels the person manages and
   * the way to add one, since that chat is the only place they are managed from. A channel's screen and a group's come
   * as they are. Every settings screen of a subscription passes here, the dialogues' included.
   */
  async function withManagedChannels(
    ctx: Context,
    target: SettingsTarget,
    screen: Rendered,
    t: Translate,
    read: StoreRead = readNow,
  ): Promise<Rendered> {
    const userId = ctx.from?.id;
    if (target.channel || ctx.chat?.type !== "private" || userId === undefined) return screen;
    return withChannelRows(screen, await read(() => managedChannels(userId)), t);
  }

  /** The /settings screen for this subscription (or the offer to subscribe), as the chat shows it. */
  const settings = (ctx: BotContext, subscription: Subscription | undefined, target: SettingsTarget): Promise<Rendered> =>
    withManagedChannels(
      ctx,
      target,
      settingsScreen(
        subscription,
        ctx.edition.library,
        { locale: ctx.locale, t: ctx.t, script: ctx.script },
        target.channel ? { chatId: target.chatId, title: target.channel.title } : undefined,
      ),
      ctx.t,
    );

  return {
    settings,
    withManagedChannels,
    /** The /settings screen as it stands in the store: a channel's, or the chat's own. */
    current: async (ctx: BotContext, target: SettingsTarget): Promise<Rendered> =>
      settings(ctx, await store.getSubscription(target.chatId, target.threadId), target),
    /** A screen as a new message, with a line of interface text above it. */
    reply: (ctx: BotContext, screen: Rendered, note?: string) => replyScreen(ctx, withNote(note, screen)),
    /** In a group only administrators manage the digest: the answer to everyone else. */
    refuse: (ctx: BotContext) =>
      ctx.callbackQuery ? ctx.answerCallbackQuery({ text: ctx.t("admins-only") }) : replyText(ctx, ctx.t("admins-only")),
  };
}
export type SubscriptionScreens = ReturnType<typeof subscriptionScreens>;
