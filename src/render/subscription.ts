import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { ContentLibrary } from "../content/library.js";
import type { Topic } from "../content/types.js";
import type { Locale, Script, Translate } from "../shared/locale.js";
import { formatTime, WEEKDAYS, ZONE_PRESETS, type Frequency, type Schedule, type ZonePreset } from "../shared/schedule.js";
import type { Subscription } from "../store/types.js";
import { encodeCallback, type DialogAnswer, type SettingsChoice } from "./callback-data.js";
import { bold, escapeHtml, type RenderOptions, type Rendered } from "./format.js";
import { readingButtons } from "./language-picker.js";
import { mainMenuRow } from "./sections.js";

/** Times offered as buttons; any other is typed as HH:MM. */
export const TIME_PRESETS = [7 * 60, 9 * 60, 12 * 60, 18 * 60, 20 * 60];

/** What subscribers choose their digest by: the library's topics, in menu order. */
export function sectorChoices(library: ContentLibrary): readonly Topic[] {
  return library.topics;
}

/** The ids of every topic: a choice of all of them is stored as "all" (null). */
export function topicIds(library: ContentLibrary): string[] {
  return library.topics.map((topic) => topic.id);
}

export function describeSchedule(schedule: Pick<Schedule, "frequency" | "weekday" | "minuteOfDay">, t: Translate): string {
  const time = formatTime(schedule.minuteOfDay);
  switch (schedule.frequency) {
    case "daily":
      return t("schedule-daily", { time });
    case "weekly":
      return t("schedule-weekly", { day: schedule.weekday ?? 1, time });
    case "instant":
      // No time: an instant digest goes out when the content changes.
      return t("schedule-instant");
  }
}

/** A zone's offset from UTC at `now` ("UTC+5", "UTC+5:30", "UTC"), by the tz database Node ships. */
function utcOffset(timezone: string, now: Date): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "shortOffset" })
    .formatToParts(now)
    .find((part) => part.type === "timeZoneName")?.value;
  return (name ?? "GMT").replace(/^GMT/, "UTC");
}

/**
 * A zone as people read it: a zone of the buttons by its name with its offset ("Казахстан (UTC+5)"); any other by
 * its offset and IANA name ("UTC+2 (Europe/Berlin)"), since it has no name of ours.
 */
export function zoneLabel(timezone: string, t: Translate, now: Date = new Date()): string {
  const offset = utcOffset(timezone, now);
  const preset = (Object.keys(ZONE_PRESETS) as ZonePreset[]).find((key) => ZONE_PRESETS[key] === timezone);
  return preset ? t("zone-named", { name: t(`zone-${preset}`), offset }) : t("zone-unnamed", { offset, zone: timezone });
}

/** The reader's language as the settings name it: Kazakh with its script, so that a Latin or Arabic choice is seen as one. */
function readingName(locale: Locale, script: Script | undefined, t: Translate): string {
  if (locale !== "kk") return t("language-name");
  return t(`language-name-${script ?? "cyrl"}`);
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
  draft: { schedule: Schedule; sectors: readonly string[] | null; language: Locale; silent: boolean; status?: Subscription["status"] },
  library: ContentLibrary,
  { locale, t, script }: RenderOptions,
): string[] {
  // The zone only places a daily or weekly time; an instant digest has none, so its (kept) zone is not shown.
  const timed = draft.schedule.frequency !== "instant";
  const lines = [
    t("settings-language", { value: readingName(locale, script, t) }),
    t("settings-schedule", { value: describeSchedule(draft.schedule, t) }),
    ...(timed ? [t("settings-zone", { value: zoneLabel(draft.schedule.timezone, t) })] : []),
    t("settings-sectors", { value: describeSectors(draft.sectors, library, locale, t) }),
    t("settings-sound", { silent: draft.silent ? "yes" : "no" }),
  ];
  if (draft.status) lines.push(t("settings-status", { status: draft.status }));
  return lines.map(escapeHtml);
}

/**
 * The choice buttons are the same on the /settings screens and in the /subscribe dialogue; only what a press
 * means differs. Each screen passes how its presses are encoded.
 */
export type ChoiceEncoder = {
  frequency(frequency: Frequency): string;
  weekday(weekday: number): string;
  time(minuteOfDay: number): string;
  sector(sector: string): string;
};

type SettingsEncoder = (choice?: SettingsChoice) => string;
const settings: SettingsEncoder = (choice) => encodeCallback({ kind: "settings", ...(choice ? { choice } : {}) });
/**
 * The buttons of a settings screen act on the chat they are pressed in, or on the channel `channelId` (managed from
 * a private chat), which then travels in each button.
 */
const settingsOf =
  (channelId: number | undefined): SettingsEncoder =>
  (choice) =>
    channelId === undefined ? settings(choice) : encodeCallback({ kind: "channel", chatId: channelId, ...(choice ? { choice } : {}) });
