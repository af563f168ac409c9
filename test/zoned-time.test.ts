import { describe, expect, it } from "vitest";
import { addDays, canonicalZone, fromLocal, isoWeekday, toLocal } from "../src/digest/zoned-time.js";
import { ALMATY, at, BERLIN, hm, HOUR_MS, iso, wallClock } from "./support/schedules.js";

const NEW_YORK = "America/New_York";

describe("local time in Asia/Almaty (UTC+5)", () => {
  it("Kazakhstan is on UTC+5 all year since March 2024 (and was UTC+6 before)", async () => {
    expect(wallClock(at("2024-01-15T00:00:00Z"), ALMATY)).toBe("2024-01-15 06:00");
    expect(wallClock(at("2025-01-15T00:00:00Z"), ALMATY)).toBe("2025-01-15 05:00");
    expect(wallClock(at("2025-07-15T00:00:00Z"), ALMATY)).toBe("2025-07-15 05:00");
    // 19:00 UTC is already the next local day, a Friday.
    expect(toLocal(at("2025-09-04T19:00:00Z"), ALMATY)).toEqual({ year: 2025, month: 9, day: 5, hour: 0, minute: 0, weekday: 5 });
    expect(toLocal(at("2025-09-04T18:59:00Z"), ALMATY)).toMatchObject({ day: 4, hour: 23, minute: 59, weekday: 4 });
  });
});

describe("calendar dates", () => {
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
});

describe("canonicalZone", () => {
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

describe("zones far east of UTC", () => {
  it.each([
    ["spring forward: 02:30 does not exist, it is 03:30 NZDT", { year: 2025, month: 9, day: 28 }, "2025-09-27T14:30:00.000Z"],
    ["fall back: 02:30 happens twice, the first is NZDT", { year: 2025, month: 4, day: 6 }, "2025-04-05T13:30:00.000Z"],
    ["an ordinary day", { year: 2025, month: 7, day: 1 }, "2025-06-30T14:30:00.000Z"],
  ])("Pacific/Auckland %s", (_, date, expected) => {
    expect(fromLocal(date, 150, "Pacific/Auckland").toISOString()).toBe(expected);
  });
});
