import { LOCALES, type Locale } from "../shared/locale.js";
import type { Briefing } from "./types.js";

const KAZAKH_ONLY_LETTERS = /[әғқңөұүһі]/i;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

type LocalizedString = { path: string; locale: Locale; text: string };

/** Every localized string in a briefing with where it sits, e.g. "sectors.1.title". */
export function localizedStrings(briefing: Briefing): LocalizedString[] {
  const found: LocalizedString[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${path}.${index}`));
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.kk === "string" && typeof record.ru === "string") {
      for (const locale of LOCALES) found.push({ path, locale, text: record[locale] as string });
      return;
    }
    for (const [key, child] of Object.entries(record)) visit(child, path ? `${path}.${key}` : key);
  };
  visit(briefing, "");
  briefing.quotes.forEach((quote, index) => {
    found.push({ path: `quotes.${index}.textKk`, locale: "kk", text: quote.textKk });
    found.push({ path: `quotes.${index}.translationRu`, locale: "ru", text: quote.translationRu });
  });
  return found;
}

/** Words that mix Cyrillic and Latin letters: a look-alike letter typed from the wrong keyboard. */
function mixedScriptWords(text: string): string[] {
  return text.split(/[^\p{L}]+/u).filter((word) => CYRILLIC.test(word) && LATIN.test(word));
}

export function checkLanguage({ path, locale, text }: LocalizedString): string[] {
  const problems = mixedScriptWords(text).map((word) => `${path}.${locale}: "${word}" mixes Cyrillic and Latin letters`);
  const letters = text.replace(/[^\p{Script=Cyrillic}]/gu, "");
  if (locale === "ru" && KAZAKH_ONLY_LETTERS.test(text)) {
    problems.push(`${path}.ru: Russian text contains Kazakh letters`);
  }
  // A Kazakh sentence of any length has at least one Kazakh-only letter; none means Russian look-alikes were used.
  if (locale === "kk" && letters.length >= 25 && !KAZAKH_ONLY_LETTERS.test(text)) {
    problems.push(`${path}.kk: no Kazakh letters (ә ғ қ ң ө ұ ү һ і) — written with Russian look-alikes?`);
  }
  return problems;
}

function checkUniqueIds(briefing: Briefing): string[] {
  const lists: [string, { id: string }[]][] = [
    ["timeline", briefing.timeline],
    ["agreements.items", briefing.agreements.items],
    ["sectors", briefing.sectors],
    ["quotes", briefing.quotes],
    ["figures", briefing.figures],
  ];
  return lists.flatMap(([name, items]) => {
    const seen = new Set<string>();
    return items.flatMap((item) => {
      if (seen.has(item.id)) return [`${briefing.id}.${name}: duplicate id "${item.id}"`];
      seen.add(item.id);
      return [];
    });
  });
}

/** Both languages' text and the ids of a briefing: every problem found, with where it is. */
export function checkBriefingText(briefing: Briefing): string[] {
  return [
    ...localizedStrings(briefing)
      .flatMap(checkLanguage)
      .map((problem) => `${briefing.id}.${problem}`),
    ...checkUniqueIds(briefing),
  ];
}
