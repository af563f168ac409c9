import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n, type I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import { boundedCache } from "./shared/bounded-cache.js";
import { LOCALES, type Locale, type Translate } from "./shared/locale.js";
import { keepAsWritten } from "./shared/script.js";

export const FALLBACK_LOCALE: Locale = "ru";

/** locales/ sits at the project root, both for src/*.ts (tests) and for dist/src/*.js (npm start). */
export function findLocalesDirectory(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, "locales");
    if (existsSync(join(candidate, `${FALLBACK_LOCALE}.ftl`))) return candidate;
    if (dirname(directory) === directory) throw new Error(`locales/ not found above ${start}`);
  }
}

/**
 * The Fluent bundles for kk and ru. Only `t(locale, key)` is used (through `translatorFor`): the language of an
 * update comes from our own store (`resolveReading`), which also works where sessions and plugins do not reach.
 */
export function createI18n(): I18n<Context & I18nFlavor> {
  return new I18n<Context & I18nFlavor>({
    defaultLocale: FALLBACK_LOCALE,
    directory: findLocalesDirectory(),
    // Without this Fluent wraps every variable in invisible Unicode isolation marks. KEEP("Язык") marks a span that
    // no Kazakh letter table rewrites (a Russian word in a Kazakh string): see shared/script.ts.
    fluentBundleOptions: { useIsolating: false, functions: { KEEP: ([text]) => keepAsWritten(String(text ?? "")) } },
  });
}

const MAX_MEMOIZED = 5000;

/**
 * A translate function bound to one locale, for places without a context (inline results, digests, renders) and,
 * through the context, for handlers. Results are memoized: the plugin negotiates bundles on every call, which
 * costs more than the rest of rendering a screen.
 */
/** Only `t` is used, and its signature does not depend on the context type: any I18n instance fits. */
export function translatorFor(i18n: Pick<I18n<never>, "t">, locale: Locale): Translate {
  // Least recently used out first: the screens people keep opening stay memoized however many one-off texts pass.
  const memo = boundedCache<string, string>(MAX_MEMOIZED);
  return (key, variables) => {
    const memoKey = variables === undefined ? key : `${key}\u0000${JSON.stringify(variables)}`;
    let text = memo.get(memoKey);
    if (text === undefined) {
      text = i18n.t(locale, key, variables);
      memo.set(memoKey, text);
    }
    return text;
  };
}

/** A translate function for each locale, from one set of Fluent bundles. */
export function createTranslators(): Record<Locale, Translate> {
  const i18n = createI18n();
  return Object.fromEntries(LOCALES.map((locale) => [locale, translatorFor(i18n, locale)])) as Record<Locale, Translate>;
}
