import { isLocale, type Locale, type Reading, type Script } from "../shared/locale.js";
import { formatTime, isWeekday, isZonePreset, type Frequency, type ZonePreset } from "../shared/schedule.js";
import { isSectionKey, type SectionRef } from "./refs.js";

/**
 * Every button's callback_data is built and parsed here and nowhere else: handlers and tests speak in the named
 * actions below, and only this module knows the wire format.
 * Wire format: "v1:<kind>:<args>" — versioned so that a future format can still read the buttons already sent.
 * Telegram allows 64 bytes; every part is short ASCII, and content:check verifies the bound for every screen.
 */
export const CALLBACK_PREFIX = "v1";
export const MAX_CALLBACK_BYTES = 64;

/** A change on the /settings screen, or the screen of one field when the choice is still to be made. */
export type SettingsChoice =
  /** `script` is "latn" for Kazakh in Latin, "arab" in the Arabic script; absent means Cyrillic. */
  | { field: "language"; language?: Locale; script?: Script }
  /** Weekly opens the weekday choice; daily and instant are saved at once. */
  | { field: "frequency"; frequency?: Frequency }
  | { field: "weekday"; weekday: number }
  | { field: "time"; minuteOfDay?: number }
  | { field: "typeTime" }
  | { field: "zone"; preset?: ZonePreset }
  | { field: "typeZone" }
  /** Without a sector: the sector screen; with one: that sector toggled. */
  | { field: "sectors"; sector?: string }
  /** Digests without sound (true) or with it: the value to set, so a press that arrives twice sets it once. */
  | { field: "silent"; silent: boolean }
  | { field: "pause" }
  | { field: "resume" }
  | { field: "unsubscribe" }
  /** Opens the /subscribe dialogue. */
  | { field: "subscribe" }
  /** Opens Telegram's chat picker for a channel to send the digest to (a private chat only). */
  | { field: "channel" }
  /**
   * A settings button whose value no longer means anything (a removed sector, a value out of range): read, never
   * built. It is answered on the settings screen, behind the same checks as every settings button.
   */
  | { field: "stale" };
export type SettingsField = SettingsChoice["field"];

/** An answer to a step of the /subscribe dialogue. */
export type DialogAnswer =
  | { step: "frequency"; frequency: Frequency }
  | { step: "weekday"; weekday: number }
  | { step: "time"; minuteOfDay: number }
  /** Toggles one sector. */
  | { step: "sector"; sector: string }
  /** Digests without sound (true) or with it, on the confirmation step. */
  | { step: "silent"; silent: boolean }
  /** Done with sectors, or confirmed. */
  | { step: "ok" }
  | { step: "cancel" };

export type CallbackAction =
  | { kind: "section"; ref: SectionRef }
  /**
   * `then`: the section to open once the language is chosen (e.g. a deep link that arrived first). `script` is
   * "latn" for Kazakh in Latin, "arab" in the Arabic script; absent means Cyrillic.
   */
  | { kind: "language"; language: Locale; script?: Script; then?: SectionRef }
  /** A section shown once in another language or script, without changing the reader's choice. */
  | { kind: "view"; ref: SectionRef; reading: Reading }
  | { kind: "languageMenu" }
  | { kind: "visits" }
  /** The whole briefing in one rich message. */
  | { kind: "full"; briefingId: string }
  /** The /settings screen (no choice), or one of its fields. */
  | { kind: "settings"; choice?: SettingsChoice }
  /**
   * The /settings screen of a channel's digest, or one of its fields, pressed in the private chat of a person who
   * manages it: the channel travels in the button, and whether they still manage it is asked at each press.
   */
  | { kind: "channel"; chatId: number; choice?: SettingsChoice }
  /** Only meaningful while that dialogue is waiting. */
  | { kind: "dialog"; answer: DialogAnswer };
export type ActionKind = CallbackAction["kind"];
export type ActionOf<K extends ActionKind> = Extract<CallbackAction, { kind: K }>;

