/** The languages the bot speaks. Every interface string and every content text exists in each of them. */
export const LOCALES = ["kk", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

/** Interface text in one language: a key of the Fluent files and its variables. */
export type Translate = (key: string, variables?: Record<string, string | number>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Telegram's language_code → one of our locales, if it is one ("kk", "ru-RU" and "kk_KZ" are; "en" is not). */
export function localeFromLanguageCode(code: string | undefined): Locale | undefined {
  // Asked on every update of a reader without a stored choice: the primary subtag is read without splitting the code.
  const end = code?.search(/[-_]/) ?? -1;
  const primary = (end === -1 ? code : code?.slice(0, end))?.toLowerCase();
  return isLocale(primary) ? primary : undefined;
}

/**
 * How Kazakh is written for a reader: Cyrillic (the content's own script), the 2021 Latin alphabet or the Arabic-based
 * script (төте жазу) of the Kazakhs in China, the last two produced from the Cyrillic by transliteration
 * (shared/script.ts). Russian is always Cyrillic, so a Russian reader's script is "cyrl" whatever is stored.
 */
export const SCRIPTS = ["cyrl", "latn", "arab"] as const;
export type Script = (typeof SCRIPTS)[number];

export function isScript(value: unknown): value is Script {
  return typeof value === "string" && (SCRIPTS as readonly string[]).includes(value);
}

/** Scripts written right to left: a rich message in one of them is marked is_rtl, and its HTML gets bidi marks. */
const RIGHT_TO_LEFT: ReadonlySet<Script> = new Set<Script>(["arab"]);

/** Whether text in this script reads right to left (rich messages pass it as is_rtl). */
export function isRightToLeft(script: Script): boolean {
  return RIGHT_TO_LEFT.has(script);
}

/** A reader's choice: a language and, for Kazakh, its script. */
export type Reading = { locale: Locale; script: Script };

/** The script that applies: another than Cyrillic only for Kazakh. */
export function scriptFor(locale: Locale, script: Script | null | undefined): Script {
  return locale === "kk" && isScript(script) ? script : "cyrl";
}
