/**
 * How often a chat gets its digest: every day or week at its own local time, or "instant" — at the first tick after
 * the content changes (a briefing published, an item added or updated).
 */
export type Frequency = "daily" | "weekly" | "instant";

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * When a chat wants its digest: local time (minutes after midnight) in its own zone, daily or on one weekday; or
 * instantly, when the content changes. An instant schedule keeps its time and zone (unused) so that switching back
 * to daily or weekly finds them as they were.
 */
export type Schedule = {
  frequency: Frequency;
  /** ISO weekday; only for weekly. */
  weekday: number | null;
  /** Local time of a daily or weekly digest; kept but unused while the frequency is instant. */
  minuteOfDay: number;
  timezone: string;
};

/**
 * One digest slot: "d2025-09-05" for a day, "w2025-09-01" for the week starting that Monday (local dates), or
 * "i<content mark>" for an instant digest of the content as of that mark (e.g. "i2025-09-05T10:30:00Z").
 */
export type Period = { key: string; dueAt: Date; endsAt: Date };

/** The period of an instant digest covering the content up to `contentMark`. */
export const instantPeriodKey = (contentMark: string) => `i${contentMark}`;
export const isInstantPeriod = (period: string) => period.startsWith("i");

export function isWeekday(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 7;
}

/** "9:05", "09:05" or "09.05" → minutes after midnight; undefined for anything else. */
export function parseTime(text: string): number | undefined {
  const match = /^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function formatTime(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

/** Zones offered as buttons, by the short id that travels in callback data; any other IANA name can be typed. */
export const ZONE_PRESETS = { kz: "Asia/Almaty", cn: "Asia/Shanghai", ru: "Europe/Moscow" } as const;
export type ZonePreset = keyof typeof ZONE_PRESETS;

export function isZonePreset(value: unknown): value is ZonePreset {
  return typeof value === "string" && Object.hasOwn(ZONE_PRESETS, value);
}