/** Item, briefing, sector and zone ids: short lowercase ASCII (content ids are validated the same way). */
const ID = /^[a-z0-9]{1,8}$/;
const FREQUENCY_WIRE: Record<Frequency, string> = { daily: "d", weekly: "w", instant: "i" };
const FREQUENCY_OF_WIRE = new Map(Object.entries(FREQUENCY_WIRE).map(([frequency, wire]) => [wire, frequency as Frequency]));

const encodeFrequency = (frequency: Frequency) => FREQUENCY_WIRE[frequency];
const decodeFrequency = (raw: string | undefined): Frequency | undefined => (raw === undefined ? undefined : FREQUENCY_OF_WIRE.get(raw));
/** Times travel as "HHMM". */
const encodeTime = (minuteOfDay: number) => formatTime(minuteOfDay).replace(":", "");
function decodeTime(raw: string | undefined): number | undefined {
  if (!raw || !/^\d{4}$/.test(raw)) return undefined;
  const hours = Number(raw.slice(0, 2));
  const minutes = Number(raw.slice(2));
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined;
}
const decodeWeekday = (raw: string | undefined) => {
  const day = raw === undefined || !/^\d$/.test(raw) ? undefined : Number(raw);
  return isWeekday(day) ? day : undefined;
};
const decodeId = (raw: string | undefined) => (raw !== undefined && ID.test(raw) ? raw : undefined);
/** Channel ids are negative ("-100…"); anything else is no channel of ours. */
const CHANNEL_ID = /^-[1-9]\d{0,15}$/;
function decodeChannelId(raw: string | undefined): number | undefined {
  if (raw === undefined || !CHANNEL_ID.test(raw)) return undefined;
  const chatId = Number(raw);
  return Number.isSafeInteger(chatId) ? chatId : undefined;
}
/** A switch travels as "1" (on) or "0" (off). */
const encodeSwitch = (on: boolean) => (on ? "1" : "0");
const decodeSwitch = (raw: string | undefined) => (raw === "1" ? true : raw === "0" ? false : undefined);

/**
 * A language with its script on the wire: "kk" and "ru" as before (so buttons sent before scripts existed still
 * read, as Cyrillic), "kkl" for Kazakh in Latin and "kka" in the Arabic script.
 */
const KAZAKH_IN_SCRIPT: Partial<Record<Script, string>> = { latn: "kkl", arab: "kka" };
const SCRIPT_OF_WIRE = new Map(Object.entries(KAZAKH_IN_SCRIPT).map(([script, wire]) => [wire, script as Script]));
const encodeReading = (language: Locale, script: Script | undefined) =>
  (language === "kk" && script !== undefined ? KAZAKH_IN_SCRIPT[script] : undefined) ?? language;
function decodeReading(raw: string | undefined): Reading | undefined {
  const script = raw === undefined ? undefined : SCRIPT_OF_WIRE.get(raw);
  if (script) return { locale: "kk", script };
  return isLocale(raw) ? { locale: raw, script: "cyrl" } : undefined;
}
/** A reading as the actions carry it: the script only when it is not Cyrillic. */
const withScript = <T extends object>(action: T, reading: Reading): T & { script?: Script } =>
  reading.script !== "cyrl" ? { ...action, script: reading.script } : action;

function settingsArgs(choice: SettingsChoice): (string | undefined)[] {
  switch (choice.field) {
    case "language":
      return ["l", choice.language && encodeReading(choice.language, choice.script)];
    case "frequency":
      return ["f", choice.frequency && encodeFrequency(choice.frequency)];
    case "weekday":
      return ["w", String(choice.weekday)];
    case "time":
      return ["t", choice.minuteOfDay === undefined ? undefined : encodeTime(choice.minuteOfDay)];
    case "typeTime":
      return ["t", "type"];
    case "zone":
      return ["z", choice.preset];
    case "typeZone":
      return ["z", "type"];
    case "sectors":
      return ["s", choice.sector];
    case "silent":
      return ["m", encodeSwitch(choice.silent)];
    case "pause":
      return ["p"];
    case "resume":
      return ["r"];
    case "unsubscribe":
      return ["u"];
    case "subscribe":
      return ["n"];
    case "channel":
      return ["k"];
    case "stale":
      return [];
  }
}

