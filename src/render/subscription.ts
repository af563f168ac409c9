import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { ContentLibrary } from "../content/library.js";
import type { Locale, LocalizedText } from "../content/types.js";
import { formatTime, type Schedule } from "../digest/schedule.js";
import type { Subscription } from "../store/types.js";
import { encodeCallback } from "./callback-data.js";
import { bold, escapeHtml, type RenderOptions, type Translate } from "./format.js";
import type { Rendered } from "./sections.js";

/** Times offered as buttons; any other is typed as HH:MM. */
export const TIME_PRESETS = [7 * 60, 9 * 60, 12 * 60, 18 * 60, 20 * 60];
/** Zones offered as buttons (short ids travel in callback data); any other IANA name can be typed. */
export const ZONE_PRESETS: Record<string, string> = { kz: "Asia/Almaty", cn: "Asia/Shanghai", ru: "Europe/Moscow" };
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export const encodeTime = (minuteOfDay: number) => formatTime(minuteOfDay).replace(":", "");
export function decodeTime(value: string | undefined): number | undefined {
  if (!value || !/^\d{4}$/.test(value)) return undefined;
  const minuteOfDay = Number(value.slice(0, 2)) * 60 + Number(value.slice(2));
  return Number(value.slice(0, 2)) < 24 && Number(value.slice(2)) < 60 ? minuteOfDay : undefined;
}

export type SectorChoice = { id: string; title: LocalizedText };

/** Sectors a chat can pick: every sector id across the briefings, titled as in the newest briefing that has it. */
export function sectorChoices(library: ContentLibrary): SectorChoice[] {
  const seen = new Map<string, SectorChoice>();
  for (const briefing of library.briefings) {
    for (const sector of briefing.sectors) if (!seen.has(sector.id)) seen.set(sector.id, { id: sector.id, title: sector.title });
  }
  return [...seen.values()];
}

export function describeSchedule(schedule: Pick<Schedule, "frequency" | "weekday" | "minuteOfDay">, t: Translate): string {
  const time = formatTime(schedule.minuteOfDay);
  return schedule.frequency === "daily" ? t("schedule-daily", { time }) : t("schedule-weekly", { day: schedule.weekday ?? 1, time });
}

export function describeSectors(sectors: readonly string[] | null, library: ContentLibrary, locale: Locale, t: Translate): string {
  const choices = sectorChoices(library);
  if (sectors === null || choices.every((choice) => sectors.includes(choice.id))) return t("settings-all-sectors");
  return choices
    .filter((choice) => sectors.includes(choice.id))
    .map((choice) => choice.title[locale].replace(/^[^\p{L}\p{N}]+/u, ""))
    .join(", ");
}

/** The lines that describe a subscription, shared by /settings and the dialogue's confirmation. */
export function subscriptionLines(
  draft: { schedule: Schedule; sectors: readonly string[] | null; language: Locale; status?: Subscription["status"] },
  library: ContentLibrary,
  { locale, t }: RenderOptions,
): string[] {
  const lines = [
    t("settings-language", { value: t("language-name") }),
    t("settings-schedule", { value: describeSchedule(draft.schedule, t) }),
    t("settings-zone", { value: draft.schedule.timezone }),
    t("settings-sectors", { value: describeSectors(draft.sectors, library, locale, t) }),
  ];
  if (draft.status) lines.push(t("settings-status", { status: draft.status }));
  return lines.map(escapeHtml);
}

type Encode = (step: string, value?: string) => string;
const settingsCallback: Encode = (field, value) =>
  encodeCallback({ kind: "settings", field: field as never, ...(value ? { value } : {}) });
export const dialogCallback: Encode = (step, value) =>
  encodeCallback({ kind: "dialog", step: step as never, ...(value ? { value } : {}) });

function rows<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

const backToSettings = (t: Translate): InlineKeyboardButton[] => [InlineKeyboard.text(`⬅ ${t("button-back")}`, settingsCallback(""))];

export function frequencyButtons(t: Translate, encode: Encode, field: string): InlineKeyboardButton[][] {
  return [[InlineKeyboard.text(t("frequency-daily"), encode(field, "d")), InlineKeyboard.text(t("frequency-weekly"), encode(field, "w"))]];
}

