import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CATCH_UP_MS,
  decide,
  formatTime,
  parseTime,
  periodsAround,
  type Schedule,
  type SubscriptionState,
} from "../src/digest/schedule.js";
import { parseSubscribeArgs, parseWeekday } from "../src/digest/subscribe-args.js";
import { tick } from "../src/digest/tick.js";
import { addDays, canonicalZone, fromLocal, isoWeekday, toLocal } from "../src/digest/zoned-time.js";
import type { Logger } from "../src/logger.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const ALMATY = "Asia/Almaty";
const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();
const HOUR_MS = 60 * 60 * 1000;

/** "09:30" → minutes after midnight (the tests' own parser, so a bug in parseTime cannot hide here). */
function hm(text: string): number {
  const [hours, minutes] = text.split(":").map(Number);
  return hours! * 60 + minutes!;
}

function daily(time: string, timezone: string): Schedule {
  return { frequency: "daily", weekday: null, minuteOfDay: hm(time), timezone };
}

function weekly(weekday: number, time: string, timezone: string): Schedule {
  return { frequency: "weekly", weekday, minuteOfDay: hm(time), timezone };
}

/** periodsAround with dates as ISO strings, easy to compare in tables. */
function around(schedule: Schedule, now: string) {
  const { latest, next } = periodsAround(schedule, at(now));
  return {
    latest: { key: latest.key, dueAt: iso(latest.dueAt), endsAt: iso(latest.endsAt) },
    next: { key: next.key, dueAt: iso(next.dueAt), endsAt: iso(next.endsAt) },
  };
}

