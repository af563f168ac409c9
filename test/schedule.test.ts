import { describe, expect, it } from "vitest";
import { CATCH_UP_MS, decide, INSTANT_RECHECK_MS, periodsAround, type SubscriptionState } from "../src/digest/schedule.js";
import type { Schedule } from "../src/shared/schedule.js";
import { toLocal } from "../src/digest/zoned-time.js";
import { ALMATY, at, BERLIN, daily, HOUR_MS, instant, iso, wallClock, weekly } from "./support/schedules.js";

/** periodsAround with dates as ISO strings, easy to compare in tables. */
function around(schedule: Schedule, now: string) {
  const { latest, next } = periodsAround(schedule, at(now));
  return {
    latest: { key: latest.key, dueAt: iso(latest.dueAt), endsAt: iso(latest.endsAt) },
    next: { key: next.key, dueAt: iso(next.dueAt), endsAt: iso(next.endsAt) },
  };
}

describe("periods follow local midnight (Asia/Almaty, UTC+5) rather than UTC", () => {
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
});

describe("zones with daylight saving", () => {
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
});

describe("decide: what is owed now", () => {
  // Daily 09:00 in Almaty is 04:00 UTC.
  const nine = daily("09:00", ALMATY);
  const longAgo = at("2025-01-01T00:00:00Z");
  const state = (overrides: Partial<SubscriptionState> = {}): SubscriptionState => ({
    schedule: nine,
    activeSince: longAgo,
    lastPeriod: null,
    contentMark: null,
    ...overrides,
  });
  const summary = (s: SubscriptionState, now: string, mark = "2025-09-05") => {
    const decision = decide(s, at(now), mark);
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

describe("decide: instant digests follow the content mark", () => {
  const longAgo = at("2025-01-01T00:00:00Z");
  const NOW = "2025-09-05T10:31:00Z";
  const state = (overrides: Partial<SubscriptionState> = {}): SubscriptionState => ({
    schedule: instant(ALMATY),
    activeSince: longAgo,
    lastPeriod: null,
    contentMark: "2025-09-05",
    ...overrides,
  });
  const summary = (s: SubscriptionState, mark: string, now = NOW) => {
    const decision = decide(s, at(now), mark);
    return { deliver: decision.deliver?.key, nextCheckAt: iso(decision.nextCheckAt) };
  };
  const justAfter = (now: string) => iso(new Date(Date.parse(now) + INSTANT_RECHECK_MS));

  it("owes a digest keyed by the new mark when the content changed after the chat's previous digest", async () => {
    expect(summary(state(), "2025-09-05T10:30:00Z")).toEqual({ deliver: "i2025-09-05T10:30:00Z", nextCheckAt: justAfter(NOW) });
    expect(summary(state(), "2025-09-06")).toEqual({ deliver: "i2025-09-06", nextCheckAt: justAfter(NOW) });
    const { deliver } = decide(state(), at(NOW), "2025-09-06");
    expect(deliver).toEqual({ key: "i2025-09-06", dueAt: at(NOW), endsAt: at(NOW) });
  });

  it("owes nothing while the content is what the previous digest covered (or older), and looks again at the next tick", async () => {
    expect(summary(state(), "2025-09-05")).toEqual({ deliver: undefined, nextCheckAt: justAfter(NOW) });
    expect(summary(state({ contentMark: "2025-09-05T10:30:00Z" }), "2025-09-05T10:30:00Z").deliver).toBeUndefined();
    // A timestamp sorts after its own date, so a later edit the same day is newer than a date-only mark.
    expect(summary(state({ contentMark: "2025-09-05T10:30:00Z" }), "2025-09-05").deliver).toBeUndefined();
    expect(summary(state({ contentMark: "2025-09-05T10:30:00Z" }), "2025-09-05T10:30:01Z").deliver).toBe("i2025-09-05T10:30:01Z");
    // The next check is just past now: a tick paging through due subscriptions does not meet it again.
    expect(decide(state(), at(NOW), "2025-09-05").nextCheckAt.getTime()).toBeGreaterThan(at(NOW).getTime());
  });

  it("owes each mark once: recorded, it is not owed again while the digest is on its way", async () => {
    const recorded = state({ lastPeriod: "i2025-09-06" });
    expect(summary(recorded, "2025-09-06").deliver).toBeUndefined();
    expect(summary(recorded, "2025-09-06", "2025-09-09T00:00:00Z").deliver).toBeUndefined();
    // A newer change is a new period.
    expect(summary(recorded, "2025-09-07").deliver).toBe("i2025-09-07");
  });

  it("a chat with no digest yet is owed one at once, and downtime does not make it stale", async () => {
    expect(summary(state({ contentMark: null, activeSince: at(NOW) }), "2025-09-05").deliver).toBe("i2025-09-05");
    expect(summary(state(), "2025-09-06", "2026-01-01T00:00:00Z").deliver).toBe("i2025-09-06");
  });

  it("the time and weekday of an instant schedule play no part", async () => {
    for (const minuteOfDay of [0, 540, 1439]) {
      const schedule = { ...instant(ALMATY), minuteOfDay, weekday: 3 };
      expect(summary(state({ schedule }), "2025-09-06")).toEqual({ deliver: "i2025-09-06", nextCheckAt: justAfter(NOW) });
    }
  });
});
