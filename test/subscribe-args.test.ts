import { describe, expect, it } from "vitest";
import { parseSubscribeArgs, parseWeekday } from "../src/digest/subscribe-args.js";
import { hm } from "./support/schedules.js";

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
    ["instant", { frequency: "instant", weekday: null }],
    [" Instantly ", { frequency: "instant", weekday: null }],
    ["сразу", { frequency: "instant", weekday: null }],
    ["Мгновенно", { frequency: "instant", weekday: null }],
    ["бірден", { frequency: "instant", weekday: null }],
    ["бирден", { frequency: "instant", weekday: null }], // Russian look-alike for і
    ["дереу", { frequency: "instant", weekday: null }],
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
    "instant 09:00",
    "instant mon 09:00",
    "09:00 instant",
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
});