/** What a wall clock in `zone` shows at `instant`, as "YYYY-MM-DD HH:MM". */
function wallClock(instant: Date, zone: string): string {
  const l = toLocal(instant, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** A SQLite store in a temporary folder, with a clock the test moves by hand. */
type TestStore = { store: Store; path: string; setNow(iso: string): Date; readonly now: Date };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function openTestStore(start: string): TestStore {
  const folder = mkdtempSync(join(tmpdir(), "schedule-test-"));
  const path = join(folder, "bot.db");
  let current = at(start);
  const store = openSqliteStore(path, () => current);
  cleanups.push(() => {
    void store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  return {
    store,
    path,
    setNow(next) {
      current = at(next);
      return current;
    },
    get now() {
      return current;
    },
  };
}

async function subscribe(store: Store, chatId: number, schedule: Schedule) {
  return store.saveSubscription({
    chatId,
    chatKind: chatId < 0 ? "group" : "private",
    language: "ru",
    schedule,
    sectors: null,
    createdBy: null,
  });
}

/** Every delivery row, read straight from the database: "chatId period". */
function deliveryRows(path: string): string[] {
  const db = new Database(path, { fileMustExist: true });
  try {
    return db
      .prepare<[], { chat_id: number; period: string }>("SELECT chat_id, period FROM deliveries ORDER BY chat_id, period")
      .all()
      .map((row) => `${row.chat_id} ${row.period}`);
  } finally {
    db.close();
  }
}

/** Ticks at `now` (moving the store's clock there too). */
async function tickAt(t: TestStore, now: string, pageSize?: number) {
  return tick(t.store, t.setNow(now), undefined, pageSize);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Period boundaries: local midnight in UTC+5 versus UTC
// ---------------------------------------------------------------------------------------------------------------

describe("periods follow local midnight (Asia/Almaty, UTC+5) rather than UTC", () => {
  it("Kazakhstan is on UTC+5 all year since March 2024 (and was UTC+6 before)", async () => {
    expect(wallClock(at("2024-01-15T00:00:00Z"), ALMATY)).toBe("2024-01-15 06:00");
    expect(wallClock(at("2025-01-15T00:00:00Z"), ALMATY)).toBe("2025-01-15 05:00");
    expect(wallClock(at("2025-07-15T00:00:00Z"), ALMATY)).toBe("2025-07-15 05:00");
    // 19:00 UTC is already the next local day, a Friday.
    expect(toLocal(at("2025-09-04T19:00:00Z"), ALMATY)).toEqual({ year: 2025, month: 9, day: 5, hour: 0, minute: 0, weekday: 5 });
    expect(toLocal(at("2025-09-04T18:59:00Z"), ALMATY)).toMatchObject({ day: 4, hour: 23, minute: 59, weekday: 4 });
  });

  const almaty = daily("00:30", ALMATY);
  const utc = daily("00:30", "UTC");

  it.each([
    // now (UTC)             zone    latest key     latest due                  next key       next due
    ["2025-09-04T18:59:00Z", ALMATY, "d2025-09-04", "2025-09-03T19:30:00.000Z", "d2025-09-05", "2025-09-04T19:30:00.000Z"],
    ["2025-09-04T19:00:00Z", ALMATY, "d2025-09-04", "2025-09-03T19:30:00.000Z", "d2025-09-05", "2025-09-04T19:30:00.000Z"],
    ["2025-09-04T19:29:00Z", ALMATY, "d2025-09-04", "2025-09-03T19:30:00.000Z", "d2025-09-05", "2025-09-04T19:30:00.000Z"],
    ["2025-09-04T19:29:59.999Z", ALMATY, "d2025-09-04", "2025-09-03T19:30:00.000Z", "d2025-09-05", "2025-09-04T19:30:00.000Z"],
    ["2025-09-04T19:30:00Z", ALMATY, "d2025-09-05", "2025-09-04T19:30:00.000Z", "d2025-09-06", "2025-09-05T19:30:00.000Z"],
    ["2025-09-05T00:30:00Z", ALMATY, "d2025-09-05", "2025-09-04T19:30:00.000Z", "d2025-09-06", "2025-09-05T19:30:00.000Z"],
    ["2025-09-04T19:29:00Z", "UTC", "d2025-09-04", "2025-09-04T00:30:00.000Z", "d2025-09-05", "2025-09-05T00:30:00.000Z"],
    ["2025-09-04T19:30:00Z", "UTC", "d2025-09-04", "2025-09-04T00:30:00.000Z", "d2025-09-05", "2025-09-05T00:30:00.000Z"],
    ["2025-09-05T00:29:00Z", "UTC", "d2025-09-04", "2025-09-04T00:30:00.000Z", "d2025-09-05", "2025-09-05T00:30:00.000Z"],
    ["2025-09-05T00:30:00Z", "UTC", "d2025-09-05", "2025-09-05T00:30:00.000Z", "d2025-09-06", "2025-09-06T00:30:00.000Z"],
  ])("daily 00:30 at %s in %s: latest %s", (now, zone, latestKey, latestDue, nextKey, nextDue) => {
    const { latest, next } = around(daily("00:30", zone), now);
    expect(latest).toMatchObject({ key: latestKey, dueAt: latestDue });
    expect(next).toMatchObject({ key: nextKey, dueAt: nextDue });
  });

  it("the same instants give different keys in Almaty and in UTC", async () => {
    for (const now of ["2025-09-04T19:30:00Z", "2025-09-04T23:59:00Z"]) {
      expect(around(almaty, now).latest.key).toBe("d2025-09-05");
      expect(around(utc, now).latest.key).toBe("d2025-09-04");
    }
  });

  it("a daily period starts and ends at local midnight, 19:00 UTC", async () => {
    const { latest, next } = around(almaty, "2025-09-05T12:00:00Z");
    expect(latest).toEqual({ key: "d2025-09-05", dueAt: "2025-09-04T19:30:00.000Z", endsAt: "2025-09-05T19:00:00.000Z" });
    expect(next.endsAt).toBe("2025-09-06T19:00:00.000Z");
    // A UTC schedule's day ends at UTC midnight.
    expect(around(utc, "2025-09-05T12:00:00Z").latest.endsAt).toBe("2025-09-06T00:00:00.000Z");
  });

  it("a late-evening time stays on its local day: 23:30 Almaty is 18:30 UTC the same date", async () => {
    expect(around(daily("23:30", ALMATY), "2025-09-05T18:30:00Z").latest).toEqual({
      key: "d2025-09-05",
      dueAt: "2025-09-05T18:30:00.000Z",
      endsAt: "2025-09-05T19:00:00.000Z",
    });
    expect(around(daily("23:30", ALMATY), "2025-09-05T18:29:00Z").latest.key).toBe("d2025-09-04");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Weekly schedules and weekdays
// ---------------------------------------------------------------------------------------------------------------

describe("weekly periods are keyed by the Monday of the local week", () => {
  const wednesday = weekly(3, "09:00", ALMATY);

  it.each([
    // now (UTC)               local time             latest key      latest due                   next key
    ["2025-08-31T19:00:00Z", "Mon 2025-09-01 00:00", "w2025-08-25", "2025-08-27T04:00:00.000Z", "w2025-09-01"],
    ["2025-09-03T03:59:00Z", "Wed 2025-09-03 08:59", "w2025-08-25", "2025-08-27T04:00:00.000Z", "w2025-09-01"],
    ["2025-09-03T04:00:00Z", "Wed 2025-09-03 09:00", "w2025-09-01", "2025-09-03T04:00:00.000Z", "w2025-09-08"],
    ["2025-09-07T18:59:00Z", "Sun 2025-09-07 23:59", "w2025-09-01", "2025-09-03T04:00:00.000Z", "w2025-09-08"],
    ["2025-09-07T19:00:00Z", "Mon 2025-09-08 00:00", "w2025-09-01", "2025-09-03T04:00:00.000Z", "w2025-09-08"],
    ["2025-09-10T04:00:00Z", "Wed 2025-09-10 09:00", "w2025-09-08", "2025-09-10T04:00:00.000Z", "w2025-09-15"],
  ])("Wednesday 09:00 at %s (%s): latest %s", (now, _local, latestKey, latestDue, nextKey) => {
    const { latest, next } = around(wednesday, now);
    expect(latest).toMatchObject({ key: latestKey, dueAt: latestDue });
    expect(next.key).toBe(nextKey);
  });

  it("a week period runs from local Monday 00:00 to the next, and next is due a week later", async () => {
    expect(around(wednesday, "2025-09-05T00:00:00Z")).toEqual({
      latest: { key: "w2025-09-01", dueAt: "2025-09-03T04:00:00.000Z", endsAt: "2025-09-07T19:00:00.000Z" },
      next: { key: "w2025-09-08", dueAt: "2025-09-10T04:00:00.000Z", endsAt: "2025-09-14T19:00:00.000Z" },
    });
  });

  it("Sunday 23:30 belongs to the week that started the Monday before, not the next one", async () => {
    const sunday = weekly(7, "23:30", ALMATY);
    expect(around(sunday, "2025-09-07T18:29:00Z").latest).toMatchObject({ key: "w2025-08-25", dueAt: "2025-08-31T18:30:00.000Z" });
    expect(around(sunday, "2025-09-07T18:30:00Z").latest).toEqual({
      key: "w2025-09-01",
      dueAt: "2025-09-07T18:30:00.000Z",
      endsAt: "2025-09-07T19:00:00.000Z",
    });
    // Half an hour later it is Monday locally: still the same latest period, the next is a week away.
    expect(around(sunday, "2025-09-07T19:00:00Z")).toMatchObject({
      latest: { key: "w2025-09-01" },
      next: { key: "w2025-09-08", dueAt: "2025-09-14T18:30:00.000Z" },
    });
    expect(wallClock(at("2025-09-07T18:30:00Z"), ALMATY)).toBe("2025-09-07 23:30");
  });

  it.each([1, 2, 3, 4, 5, 6, 7])("weekday %i lands on that ISO weekday of the week of Monday 1 September", (weekday) => {
    // Sunday 23:45 local: every weekday's time in this week has passed.
    const { latest } = periodsAround(weekly(weekday, "09:00", ALMATY), at("2025-09-07T18:45:00Z"));
    expect(latest.key).toBe("w2025-09-01");
    expect(iso(latest.dueAt)).toBe(`2025-09-0${weekday}T04:00:00.000Z`);
    expect(toLocal(latest.dueAt, ALMATY)).toMatchObject({ weekday, day: weekday, hour: 9, minute: 0 });
  });

  it("a week crossing New Year is keyed by its Monday in December", async () => {
    const thursday = weekly(4, "09:00", ALMATY);
    expect(around(thursday, "2026-01-02T00:00:00Z").latest).toMatchObject({ key: "w2025-12-29", dueAt: "2026-01-01T04:00:00.000Z" });
  });

  it.each([
    [{ year: 2025, month: 9, day: 1 }, 1],
    [{ year: 2025, month: 9, day: 3 }, 3],
    [{ year: 2025, month: 9, day: 7 }, 7],
    [{ year: 2025, month: 1, day: 1 }, 3],
    [{ year: 2024, month: 2, day: 29 }, 4],
    [{ year: 2000, month: 1, day: 1 }, 6],
    [{ year: 2026, month: 1, day: 4 }, 7],
  ])("isoWeekday(%o) = %i", (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });

  it.each([
    [{ year: 2024, month: 2, day: 28 }, 1, { year: 2024, month: 2, day: 29 }],
    [{ year: 2025, month: 2, day: 28 }, 1, { year: 2025, month: 3, day: 1 }],
    [{ year: 2025, month: 12, day: 31 }, 1, { year: 2026, month: 1, day: 1 }],
    [{ year: 2025, month: 3, day: 1 }, -1, { year: 2025, month: 2, day: 28 }],
    [{ year: 2025, month: 9, day: 3 }, -2, { year: 2025, month: 9, day: 1 }],
    [{ year: 2025, month: 3, day: 29 }, 7, { year: 2025, month: 4, day: 5 }],
  ])("addDays(%o, %i)", (date, days, expected) => {
    expect(addDays(date, days)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Daylight saving time
// ---------------------------------------------------------------------------------------------------------------

describe("zones with daylight saving", () => {
  it.each([
    // zone     local date          time     due (UTC)                  what the wall clock shows
    [BERLIN, "2025-03-30", "02:30", "2025-03-30T01:30:00.000Z", "2025-03-30 03:30"], // skipped: shifted forward
    [BERLIN, "2025-03-30", "02:00", "2025-03-30T01:00:00.000Z", "2025-03-30 03:00"],
    [BERLIN, "2025-03-30", "01:59", "2025-03-30T00:59:00.000Z", "2025-03-30 01:59"],
    [BERLIN, "2025-03-30", "03:00", "2025-03-30T01:00:00.000Z", "2025-03-30 03:00"],
    [BERLIN, "2025-10-26", "02:30", "2025-10-26T00:30:00.000Z", "2025-10-26 02:30"], // repeated: first occurrence
    [BERLIN, "2025-10-26", "03:00", "2025-10-26T02:00:00.000Z", "2025-10-26 03:00"],
    [BERLIN, "2025-07-01", "09:00", "2025-07-01T07:00:00.000Z", "2025-07-01 09:00"],
    [BERLIN, "2025-01-15", "09:00", "2025-01-15T08:00:00.000Z", "2025-01-15 09:00"],
    [BERLIN, "2025-03-29", "09:00", "2025-03-29T08:00:00.000Z", "2025-03-29 09:00"],
    [BERLIN, "2025-03-30", "09:00", "2025-03-30T07:00:00.000Z", "2025-03-30 09:00"],
    [BERLIN, "2025-10-26", "09:00", "2025-10-26T08:00:00.000Z", "2025-10-26 09:00"],
    [NEW_YORK, "2025-03-09", "02:30", "2025-03-09T07:30:00.000Z", "2025-03-09 03:30"],
    [NEW_YORK, "2025-11-02", "01:30", "2025-11-02T05:30:00.000Z", "2025-11-02 01:30"],
    [NEW_YORK, "2025-07-01", "09:00", "2025-07-01T13:00:00.000Z", "2025-07-01 09:00"],
    [NEW_YORK, "2025-12-01", "09:00", "2025-12-01T14:00:00.000Z", "2025-12-01 09:00"],
  ])("%s %s %s is due at %s", (zone, date, time, due, shown) => {
    const [year, month, day] = date.split("-").map(Number);
    const dueAt = fromLocal({ year: year!, month: month!, day: day! }, hm(time), zone);
    expect(iso(dueAt)).toBe(due);
    expect(wallClock(dueAt, zone)).toBe(shown);
  });

  it("the repeated hour resolves to the first of its two occurrences", async () => {
    const berlin = fromLocal({ year: 2025, month: 10, day: 26 }, hm("02:30"), BERLIN);
    const oneHourLater = new Date(berlin.getTime() + HOUR_MS);
    expect(wallClock(oneHourLater, BERLIN)).toBe("2025-10-26 02:30"); // the second occurrence exists, and is not chosen
    const newYork = fromLocal({ year: 2025, month: 11, day: 2 }, hm("01:30"), NEW_YORK);
    expect(wallClock(new Date(newYork.getTime() + HOUR_MS), NEW_YORK)).toBe("2025-11-02 01:30");
    expect(wallClock(new Date(newYork.getTime() - HOUR_MS), NEW_YORK)).toBe("2025-11-02 00:30");
  });

  it("daily 02:30 in Berlin across both transition nights, through periodsAround", async () => {
    const schedule = daily("02:30", BERLIN);
    expect(around(schedule, "2025-03-30T01:29:00Z").latest.key).toBe("d2025-03-29");
    expect(around(schedule, "2025-03-30T01:30:00Z").latest).toMatchObject({ key: "d2025-03-30", dueAt: "2025-03-30T01:30:00.000Z" });
    expect(around(schedule, "2025-10-26T00:29:00Z").latest.key).toBe("d2025-10-25");
    expect(around(schedule, "2025-10-26T00:30:00Z").latest).toMatchObject({ key: "d2025-10-26", dueAt: "2025-10-26T00:30:00.000Z" });
    // The second 02:30 of that night does not open another period.
    expect(around(schedule, "2025-10-26T01:30:00Z")).toMatchObject({ latest: { key: "d2025-10-26" }, next: { key: "d2025-10-27" } });
  });

  it("daily 09:00 in Berlin is 07:00 UTC in summer and 08:00 UTC in winter", async () => {
    const schedule = daily("09:00", BERLIN);
    expect(around(schedule, "2025-07-01T12:00:00Z").latest.dueAt).toBe("2025-07-01T07:00:00.000Z");
    expect(around(schedule, "2025-01-15T12:00:00Z").latest.dueAt).toBe("2025-01-15T08:00:00.000Z");
    expect(around(schedule, "2025-03-29T12:00:00Z").next.dueAt).toBe("2025-03-30T07:00:00.000Z");
    expect(around(schedule, "2025-10-25T12:00:00Z").next.dueAt).toBe("2025-10-26T08:00:00.000Z");
  });

  it("transition days are 23 and 25 hours long, and periods tile without gaps", async () => {
    const schedule = daily("09:00", BERLIN);
    for (const [before, day, hours] of [
      ["2025-03-29T12:00:00Z", "d2025-03-30", 23],
      ["2025-10-25T12:00:00Z", "d2025-10-26", 25],
      ["2025-07-01T12:00:00Z", "d2025-07-02", 24],
      ["2025-10-26T12:00:00Z", "d2025-10-27", 24],
    ] as const) {
      const { latest, next } = periodsAround(schedule, at(before));
      expect(next.key).toBe(day);
      // 09:00 the day before to 09:00 that day, and that day's local midnight to the next.
      expect(next.dueAt.getTime() - latest.dueAt.getTime()).toBe(hours * HOUR_MS);
      expect(next.endsAt.getTime() - latest.endsAt.getTime()).toBe(hours * HOUR_MS);
      // The next period begins exactly where this one ends.
      expect(periodsAround(schedule, latest.endsAt).next.key).toBe(day);
      expect(toLocal(latest.endsAt, BERLIN)).toMatchObject({ hour: 0, minute: 0 });
      expect(wallClock(next.endsAt, BERLIN).endsWith(" 00:00")).toBe(true);
    }
  });

  it.each([
    ["asia/almaty", "Asia/Almaty"],
    ["  Europe/Berlin ", "Europe/Berlin"],
    ["UTC", "UTC"],
    ["america/new_york", "America/New_York"],
    ["+05:00", undefined],
    ["UTC+5", undefined],
    ["Mars/Olympus_Mons", undefined],
    ["", undefined],
    ["Asia/Almaty; DROP TABLE", undefined],
  ])("canonicalZone(%j) = %j", (input, expected) => {
    expect(canonicalZone(input)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 4. The scheduling rule: catch-up after downtime, late subscriptions
// ---------------------------------------------------------------------------------------------------------------

describe("decide: what is owed now", () => {
  // Daily 09:00 in Almaty is 04:00 UTC.
  const nine = daily("09:00", ALMATY);
  const longAgo = at("2025-01-01T00:00:00Z");
  const state = (overrides: Partial<SubscriptionState> = {}): SubscriptionState => ({
    schedule: nine,
    activeSince: longAgo,
    lastPeriod: null,
    ...overrides,
  });
  const summary = (s: SubscriptionState, now: string) => {
    const decision = decide(s, at(now));
    return { deliver: decision.deliver?.key, nextCheckAt: iso(decision.nextCheckAt) };
  };

  it("exactly at the time, today's period is delivered and the next check is tomorrow's time", async () => {
    expect(summary(state({ lastPeriod: "d2025-09-04" }), "2025-09-05T04:00:00Z")).toEqual({
      deliver: "d2025-09-05",
      nextCheckAt: "2025-09-06T04:00:00.000Z",
    });
    expect(summary(state({ lastPeriod: "d2025-09-04" }), "2025-09-05T03:59:59Z")).toEqual({
      deliver: undefined,
      nextCheckAt: "2025-09-05T04:00:00.000Z",
    });
  });

  it("a period missed by less than 24 hours is delivered once, late", async () => {
    // Down from 08:00 to 08:30 local the next day: 23.5 hours after 09:00.
    const missed = summary(state({ lastPeriod: "d2025-09-04" }), "2025-09-06T03:30:00Z");
    expect(missed).toEqual({ deliver: "d2025-09-05", nextCheckAt: "2025-09-06T04:00:00.000Z" });
    // Once it is recorded, the same instant owes nothing more.
    expect(summary(state({ lastPeriod: "d2025-09-05" }), "2025-09-06T03:30:00Z")).toEqual({
      deliver: undefined,
      nextCheckAt: "2025-09-06T04:00:00.000Z",
    });
  });

  it("a period missed by more than 24 hours is skipped: the next one's time is returned instead", async () => {
    const wednesday = weekly(3, "09:00", ALMATY); // due 2025-09-03T04:00Z
    const s = state({ schedule: wednesday, lastPeriod: "w2025-08-25" });
    expect(summary(s, "2025-09-04T04:00:00Z")).toEqual({ deliver: "w2025-09-01", nextCheckAt: "2025-09-10T04:00:00.000Z" });
    expect(summary(s, new Date(Date.parse("2025-09-03T04:00:00Z") + CATCH_UP_MS + 1).toISOString())).toEqual({
      deliver: undefined,
      nextCheckAt: "2025-09-10T04:00:00.000Z",
    });
    expect(summary(s, "2025-09-06T12:00:00Z")).toEqual({ deliver: undefined, nextCheckAt: "2025-09-10T04:00:00.000Z" });
    expect(CATCH_UP_MS).toBe(24 * HOUR_MS);
  });

  it("a subscription made after today's time has passed is owed today's period", async () => {
    const s = state({ activeSince: at("2025-09-05T05:00:00Z") }); // 10:00 local
    expect(summary(s, "2025-09-05T05:00:00Z")).toEqual({ deliver: "d2025-09-05", nextCheckAt: "2025-09-06T04:00:00.000Z" });
    expect(summary(s, "2025-09-05T05:01:00Z").deliver).toBe("d2025-09-05");
    // Up to the end of the local day (19:00 UTC).
    expect(summary(s, "2025-09-05T18:59:00Z").deliver).toBe("d2025-09-05");
  });

  it("a weekly subscription made later in the week is owed that week, counted from when it was made", async () => {
    const wednesday = weekly(3, "09:00", ALMATY);
    const s = state({ schedule: wednesday, activeSince: at("2025-09-06T05:00:00Z") }); // Saturday
    expect(summary(s, "2025-09-06T05:00:00Z").deliver).toBe("w2025-09-01");
    // More than 24 hours after subscribing (and 4 days after Wednesday) it is no longer owed.
    expect(summary(s, "2025-09-07T05:01:00Z").deliver).toBeUndefined();
  });

  it("a subscription made after the period ended is not owed it (00:30 for a 09:00 daily)", async () => {
    const s = state({ activeSince: at("2025-09-05T19:30:00Z") }); // 00:30 local on the 6th
    expect(summary(s, "2025-09-05T19:31:00Z")).toEqual({ deliver: undefined, nextCheckAt: "2025-09-06T04:00:00.000Z" });
    // Exactly at local midnight counts as after the period.
    expect(summary(state({ activeSince: at("2025-09-05T19:00:00Z") }), "2025-09-05T19:00:00Z").deliver).toBeUndefined();
    // A minute before midnight it is still owed.
    expect(summary(state({ activeSince: at("2025-09-05T18:59:00Z") }), "2025-09-05T18:59:00Z").deliver).toBe("d2025-09-05");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 5. tick with a real SQLite store and a fixed clock
// ---------------------------------------------------------------------------------------------------------------

describe("tick over the SQLite store", () => {
  // Daily 09:00 in Almaty is 04:00 UTC; the store is opened at 07:00 local on Friday 5 September 2025.
  const nine = daily("09:00", ALMATY);

  it("queues a digest at its time and never a second one in the same period", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);

    expect(await tickAt(t, "2025-09-05T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-05T04:00:00Z"));
    expect(await tickAt(t, "2025-09-05T03:59:00Z")).toEqual({ checked: 0, queued: 0 });

    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await t.store.getSubscription(1)).toMatchObject({ lastPeriod: "d2025-09-05", nextCheckAt: at("2025-09-06T04:00:00Z") });

    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-05T12:00:00Z")).toEqual({ checked: 0, queued: 0 });
    // Saving the subscription again makes it due for a look now; it still owes nothing this period.
    await subscribe(t.store, 1, nine);
    expect(await tickAt(t, "2025-09-05T12:00:00Z")).toEqual({ checked: 1, queued: 0 });

    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
    expect((await t.store.stats(at("2025-01-01T00:00:00Z"))).queued).toBe(1);
  });

  it("the store keeps one delivery per chat and period even if a decision is recorded twice", async () => {
    const t = openTestStore("2025-09-05T04:00:00Z");
    await subscribe(t.store, 1, nine);
    const { latest, next } = periodsAround(nine, t.now);
    await t.store.recordDecision(1, latest, next.dueAt);
    await t.store.recordDecision(1, latest, next.dueAt);
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("the next local day owes the next period", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    expect((await tickAt(t, "2025-09-06T03:59:00Z")).queued).toBe(0);
    expect((await tickAt(t, "2025-09-06T04:00:00Z")).queued).toBe(1);
    expect((await tickAt(t, "2025-09-06T04:01:00Z")).queued).toBe(0);
    expect((await tickAt(t, "2025-09-07T04:05:00Z")).queued).toBe(1);
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-06", "1 d2025-09-07"]);
  });

  it("after three days of downtime only the newest period is queued, not one per missed day", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    // Down from then until 11:00 local on Monday the 8th.
    expect(await tickAt(t, "2025-09-08T06:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await tickAt(t, "2025-09-08T06:01:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-08"]);
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-09T04:00:00Z"));
  });

  it("downtime ending shortly before today's time: yesterday's digest once (under 24h late), then today's on time", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    expect(await tickAt(t, "2025-09-08T03:00:00Z")).toEqual({ checked: 1, queued: 1 }); // 08:00 local
    expect(await tickAt(t, "2025-09-08T03:30:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-08T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-07", "1 d2025-09-08"]);
  });

  it("a weekly digest missed by more than 24 hours is skipped until next week", async () => {
    const t = openTestStore("2025-09-01T02:00:00Z"); // Monday
    await subscribe(t.store, 1, weekly(3, "09:00", ALMATY));
    expect(await tickAt(t, "2025-09-01T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    // Down over Wednesday; back on Friday.
    expect(await tickAt(t, "2025-09-05T06:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-10T04:00:00Z"));
    expect(await tickAt(t, "2025-09-10T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 w2025-09-08"]);
  });

  it("pages through many subscriptions (1200 with pages of 100), private and group ids alike", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z"); // 10:00 local: today's time has passed, so each is owed today's
    const chatIds = [...Array.from({ length: 600 }, (_, i) => -1_000_000_000_000 - i), ...Array.from({ length: 600 }, (_, i) => i + 1)];
    for (const chatId of chatIds) await subscribe(t.store, chatId, nine);

    const pages = vi.spyOn(t.store, "dueSubscriptions");
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 100)).toEqual({ checked: 1200, queued: 1200 });
    expect(pages).toHaveBeenCalledTimes(13); // 12 full pages and an empty one
    for (const [, limit] of pages.mock.calls) expect(limit).toBe(100);
    pages.mockRestore();

    const rows = deliveryRows(t.path);
    expect(rows).toHaveLength(1200);
    expect(new Set(rows.map((row) => row.split(" ")[0])).size).toBe(1200);
    expect(rows.every((row) => row.endsWith(" d2025-09-05"))).toBe(true);

    expect(await tickAt(t, "2025-09-05T05:00:00Z", 100)).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-06T04:00:00Z", 100)).toEqual({ checked: 1200, queued: 1200 });
  });

  it("a page shorter than the page size ends the pass", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z");
    for (const chatId of [3, 1, 2]) await subscribe(t.store, chatId, nine);
    const pages = vi.spyOn(t.store, "dueSubscriptions");
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 2)).toEqual({ checked: 3, queued: 3 });
    expect(pages).toHaveBeenCalledTimes(2);
  });

  it("paused subscriptions are not queued; resumed ones are owed only periods that had not ended before resuming", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await subscribe(t.store, 2, nine);
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 2, queued: 2 });

    t.setNow("2025-09-05T06:00:00Z");
    await t.store.pauseSubscription(2);
    expect(await tickAt(t, "2025-09-06T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await tickAt(t, "2025-09-07T04:00:00Z")).toEqual({ checked: 1, queued: 1 });

    // Resumed at 07:00 local on the 8th: the 7th's digest is less than 24h old but ended before resuming.
    t.setNow("2025-09-08T02:00:00Z");
    await t.store.resumeSubscription(2);
    expect(await t.store.getSubscription(2)).toMatchObject({ status: "active", activeSince: at("2025-09-08T02:00:00Z") });
    expect(await tickAt(t, "2025-09-08T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect(await tickAt(t, "2025-09-08T04:00:00Z")).toEqual({ checked: 2, queued: 2 });

    expect(deliveryRows(t.path)).toEqual([
      "1 d2025-09-05",
      "1 d2025-09-06",
      "1 d2025-09-07",
      "1 d2025-09-08",
      "2 d2025-09-05",
      "2 d2025-09-08",
    ]);
  });

  it("resumed later the same day after the time passed, the running period is owed", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await t.store.pauseSubscription(1);
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 0, queued: 0 });
    t.setNow("2025-09-05T10:00:00Z"); // 15:00 local
    await t.store.resumeSubscription(1);
    expect(await tickAt(t, "2025-09-05T10:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("stopped subscriptions are not checked", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await subscribe(t.store, 2, nine);
    await t.store.stopSubscription(2, "unsubscribed");
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("a schedule that cannot be evaluated is logged and retried in an hour without stopping the others", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z");
    await subscribe(t.store, 1, daily("09:00", "Nowhere/Atlantis"));
    await subscribe(t.store, 2, nine);
    const error = vi.fn();
    const logger = { error } as unknown as Logger;
    expect(await tick(t.store, t.now, logger)).toEqual({ checked: 2, queued: 1 });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatchObject({ chat_id: 1 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-05T06:00:00Z"));
    expect(deliveryRows(t.path)).toEqual(["2 d2025-09-05"]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 6. Parsing "/subscribe daily 09:00" and "/subscribe weekly mon 18:30"
// ---------------------------------------------------------------------------------------------------------------

describe("parseSubscribeArgs", () => {
  const weeklyAt = (weekday: number, time: string) => ({ frequency: "weekly", weekday, minuteOfDay: hm(time) });
  const dailyAt = (time: string) => ({ frequency: "daily", weekday: null, minuteOfDay: hm(time) });

  it.each([
    ["daily 09:00", dailyAt("09:00")],
    ["daily 9:05", dailyAt("09:05")],
    ["daily 09.05", dailyAt("09:05")],
    ["  DAILY   23:59 ", dailyAt("23:59")],
    ["daily 0:00", dailyAt("00:00")],
    ["ежедневно 7.15", dailyAt("07:15")],
    ["күнделікті 07:15", dailyAt("07:15")],
    ["кунделикти 07:15", dailyAt("07:15")], // Kazakh typed with Russian letters
    ["weekly mon 18:30", weeklyAt(1, "18:30")],
    ["weekly Monday 18:30", weeklyAt(1, "18:30")],
    ["weekly 18:30 mon", weeklyAt(1, "18:30")], // time first
    ["Weekly Mon, 18:30", weeklyAt(1, "18:30")],
    ["weekly tue 08:00", weeklyAt(2, "08:00")],
    ["weekly wednesday 08:00", weeklyAt(3, "08:00")],
    ["weekly thurs 08:00", weeklyAt(4, "08:00")],
    ["weekly fri 08:00", weeklyAt(5, "08:00")],
    ["weekly sat 08:00", weeklyAt(6, "08:00")],
    ["weekly sunday 23:30", weeklyAt(7, "23:30")],
    ["weekly понедельник 18:30", weeklyAt(1, "18:30")],
    ["weekly пн. 18.30", weeklyAt(1, "18:30")],
    ["еженедельно вторник 10:00", weeklyAt(2, "10:00")],
    ["weekly среда 10:00", weeklyAt(3, "10:00")],
    ["weekly чт 10:00", weeklyAt(4, "10:00")],
    ["weekly пятница 10:00", weeklyAt(5, "10:00")],
    ["weekly сб 10:00", weeklyAt(6, "10:00")],
    ["weekly воскресенье 10:00", weeklyAt(7, "10:00")],
    ["weekly дүйсенбі 18:30", weeklyAt(1, "18:30")],
    ["weekly ДҮЙСЕНБІ 18:30", weeklyAt(1, "18:30")],
    ["weekly дуйсенби 18:30", weeklyAt(1, "18:30")], // Russian look-alikes for ү and і
    ["weekly дүйсенбi 18:30", weeklyAt(1, "18:30")], // Latin i for і
    ["weekly сейсенби 10:00", weeklyAt(2, "10:00")],
    ["weekly 10:00 сәрсенбі", weeklyAt(3, "10:00")],
    ["weekly сарсенби 10:00", weeklyAt(3, "10:00")],
    ["weekly бейсенбі 10:00", weeklyAt(4, "10:00")],
    ["апталық жұма 09:00", weeklyAt(5, "09:00")],
    ["апталык жума 9:00", weeklyAt(5, "09:00")],
    ["weekly сенбі 10:00", weeklyAt(6, "10:00")],
    ["weekly жексенби 10:00", weeklyAt(7, "10:00")],
    ["weekly сн 10:00", weeklyAt(6, "10:00")],
    ["weekly жс 10:00", weeklyAt(7, "10:00")],
  ])("%j", (text, expected) => {
    expect(parseSubscribeArgs(text)).toEqual(expected);
  });

  it.each([
    "",
    "daily",
    "daily 25:00",
    "daily 24:00",
    "daily 9:5",
    "daily 09:60",
    "daily 09:00 extra",
    "daily mon 09:00",
    "weekly 18:30",
    "weekly mon",
    "weekly mon tue",
    "weekly 10:00 11:00",
    "weekly xyz 10:00",
    "weekly mon 18:30 extra",
    "monthly 09:00",
    "09:00 daily",
  ])("%j is rejected", (text) => {
    expect(parseSubscribeArgs(text)).toBeUndefined();
  });

  it.each([
    ["Mon", 1],
    ["пн.", 1],
    ["Сәрсенбі,", 3],
    ["жұма", 5],
    ["воскресенье", 7],
    ["funday", undefined],
    ["", undefined],
  ])("parseWeekday(%j) = %j", (word, expected) => {
    expect(parseWeekday(word)).toBe(expected);
  });

  it.each([
    ["9:05", 545],
    ["09.05", 545],
    [" 23:59 ", 1439],
    ["00:00", 0],
    ["24:00", undefined],
    ["9:5", undefined],
    ["9h05", undefined],
  ])("parseTime(%j) = %j", (text, expected) => {
    expect(parseTime(text)).toBe(expected);
  });

  it.each([
    [0, "00:00"],
    [545, "09:05"],
    [1439, "23:59"],
  ])("formatTime(%i) = %s, and parses back", (minutes, text) => {
    expect(formatTime(minutes)).toBe(text);
    expect(parseTime(text)).toBe(minutes);
  });
});

describe("zones far east of UTC", () => {
  it.each([
    ["spring forward: 02:30 does not exist, it is 03:30 NZDT", { year: 2025, month: 9, day: 28 }, "2025-09-27T14:30:00.000Z"],
    ["fall back: 02:30 happens twice, the first is NZDT", { year: 2025, month: 4, day: 6 }, "2025-04-05T13:30:00.000Z"],
    ["an ordinary day", { year: 2025, month: 7, day: 1 }, "2025-06-30T14:30:00.000Z"],
  ])("Pacific/Auckland %s", (_, date, expected) => {
    expect(fromLocal(date, 150, "Pacific/Auckland").toISOString()).toBe(expected);
  });
});
