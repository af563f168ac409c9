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

const FREQUENCY_WORDS = new Map<string, Frequency>(
  [
    ["daily", "daily"],
    ["day", "daily"],
    ["ежедневно", "daily"],
    ["күнделікті", "daily"],
    ["weekly", "weekly"],
    ["week", "weekly"],
    ["еженедельно", "weekly"],
    ["апталық", "weekly"],
    ["instant", "instant"],
    ["instantly", "instant"],
    ["сразу", "instant"],
    ["мгновенно", "instant"],
    ["бірден", "instant"],
    ["дереу", "instant"],
  ].map(([word, frequency]) => [fold(word!), frequency as Frequency]),
);

export function parseWeekday(word: string): number | undefined {
  return WEEKDAYS.get(fold(word.trim().replace(/[.,]$/, "")));
}

export type SubscribeArgs =
  | { frequency: "daily" | "weekly"; weekday: number | null; minuteOfDay: number }
  /** Instant has no time of its own: the chat keeps the one it had, for a switch back. */
  | { frequency: "instant"; weekday: null };

/**
 * The one-line form: "daily 09:00", "weekly mon 18:30" (weekday in Latin, Russian or Kazakh; the time may come
 * first) or "instant" alone. Returns undefined when it is not exactly that, so the caller can show an example of the
 * right form.
 */
export function parseSubscribeArgs(text: string): SubscribeArgs | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const frequency = words.length > 0 ? FREQUENCY_WORDS.get(fold(words[0]!)) : undefined;
  if (!frequency) return undefined;
  const rest = words.slice(1);
  if (frequency === "instant") return rest.length === 0 ? { frequency, weekday: null } : undefined;
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
