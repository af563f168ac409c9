import { describe, expect, it } from "vitest";
import { formatTime, isWeekday, parseTime } from "../src/shared/schedule.js";

describe("parseTime and formatTime", () => {
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

describe("isWeekday", () => {
  it("accepts the ISO weekdays 1 to 7 and nothing else", () => {
    expect([1, 2, 3, 4, 5, 6, 7].every(isWeekday)).toBe(true);
    expect([0, 8, 1.5, -1, Number.NaN, "3", undefined].some(isWeekday)).toBe(false);
  });
});
