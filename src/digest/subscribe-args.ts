import { fold } from "../search/normalize.js";
import { parseTime, type Frequency } from "../shared/schedule.js";

/** Weekday names people type after /subscribe weekly, in Latin, Russian and Kazakh (compared after folding). */
const WEEKDAY_NAMES: Record<number, string[]> = {
  1: ["mon", "monday", "пн", "пон", "понедельник", "дс", "дүйсенбі"],
  2: ["tue", "tues", "tuesday", "вт", "вторник", "сс", "сейсенбі"],
  3: ["wed", "wednesday", "ср", "среда", "сәрсенбі"],
  4: ["thu", "thur", "thurs", "thursday", "чт", "четверг", "бс", "бейсенбі"],
  5: ["fri", "friday", "пт", "пятница", "жм", "жұма"],
  6: ["sat", "saturday", "сб", "суббота", "сн", "сенбі"],
  7: ["sun", "sunday", "вс", "воскресенье", "жс", "жексенбі"],
};
const WEEKDAYS = new Map<string, number>(
  Object.entries(WEEKDAY_NAMES).flatMap(([day, names]) => names.map((name) => [fold(name), Number(day)] as const)),
);

const FREQUENCIES = new Map<string, Frequency>(
  [
    ["daily", "daily"],
    ["day", "daily"],
    ["ежедневно", "daily"],
    ["күнделікті", "daily"],
    ["weekly", "weekly"],
    ["week", "weekly"],
    ["еженедельно", "weekly"],
    ["апталық", "weekly"],
  ].map(([word, frequency]) => [fold(word!), frequency as Frequency]),
);

export function parseWeekday(word: string): number | undefined {
  return WEEKDAYS.get(fold(word.trim().replace(/[.,]$/, "")));
}

export type SubscribeArgs = { frequency: Frequency; weekday: number | null; minuteOfDay: number };

/**
 * The one-line form: "daily 09:00" or "weekly mon 18:30" (weekday in Latin, Russian or Kazakh; the time may come
 * first). Returns undefined when it is not exactly that, so the caller can show an example of the right form.
 */
export function parseSubscribeArgs(text: string): SubscribeArgs | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const frequency = words.length > 0 ? FREQUENCIES.get(fold(words[0]!)) : undefined;
  if (!frequency) return undefined;
  const rest = words.slice(1);
  if (frequency === "daily") {
    if (rest.length !== 1) return undefined;
    const minuteOfDay = parseTime(rest[0]!);
    return minuteOfDay === undefined ? undefined : { frequency, weekday: null, minuteOfDay };
  }
  if (rest.length !== 2) return undefined;
  const [a, b] = rest as [string, string];
  const weekday = parseWeekday(a) ?? parseWeekday(b);
  const minuteOfDay = parseTime(b) ?? parseTime(a);
  return weekday === undefined || minuteOfDay === undefined ? undefined : { frequency, weekday, minuteOfDay };
}
