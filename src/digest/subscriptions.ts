import type { Chat } from "grammy/types";
import { scriptFor, type Locale, type Script } from "../shared/locale.js";
import type { Schedule } from "../shared/schedule.js";
import type { StopReason, Store, Subscription } from "../store/types.js";
import type { SubscribeArgs } from "./subscribe-args.js";

/** The time a new subscription starts from before one is chosen (an instant one keeps it for a switch back). */
export const DEFAULT_MINUTE_OF_DAY = 9 * 60;

/**
 * The schedule the one-line /subscribe asks for, in the chat's current zone (or the default). Instant has no time of
 * its own: the chat's current time is kept, so that a switch back to daily or weekly finds it.
 */
export function scheduleFromArgs(args: SubscribeArgs, current: Schedule | undefined, defaultTimezone: string): Schedule {
  const timezone = current?.timezone ?? defaultTimezone;
  if (args.frequency === "instant") {
    return { frequency: "instant", weekday: null, minuteOfDay: current?.minuteOfDay ?? DEFAULT_MINUTE_OF_DAY, timezone };
  }
  return { ...args, timezone };
}

/** Sectors as stored: every sector chosen is stored as null ("all"), so sectors of future briefings are included. */
export function storedSectors(chosen: readonly string[], all: readonly string[]): string[] | null {
  return all.every((id) => chosen.includes(id)) ? null : [...chosen];
}

/** The chosen sectors with one switched on or off. */
export function toggleSector(chosen: readonly string[], sector: string): string[] {
  return chosen.includes(sector) ? chosen.filter((id) => id !== sector) : [...chosen, sector];
}

/** A digest stopped because the bot lost the chat (not by the chat's own choice) is offered again on /start. */
export function canResume(subscription: Subscription | undefined): boolean {
  return subscription?.status === "stopped" && subscription.stopReason !== "unsubscribed";
}

/**
 * Creates or replaces the subscription of a chat, or of one forum topic of it (`threadId`). A private chat gets its
 * digest in the sender's language; a group in the group's own language, or the sender's while the group has none.
 * Without `silent` the chat kind decides (silentByDefault).
 */
export async function subscribeChat(
  store: Store,
  request: {
    chat: Chat;
    threadId?: number | null;
    locale: Locale;
    script?: Script;
    schedule: Schedule;
    sectors: string[] | null;
    silent?: boolean;
    createdBy: number | null;
  },
): Promise<Subscription> {
  const { chat, locale } = request;
  const group = chat.type === "private" ? undefined : await store.getChat(chat.id);
  // The script comes with the language it belongs to: the group's own, or the sender's.
  const reading = group?.language ? { locale: group.language, script: group.script } : { locale, script: request.script };
  return store.saveSubscription({
    chatId: chat.id,
    threadId: request.threadId ?? null,
    chatKind: chat.type,
    language: reading.locale,
    script: scriptFor(reading.locale, reading.script),
    schedule: request.schedule,
    sectors: request.sectors,
    ...(request.silent === undefined ? {} : { silent: request.silent }),
    createdBy: request.createdBy,
  });
}

/**
 * The bot lost a chat (blocked, removed, gone): its digests stop (the chat's own and every forum topic's), once, with
 * the reason; true when one stopped now.
 */
export async function stopLostChat(store: Store, chatId: number, reason: StopReason): Promise<boolean> {
  return (await store.stopChat(chatId, reason)) > 0;
}

/**
 * Connects a channel chosen in a private chat: its digest (as it was, or daily at the default time for every
 * sector) goes on, in the channel's language or the person's, and is managed from now on by this person.
 */
export async function subscribeChannel(
  store: Store,
  request: { chatId: number; title: string | null; locale: Locale; script?: Script; createdBy: number; defaultTimezone: string },
): Promise<Subscription> {
  const { chatId, title } = request;
  await store.touchChat({ id: chatId, kind: "channel", title });
  const existing = await store.getSubscription(chatId);
  return subscribeChat(store, {
    chat: { id: chatId, type: "channel", title: title ?? "" },
    locale: request.locale,
    ...(request.script ? { script: request.script } : {}),
    schedule: existing?.schedule ?? {
      frequency: "daily",
      weekday: null,
      minuteOfDay: DEFAULT_MINUTE_OF_DAY,
      timezone: request.defaultTimezone,
    },
    sectors: existing?.sectors ?? null,
    // A channel is silent unless its admin switched the sound on (silentByDefault); a switch made before is kept.
    ...(existing ? { silent: existing.silent } : {}),
    createdBy: request.createdBy,
  });
}
