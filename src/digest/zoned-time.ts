/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl, so schedules follow each zone's own rules
 * (Kazakhstan's move to UTC+5 in 2024, daylight saving elsewhere) from the tz database Node ships.
 */

import { boundedCache } from "../shared/bounded-cache.js";

export type LocalDate = { year: number; month: number; day: number };
export type LocalDateTime = LocalDate & { hour: number; minute: number; weekday: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * One formatter per zone name, the least recently used dropped when full. The bound is above the number of names in
 * the tz database, aliases included, so every zone in use stays cached; it caps memory if zone strings ever come
 * from somewhere else.
 */
const MAX_CACHED_FORMATTERS = 1000;
const formatters = boundedCache<string, Intl.DateTimeFormat>(MAX_CACHED_FORMATTERS);

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The canonical name of a zone people typed ("asia/almaty" → "Asia/Almaty"), or undefined if it is not one. */
export function canonicalZone(input: string): string | undefined {
  const name = input.trim();
  // Offsets like "+05:00" are accepted by newer Intl versions but are not zones: they ignore the zone's rules.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday({ year, month, day }: LocalDate): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function addDays({ year, month, day }: LocalDate, days: number): LocalDate {
  const date = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function formatLocalDate({ year, month, day }: LocalDate): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The zone's offset at `instant` in whole minutes, read from Intl (slow: it allocates parts on every call). */
function offsetFromIntl(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute);
  return Math.round((asUtc - Math.floor(instant / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

const HOUR_MS = 60 * MINUTE_MS;
const MAX_CACHED_OFFSETS = 10_000;
const offsets = boundedCache<string, number>(MAX_CACHED_OFFSETS);

/**
 * Minutes the zone is ahead of UTC at `instant`. A scheduler tick asks this for thousands of subscriptions at nearly
 * the same instant, so offsets are cached per zone and UTC hour — only for hours without a clock change inside. The
 * least recently used hour goes first when the cache is full, so the current hours of busy zones stay.
 */
function offsetMinutes(instant: number, zone: string): number {
  const hour = Math.floor(instant / HOUR_MS);
  const key = `${zone}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const atStart = offsetFromIntl(hour * HOUR_MS, zone);
  const atEnd = offsetFromIntl(hour * HOUR_MS + HOUR_MS - 1, zone);
  if (atStart !== atEnd) return offsetFromIntl(instant, zone);
  offsets.set(key, atStart);
  return atStart;
}

/**
 * What a wall clock in `zone` shows at `instant`. A tick asks this for every due subscription, so the result is
 * written out field by field: a literal that spreads an object and then adds fields gets a hidden class of its own on
 * every call once V8 optimizes it (Node 20), made in the old generation, and 100,000 of them fill the heap until the
 * next full collection.
 */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  const local = new Date(instant.getTime() + offsetMinutes(instant.getTime(), zone) * MINUTE_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  return { year, month, day, hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: isoWeekday({ year, month, day }) };
}

/**
 * The instant a wall clock in `zone` shows `date` at `minuteOfDay`. A time skipped by a daylight-saving jump
 * resolves to the same distance after the jump (02:30 on a 02:00→03:00 night is 03:30); a time that occurs twice
 * resolves to the first occurrence.
 */
export function fromLocal(date: LocalDate, minuteOfDay: number, zone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  // A day either side is safely before and after any clock change that touches this wall time, in every zone.
  const offsetBefore = offsetMinutes(wall - DAY_MS, zone);
  const offsetAfter = offsetMinutes(wall + DAY_MS, zone);
  // No clock change near this day (nearly always): one reading, nothing to choose between.
  if (offsetBefore === offsetAfter) return new Date(wall - offsetBefore * MINUTE_MS);
  const wanted = formatLocalDate(date);
  const readings = [wall - offsetBefore * MINUTE_MS, wall - offsetAfter * MINUTE_MS].filter((instant) => {
    const local = toLocal(new Date(instant), zone);
    return local.hour * 60 + local.minute === minuteOfDay && formatLocalDate(local) === wanted;
  });
  // Two valid readings when clocks go back: the first. None in a gap: keep the distance from the jump.
  return new Date(readings.length > 0 ? Math.min(...readings) : wall - offsetBefore * MINUTE_MS);
}