const settingsChoicesOf = (encode: SettingsEncoder): ChoiceEncoder => ({
  frequency: (frequency) => encode({ field: "frequency", frequency }),
  weekday: (weekday) => encode({ field: "weekday", weekday }),
  time: (minuteOfDay) => encode({ field: "time", minuteOfDay }),
  sector: (sector) => encode({ field: "sectors", sector }),
});

export const dialogButton = (answer: DialogAnswer) => encodeCallback({ kind: "dialog", answer });
export const dialogChoices: ChoiceEncoder = {
  frequency: (frequency) => dialogButton({ step: "frequency", frequency }),
  weekday: (weekday) => dialogButton({ step: "weekday", weekday }),
  time: (minuteOfDay) => dialogButton({ step: "time", minuteOfDay }),
  sector: (sector) => dialogButton({ step: "sector", sector }),
};

function rows<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

const backToSettings = (t: Translate, encode: SettingsEncoder): InlineKeyboardButton[] => [
  InlineKeyboard.text(`⬅ ${t("button-back")}`, encode()),
];

/**
 * The "without sound" switch, on /settings and in the dialogue: it offers the other state, and its press carries the
 * state to set (so a press that arrives twice does not switch back).
 */
export function soundButton(silent: boolean, t: Translate, encode: (silent: boolean) => string): InlineKeyboardButton {
  return InlineKeyboard.text(t(silent ? "button-sound-on" : "button-sound-off"), encode(!silent));
}
export const dialogSound = (silent: boolean) => dialogButton({ step: "silent", silent });

export function frequencyButtons(t: Translate, encode: ChoiceEncoder): InlineKeyboardButton[][] {
  return [
    [
      InlineKeyboard.text(t("frequency-daily"), encode.frequency("daily")),
      InlineKeyboard.text(t("frequency-weekly"), encode.frequency("weekly")),
    ],
    [InlineKeyboard.text(t("frequency-instant"), encode.frequency("instant"))],
  ];
}

/** Weekdays by their full names, three to a row so that the longest fits a phone's screen. */
export function weekdayButtons(t: Translate, encode: ChoiceEncoder): InlineKeyboardButton[][] {
  return rows(
    WEEKDAYS.map((day) => InlineKeyboard.text(t("weekday-button", { day }), encode.weekday(day))),
    3,
  );
}

export function timeButtons(encode: ChoiceEncoder): InlineKeyboardButton[][] {
  return [TIME_PRESETS.map((minutes) => InlineKeyboard.text(formatTime(minutes), encode.time(minutes)))];
}

export function sectorButtons(library: ContentLibrary, selected: readonly string[] | null, locale: Locale, encode: ChoiceEncoder) {
  return sectorChoices(library).map((choice) => [
    InlineKeyboard.text(
      `${selected === null || selected.includes(choice.id) ? "✅" : "▫️"} ${choice.title[locale]}`,
      encode.sector(choice.id),
    ),
  ]);
}

/** A channel whose digest its admin manages from their private chat, as its settings screens name it. */
export type ChannelOfScreen = { chatId: number; title: string | null };

/** The title of a settings screen; a channel's names the channel, so that it is never taken for the chat's own. */
function settingsHeading(t: Translate, channel: ChannelOfScreen | undefined): string {
  const title = bold(t("settings-title"));
  return channel ? `${title}\n${escapeHtml(t("channel-settings-of", { title: channel.title ?? String(channel.chatId) }))}` : title;
}

/**
 * The button on the main menu and every card that leads to the digest: the subscribe dialogue, or the settings of a
 * chat that is subscribed. Who may press it is decided when it is pressed (in a group, administrators).
 */
export function digestButtonRow(subscribed: boolean, t: Translate): InlineKeyboardButton[] {
  return [
    subscribed
      ? InlineKeyboard.text(t("button-digest-settings"), settings())
      : InlineKeyboard.text(t("button-subscribe-digest"), settings({ field: "subscribe" })),
  ];
}

/**
 * The /settings screen: what the chat receives and a button for each thing that can change, and the way back to the
 * briefing. With a channel, the screen of that channel's digest as its admin sees it in their private chat, with a
 * way back to their own.
 */
