import type { Locale } from "../content/types.js";
import { LOCALES } from "../content/types.js";
import { isSectionKey, type SectionRef } from "./refs.js";

/**
 * Every button's callback_data is built and parsed here and nowhere else.
 * Format: "v1:<kind>:<args>" — versioned so that a future format can still read old buttons.
 * Telegram allows 64 bytes; all parts are ASCII and short, and content:check verifies the bound.
 */
export const CALLBACK_PREFIX = "v1";
export const MAX_CALLBACK_BYTES = 64;

export type CallbackAction =
  | { kind: "section"; ref: SectionRef }
  /** `then`: the section to open once the language is chosen (e.g. a deep link that arrived first). */
  | { kind: "language"; language: Locale; then?: SectionRef }
  | { kind: "languageMenu" }
  | { kind: "visits" }
  /** The /settings screen, or one of its fields (with a value when a choice was made). */
  | { kind: "settings"; field?: SettingsField; value?: string }
  /** A step of the /subscribe dialogue; only meaningful while that dialogue is waiting. */
  | { kind: "dialog"; step: DialogStep; value?: string };

/** l language, f frequency, w weekday, t time, z time zone, s sectors, p pause, r resume, u unsubscribe, n new subscription. */
export const SETTINGS_FIELDS = ["l", "f", "w", "t", "z", "s", "p", "r", "u", "n"] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
/** f frequency, w weekday, t time, s sector toggle, ok confirm/done, x cancel. */
export const DIALOG_STEPS = ["f", "w", "t", "s", "ok", "x"] as const;
export type DialogStep = (typeof DIALOG_STEPS)[number];

const VALUE = /^[a-z0-9]{1,8}$/;

export function encodeCallback(action: CallbackAction): string {
  let data: string;
  switch (action.kind) {
    case "section":
      data = [CALLBACK_PREFIX, "s", action.ref.briefingId, action.ref.section, action.ref.itemId]
        .filter(Boolean)
        .join(":");
      break;
    case "language":
      data = [CALLBACK_PREFIX, "l", action.language, action.then?.briefingId, action.then?.section, action.then?.itemId]
        .filter(Boolean)
        .join(":");
      break;
    case "languageMenu":
      data = `${CALLBACK_PREFIX}:l`;
      break;
    case "visits":
      data = `${CALLBACK_PREFIX}:v`;
      break;
    case "settings":
      data = [CALLBACK_PREFIX, "g", action.field, action.field && action.value].filter(Boolean).join(":");
      break;
    case "dialog":
      data = [CALLBACK_PREFIX, "c", action.step, action.value].filter(Boolean).join(":");
      break;
  }
  if (Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) {
    throw new Error(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${data}`);
  }
  return data;
}

/** Returns undefined for anything we did not produce: old formats, forged or truncated data. */
export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!data || Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) return undefined;
  const parts = data.split(":");
  if (parts[0] !== CALLBACK_PREFIX) return undefined;
  const [, kind, ...args] = parts;
  if (kind === "s") {
    const ref = parseRef(args);
    return ref && { kind: "section", ref };
  }
  if (kind === "l" && args.length >= 1 && (LOCALES as readonly string[]).includes(args[0]!)) {
    const language = args[0] as Locale;
    if (args.length === 1) return { kind: "language", language };
    const then = parseRef(args.slice(1));
    return then && { kind: "language", language, then };
  }
  if (kind === "l" && args.length === 0) return { kind: "languageMenu" };
  if (kind === "v" && args.length === 0) return { kind: "visits" };
  if (kind === "g") {
    const [field, value, ...rest] = args;
    if (field === undefined) return { kind: "settings" };
    if (rest.length > 0 || !(SETTINGS_FIELDS as readonly string[]).includes(field)) return undefined;
    if (value === undefined) return { kind: "settings", field: field as SettingsField };
    return VALUE.test(value) ? { kind: "settings", field: field as SettingsField, value } : undefined;
  }
  if (kind === "c") {
    const [step, value, ...rest] = args;
    if (step === undefined || rest.length > 0 || !(DIALOG_STEPS as readonly string[]).includes(step)) return undefined;
    if (value === undefined) return { kind: "dialog", step: step as DialogStep };
    return VALUE.test(value) ? { kind: "dialog", step: step as DialogStep, value } : undefined;
  }
  return undefined;
}

function parseRef(args: string[]): SectionRef | undefined {
  if (args.length !== 2 && args.length !== 3) return undefined;
  const [briefingId, section, itemId] = args;
  if (!briefingId || !/^[a-z0-9]{1,8}$/.test(briefingId) || !section || !isSectionKey(section)) return undefined;
  if (itemId === undefined) return { briefingId, section };
  return /^[a-z0-9]{1,8}$/.test(itemId) ? { briefingId, section, itemId } : undefined;
}