export function weekdayButtons(t: Translate, encode: Encode, field: string): InlineKeyboardButton[][] {
  return rows(
    WEEKDAYS.map((day) => InlineKeyboard.text(t("weekday-short", { day }), encode(field, String(day)))),
    4,
  );
}

export function timeButtons(encode: Encode, field: string): InlineKeyboardButton[][] {
  return [TIME_PRESETS.map((minutes) => InlineKeyboard.text(formatTime(minutes), encode(field, encodeTime(minutes))))];
}

export function sectorButtons(library: ContentLibrary, selected: readonly string[] | null, locale: Locale, encode: Encode, field: string) {
  return sectorChoices(library).map((choice) => [
    InlineKeyboard.text(`${selected === null || selected.includes(choice.id) ? "✅" : "▫️"} ${choice.title[locale]}`, encode(field, choice.id)),
  ]);
}

/** The /settings screen: what the chat receives and a button for each thing that can change. */
export function settingsScreen(subscription: Subscription | undefined, library: ContentLibrary, options: RenderOptions): Rendered {
  const { t } = options;
  if (!subscription || subscription.status === "stopped") {
    return {
      text: `${bold(t("settings-title"))}\n\n${escapeHtml(t("settings-none"))}`,
      keyboard: InlineKeyboard.from([
        [InlineKeyboard.text(t("button-subscribe"), settingsCallback("n"))],
        [InlineKeyboard.text(t("button-language"), settingsCallback("l"))],
      ]),
    };
  }
  const lines = subscriptionLines(subscription, library, options);
  const toggle =
    subscription.status === "active"
      ? InlineKeyboard.text(t("button-pause"), settingsCallback("p"))
      : InlineKeyboard.text(t("button-resume"), settingsCallback("r"));
  return {
    text: `${bold(t("settings-title"))}\n\n${lines.join("\n")}`,
    keyboard: InlineKeyboard.from([
      [InlineKeyboard.text(t("button-language"), settingsCallback("l")), InlineKeyboard.text(t("button-frequency"), settingsCallback("f"))],
      [InlineKeyboard.text(t("button-time"), settingsCallback("t")), InlineKeyboard.text(t("button-zone"), settingsCallback("z"))],
      [InlineKeyboard.text(t("button-sectors"), settingsCallback("s"))],
      [toggle, InlineKeyboard.text(t("button-unsubscribe"), settingsCallback("u"))],
    ]),
  };
}

/** One field of /settings and its choices. */
export function settingsFieldScreen(
  field: "l" | "f" | "w" | "t" | "z" | "s",
  subscription: Subscription,
  library: ContentLibrary,
  options: RenderOptions,
  languageButtons: InlineKeyboardButton[] = [],
): Rendered {
  const { t, locale } = options;
  const heading = bold(t("settings-title"));
  const screen = (prompt: string, buttons: InlineKeyboardButton[][]): Rendered => ({
    text: `${heading}\n\n${escapeHtml(prompt)}`,
    keyboard: InlineKeyboard.from([...buttons, backToSettings(t)]),
  });
  switch (field) {
    case "l":
      return screen(t("settings-choose-language"), [languageButtons]);
    case "f":
      return screen(t("settings-choose-frequency"), frequencyButtons(t, settingsCallback, "f"));
    case "w":
      return screen(t("dialog-weekday"), weekdayButtons(t, settingsCallback, "w"));
    case "t":
      return screen(t("settings-schedule", { value: describeSchedule(subscription.schedule, t) }), [
        ...timeButtons(settingsCallback, "t"),
        [InlineKeyboard.text(t("button-type-time"), settingsCallback("t", "type"))],
      ]);
    case "z":
      return screen(`${t("settings-zone", { value: subscription.schedule.timezone })}\n${t("settings-choose-zone")}`, [
        Object.keys(ZONE_PRESETS).map((id) => InlineKeyboard.text(t(`zone-${id}`), settingsCallback("z", id))),
        [InlineKeyboard.text(t("button-type-zone"), settingsCallback("z", "type"))],
      ]);
    case "s":
      return screen(t("dialog-sectors"), sectorButtons(library, subscription.sectors, locale, settingsCallback, "s"));
  }
}