export function settingsScreen(
  subscription: Subscription | undefined,
  library: ContentLibrary,
  options: RenderOptions,
  channel?: ChannelOfScreen,
): Rendered {
  const { t } = options;
  const settings = settingsOf(channel?.chatId);
  const heading = settingsHeading(t, channel);
  const back = channel ? [[InlineKeyboard.text(`⬅ ${t("button-back")}`, settingsOf(undefined)())]] : [mainMenuRow(library.latest.id, t)];
  if (!subscription || subscription.status === "stopped") {
    return {
      text: `${heading}\n\n${escapeHtml(t(channel ? "channel-settings-none" : "settings-none"))}`,
      keyboard: InlineKeyboard.from([
        [InlineKeyboard.text(t("button-subscribe"), settings({ field: "subscribe" }))],
        [InlineKeyboard.text(t("button-language"), settings({ field: "language" }))],
        ...back,
      ]),
    };
  }
  const lines = subscriptionLines(subscription, library, options);
  const toggle =
    subscription.status === "active"
      ? InlineKeyboard.text(t("button-pause"), settings({ field: "pause" }))
      : InlineKeyboard.text(t("button-resume"), settings({ field: "resume" }));
  // Time and zone place a daily or weekly digest; an instant one has neither to change.
  const timed = subscription.schedule.frequency !== "instant";
  return {
    text: `${heading}\n\n${lines.join("\n")}`,
    keyboard: InlineKeyboard.from([
      [
        InlineKeyboard.text(t("button-language"), settings({ field: "language" })),
        InlineKeyboard.text(t("button-frequency"), settings({ field: "frequency" })),
      ],
      ...(timed
        ? [
            [
              InlineKeyboard.text(t("button-time"), settings({ field: "time" })),
              InlineKeyboard.text(t("button-zone"), settings({ field: "zone" })),
            ],
          ]
        : []),
      [
        InlineKeyboard.text(t("button-sectors"), settings({ field: "sectors" })),
        soundButton(subscription.silent, t, (silent) => settings({ field: "silent", silent })),
      ],
      [toggle, InlineKeyboard.text(t("button-unsubscribe"), settings({ field: "unsubscribe" }))],
      ...back,
    ]),
  };
}

/** A channel a person manages from their private chat, as /settings lists it. */
export type ManagedChannel = { chatId: number; title: string | null; status: Subscription["status"] };

/**
 * What the private /settings adds below the person's own digest: a button for each channel they manage, and the one
 * that opens Telegram's chat picker to add a channel.
 */
export function withChannelRows(screen: Rendered, channels: readonly ManagedChannel[], t: Translate): Rendered {
  const rows = channels.map((channel) => [
    InlineKeyboard.text(
      t("button-channel", { title: channel.title ?? String(channel.chatId), status: channel.status }),
      settingsOf(channel.chatId)(),
    ),
  ]);
  return {
    text: screen.text,
    keyboard: InlineKeyboard.from([
      ...screen.keyboard.inline_keyboard,
      ...rows,
      [InlineKeyboard.text(t("button-channel-digest"), settings({ field: "channel" }))],
    ]),
  };
}

/** The fields of /settings that open a screen of choices. */
export type SettingsFieldScreen = "language" | "frequency" | "weekday" | "time" | "zone" | "sectors";

/** One field of /settings and its choices. */
export function settingsFieldScreen(
  field: SettingsFieldScreen,
  subscription: Subscription,
  library: ContentLibrary,
  options: RenderOptions,
  translators: Record<Locale, Translate>,
  channel?: ChannelOfScreen,
): Rendered {
  const { t, locale } = options;
  const settings = settingsOf(channel?.chatId);
  const settingsChoices = settingsChoicesOf(settings);
  const heading = settingsHeading(t, channel);
  const screen = (prompt: string, buttons: InlineKeyboardButton[][]): Rendered => ({
    text: `${heading}\n\n${escapeHtml(prompt)}`,
    keyboard: InlineKeyboard.from([...buttons, backToSettings(t, settings)]),
  });
  switch (field) {
    case "language":
      return screen(
        t("settings-choose-language"),
        readingButtons(translators, ({ locale: language, script }) =>
          settings({ field: "language", language, ...(script !== "cyrl" ? { script } : {}) }),
        ),
      );
    case "frequency":
      return screen(t("settings-choose-frequency"), frequencyButtons(t, settingsChoices));
    case "weekday":
      return screen(t("dialog-weekday"), weekdayButtons(t, settingsChoices));
    case "time":
      return screen(t("settings-schedule", { value: describeSchedule(subscription.schedule, t) }), [
        ...timeButtons(settingsChoices),
        [InlineKeyboard.text(t("button-type-time"), settings({ field: "typeTime" }))],
      ]);
    case "zone":
      return screen(`${t("settings-zone", { value: zoneLabel(subscription.schedule.timezone, t) })}\n${t("settings-choose-zone")}`, [
        (Object.keys(ZONE_PRESETS) as ZonePreset[]).map((preset) =>
          InlineKeyboard.text(t(`zone-${preset}`), settings({ field: "zone", preset })),
        ),
        [InlineKeyboard.text(t("button-type-zone"), settings({ field: "typeZone" }))],
      ]);
    case "sectors":
      return screen(t("dialog-sectors"), sectorButtons(library, subscription.sectors, locale, settingsChoices));
  }
}

/**
 * What /start adds for a chat (or forum topic) whose digest stopped because the bot lost it: resume it. The offer says
 * why it stopped: the bot blocked or removed, or the topic closed (administrators can still post in a closed topic).
 */
export function resumeOfferScreen(t: Translate, reason: Subscription["stopReason"] = null): Rendered {
  const topic = reason === "topic_closed" || reason === "topic_deleted";
  return {
    text: escapeHtml(t(topic ? "resume-offer-topic" : "resume-offer")),
    keyboard: InlineKeyboard.from([[InlineKeyboard.text(t("button-resume"), settings({ field: "resume" }))]]),
  };
}