/** A known field with a value that does not read is stale; an unknown field is no button of ours. */
function decodeSettings(code: string, value: string | undefined): SettingsChoice | undefined {
  if (!SETTINGS_CODES.has(code)) return undefined;
  return decodeSettingsValue(code, value) ?? { field: "stale" };
}

const SETTINGS_CODES = new Set(["l", "f", "w", "t", "z", "s", "m", "p", "r", "u", "n", "k"]);

function decodeSettingsValue(code: string, value: string | undefined): SettingsChoice | undefined {
  const bare = <C extends SettingsChoice>(choice: C) => (value === undefined ? choice : undefined);
  switch (code) {
    case "l": {
      if (value === undefined) return { field: "language" };
      const reading = decodeReading(value);
      return reading && withScript({ field: "language" as const, language: reading.locale }, reading);
    }
    case "f": {
      if (value === undefined) return { field: "frequency" };
      const frequency = decodeFrequency(value);
      return frequency && { field: "frequency", frequency };
    }
    case "w": {
      const weekday = decodeWeekday(value);
      return weekday === undefined ? undefined : { field: "weekday", weekday };
    }
    case "t": {
      if (value === undefined) return { field: "time" };
      if (value === "type") return { field: "typeTime" };
      const minuteOfDay = decodeTime(value);
      return minuteOfDay === undefined ? undefined : { field: "time", minuteOfDay };
    }
    case "z": {
      if (value === undefined) return { field: "zone" };
      if (value === "type") return { field: "typeZone" };
      return isZonePreset(value) ? { field: "zone", preset: value } : undefined;
    }
    case "s": {
      if (value === undefined) return { field: "sectors" };
      const sector = decodeId(value);
      return sector === undefined ? undefined : { field: "sectors", sector };
    }
    case "m": {
      const silent = decodeSwitch(value);
      return silent === undefined ? undefined : { field: "silent", silent };
    }
    case "p":
      return bare({ field: "pause" });
    case "r":
      return bare({ field: "resume" });
    case "u":
      return bare({ field: "unsubscribe" });
    case "n":
      return bare({ field: "subscribe" });
    case "k":
      return bare({ field: "channel" });
    default:
      return undefined;
  }
}

function dialogArgs(answer: DialogAnswer): string[] {
  switch (answer.step) {
    case "frequency":
      return ["f", encodeFrequency(answer.frequency)];
    case "weekday":
      return ["w", String(answer.weekday)];
    case "time":
      return ["t", encodeTime(answer.minuteOfDay)];
    case "sector":
      return ["s", answer.sector];
    case "silent":
      return ["m", encodeSwitch(answer.silent)];
    case "ok":
      return ["ok"];
    case "cancel":
      return ["x"];
  }
}

function decodeDialog(code: string, value: string | undefined): DialogAnswer | undefined {
  switch (code) {
    case "f": {
      const frequency = decodeFrequency(value);
      return frequency && { step: "frequency", frequency };
    }
    case "w": {
      const weekday = decodeWeekday(value);
      return weekday === undefined ? undefined : { step: "weekday", weekday };
    }
    case "t": {
      const minuteOfDay = decodeTime(value);
      return minuteOfDay === undefined ? undefined : { step: "time", minuteOfDay };
    }
    case "s": {
      const sector = decodeId(value);
      return sector === undefined ? undefined : { step: "sector", sector };
    }
    case "m": {
      const silent = decodeSwitch(value);
      return silent === undefined ? undefined : { step: "silent", silent };
    }
    case "ok":
      return value === undefined ? { step: "ok" } : undefined;
    case "x":
      return value === undefined ? { step: "cancel" } : undefined;
    default:
      return undefined;
  }
}

