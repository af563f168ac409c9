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
  const primary = code?.toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : undefined;
}
