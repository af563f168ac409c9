import type { Period, Schedule } from "../shared/schedule.js";
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

/** The newest period whose digest time has passed at `now`, and the one after it. */
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
};

export type Decision = {
  /** The period to deliver now, if one is owed. */
  deliver?: Period;
  /** When this subscription needs looking at again. */
  nextCheckAt: Date;
};

/**
 * The scheduling rule, as a pure function of the subscription and the clock:
 * the newest period whose time has passed is owed once, if the subscription was active during it and that time
 * (or, for a chat that subscribed later in the period, its subscription) is less than 24 hours ago.
 */
export function decide(state: SubscriptionState, now: Date): Decision {
  const { latest, next } = periodsAround(state.schedule, now);
  const nextCheckAt = next.dueAt;
  if (state.lastPeriod === latest.key) return { nextCheckAt };
  if (state.activeSince.getTime() >= latest.endsAt.getTime()) return { nextCheckAt };
  const owedSince = Math.max(latest.dueAt.getTime(), state.activeSince.getTime());
  if (now.getTime() - owedSince > CATCH_UP_MS) return { nextCheckAt };
  return { deliver: latest, nextCheckAt };
}
