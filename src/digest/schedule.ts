import { instantPeriodKey, type Period, type Schedule } from "../shared/schedule.js";
import { addDays, formatLocalDate, fromLocal, isoWeekday, toLocal, type LocalDate } from "./zoned-time.js";

/** A missed digest older than this is not sent late: after long downtime people get the next one instead. */
export const CATCH_UP_MS = 24 * 60 * 60 * 1000;

function periodAt(schedule: Schedule, start: LocalDate, scheduledDay: LocalDate, length: number): Period {
  const prefix = schedule.frequency === "daily" ? "d" : "w";
  return {
    key: prefix + formatLocalDate(start),
    dueAt: fromLocal(scheduledDay, schedule.minuteOfDay, schedule.timezone),
    endsAt: fromLocal(addDays(start, length), 0, schedule.timezone),
  };
}

/** The period containing the local date `day`, shifted by `shift` periods. */
function periodOf(schedule: Schedule, day: LocalDate, shift: number): Period {
  if (schedule.frequency === "daily") {
    const date = addDays(day, shift);
    return periodAt(schedule, date, date, 1);
  }
  const monday = addDays(day, 1 - isoWeekday(day) + 7 * shift);
  return periodAt(schedule, monday, addDays(monday, (schedule.weekday ?? 1) - 1), 7);
}

/** The newest period whose digest time has passed at `now`, and the one after it (daily and weekly schedules). */
export function periodsAround(schedule: Schedule, now: Date): { latest: Period; next: Period } {
  const today = toLocal(now, schedule.timezone);
  const current = periodOf(schedule, today, 0);
  if (current.dueAt.getTime() <= now.getTime()) return { latest: current, next: periodOf(schedule, today, 1) };
  return { latest: periodOf(schedule, today, -1), next: current };
}

export type SubscriptionState = {
  schedule: Schedule;
  /** When the subscription was last started or resumed: periods that ended before it are not owed. */
  activeSince: Date;
  /** The period of the chat's newest digest, if any. */
  lastPeriod: string | null;
  /** The content mark the chat's previous sent digest covered; null before its first digest. */
  contentMark: string | null;
};

export type Decision = {
  /** The period to deliver now, if one is owed. */
  deliver?: Period;
  /** When this subscription needs looking at again. */
  nextCheckAt: Date;
};

/**
 * An instant subscription is looked at again at the next tick: its next check is just past `now`, so a tick that
 * pages through due subscriptions does not meet it twice, and the following tick (a minute later by default) does.
 */
export const INSTANT_RECHECK_MS = 1;

/**
 * The rule for instant subscriptions: a digest is owed whenever the current content mark is newer than the one the
 * chat's previous digest covered, once per mark (the period key "i<mark>" is the outbox's unique key per chat, and
 * `lastPeriod` keeps a tick from owing it again while it is still on its way). Several edits between two ticks are
 * one mark at the next tick, so one message. The digest is whatever changed since the chat's previous digest.
 *
 * A chat with no digest yet (content mark null) is owed one at once, like a daily chat that subscribes after its
 * time: the newest briefing in brief, which also gives it its first mark. (Starting it at the mark of the moment it
 * subscribed instead would need the store to know the content, and leave a new subscriber with nothing until the
 * editors next publish.) Catch-up does not apply: however long the bot was down, one digest says what is new.
 */
function decideInstant(state: SubscriptionState, now: Date, contentMark: string): Decision {
  const nextCheckAt = new Date(now.getTime() + INSTANT_RECHECK_MS);
  const key = instantPeriodKey(contentMark);
  if (state.lastPeriod === key) return { nextCheckAt };
  if (state.contentMark !== null && state.contentMark >= contentMark) return { nextCheckAt };
  return { deliver: { key, dueAt: now, endsAt: now }, nextCheckAt };
}

/**
 * The scheduling rule, as a pure function of the subscription, the clock and the current content mark (the newest
 * publication or update date in the content, which can change while the bot runs):
 * for daily and weekly, the newest period whose time has passed is owed once, if the subscription was active during
 * it and that time (or, for a chat that subscribed later in the period, its subscription) is less than 24 hours ago;
 * for instant, see decideInstant.
 */
export function decide(state: SubscriptionState, now: Date, contentMark: string): Decision {
  if (state.schedule.frequency === "instant") return decideInstant(state, now, contentMark);
  const { latest, next } = periodsAround(state.schedule, now);
  const nextCheckAt = next.dueAt;
  if (state.lastPeriod === latest.key) return { nextCheckAt };
  if (state.activeSince.getTime() >= latest.endsAt.getTime()) return { nextCheckAt };
  const owedSince = Math.max(latest.dueAt.getTime(), state.activeSince.getTime());
  if (now.getTime() - owedSince > CATCH_UP_MS) return { nextCheckAt };
  return { deliver: latest, nextCheckAt };
}
