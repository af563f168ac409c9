// Zones, instants and schedules that the digest timing tests (zoned-time, schedule, tick, subscribe-args) share.
import type { Schedule } from "../../src/shared/schedule.js";
import { toLocal } from "../../src/digest/zoned-time.js";

export const ALMATY = "Asia/Almaty";
export const BERLIN = "Europe/Berlin";

export const at = (iso: string) => new Date(iso);
export const iso = (date: Date) => date.toISOString();
export const HOUR_MS = 60 * 60 * 1000;

/** "09:30" → minutes after midnight (the tests' own parser, so a bug in parseTime cannot hide here). */
export function hm(text: string): number {
  const [hours, minutes] = text.split(":").map(Number);
  return hours! * 60 + minutes!;
}

export function daily(time: string, timezone: string): Schedule {
  return { frequency: "daily", weekday: null, minuteOfDay: hm(time), timezone };
}

export function weekly(weekday: number, time: string, timezone: string): Schedule {
  return { frequency: "weekly", weekday, minuteOfDay: hm(time), timezone };
}

/** Instant: the time is kept (09:00 here) but plays no part. */
export function instant(timezone: string): Schedule {
  return { frequency: "instant", weekday: null, minuteOfDay: hm("09:00"), timezone };
}

/** What a wall clock in `zone` shows at `instant`, as "YYYY-MM-DD HH:MM". */
export function wallClock(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}