const refArgs = (ref: SectionRef) => [ref.briefingId, ref.section, ref.itemId];

export function encodeCallback(action: CallbackAction): string {
  const args: (string | undefined)[] = (() => {
    switch (action.kind) {
      case "section":
        return ["s", ...refArgs(action.ref)];
      case "language":
        return ["l", encodeReading(action.language, action.script), ...(action.then ? refArgs(action.then) : [])];
      case "view":
        return ["w", encodeReading(action.reading.locale, action.reading.script), ...refArgs(action.ref)];
      case "languageMenu":
        return ["l"];
      case "visits":
        return ["v"];
      case "full":
        return ["f", action.briefingId];
      case "settings":
        return ["g", ...(action.choice ? settingsArgs(action.choice) : [])];
      case "channel":
        return ["h", String(action.chatId), ...(action.choice ? settingsArgs(action.choice) : [])];
      case "dialog":
        return ["c", ...dialogArgs(action.answer)];
    }
  })();
  const data = [CALLBACK_PREFIX, ...args.filter((part) => part !== undefined && part !== "")].join(":");
  if (Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) {
    throw new Error(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${data}`);
  }
  return data;
}

/** Returns undefined for anything we did not produce: old formats, forged or truncated data, values out of range. */
export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!data || Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) return undefined;
  const [prefix, kind, ...args] = data.split(":");
  if (prefix !== CALLBACK_PREFIX) return undefined;
  switch (kind) {
    case "s": {
      const ref = parseRef(args);
      return ref && { kind: "section", ref };
    }
    case "l": {
      if (args.length === 0) return { kind: "languageMenu" };
      const [language, ...then] = args;
      const reading = decodeReading(language);
      if (!reading) return undefined;
      const chosen = withScript({ kind: "language" as const, language: reading.locale }, reading);
      if (then.length === 0) return chosen;
      const ref = parseRef(then);
      return ref && { ...chosen, then: ref };
    }
    case "w": {
      const [code, ...rest] = args;
      const reading = decodeReading(code);
      const ref = reading && parseRef(rest);
      return reading && ref && { kind: "view", ref, reading };
    }
    case "v":
      return args.length === 0 ? { kind: "visits" } : undefined;
    case "f": {
      const briefingId = args.length === 1 ? decodeId(args[0]) : undefined;
      return briefingId === undefined ? undefined : { kind: "full", briefingId };
    }
    case "g": {
      const [code, value, ...rest] = args;
      if (code === undefined) return { kind: "settings" };
      const choice = rest.length === 0 ? decodeSettings(code, value) : undefined;
      return choice && { kind: "settings", choice };
    }
    case "h": {
      const [rawChatId, code, value, ...rest] = args;
      const chatId = decodeChannelId(rawChatId);
      if (chatId === undefined) return undefined;
      if (code === undefined) return { kind: "channel", chatId };
      const choice = rest.length === 0 ? decodeSettings(code, value) : undefined;
      return choice && { kind: "channel", chatId, choice };
    }
    case "c": {
      const [code, value, ...rest] = args;
      const answer = code !== undefined && rest.length === 0 ? decodeDialog(code, value) : undefined;
      return answer && { kind: "dialog", answer };
    }
    default:
      return undefined;
  }
}

function parseRef(args: string[]): SectionRef | undefined {
  if (args.length !== 2 && args.length !== 3) return undefined;
  const [rawBriefingId, section, rawItemId] = args;
  const briefingId = decodeId(rawBriefingId);
  if (!briefingId || !section || !isSectionKey(section)) return undefined;
  if (rawItemId === undefined) return { briefingId, section };
  const itemId = decodeId(rawItemId);
  return itemId === undefined ? undefined : { briefingId, section, itemId };
}
