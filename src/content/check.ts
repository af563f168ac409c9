import { LOCALES, type Locale } from "../shared/locale.js";
import type { Briefing } from "./types.js";

const KAZAKH_ONLY_LETTERS = /[әғқңөұүһі]/i;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** A string of a briefing in one language; `field` is where it sits ("sectors.1.title.kk", "quotes.0.textKk"). */
type LocalizedString = { field: string; locale: Locale; text: string };
/** A problem in a briefing's text, at a field of it. */
export type TextProblem = { field: string; message: string };

/** Every localized string in a briefing with where it sits, e.g. "sectors.1.title". */
export function localizedStrings(briefing: Briefing): LocalizedString[] {
  const found: LocalizedString[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${path}.${index}`));
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.kk === "string" && typeof record.ru === "string") {
      for (const locale of LOCALES) found.push({ field: `${path}.${locale}`, locale, text: record[locale] as string });
      return;
    }
    for (const [key, child] of Object.entries(record)) visit(child, path ? `${path}.${key}` : key);
  };
  visit(briefing, "");
  briefing.quotes.forEach((quote, index) => {
    found.push({ field: `quotes.${index}.textKk`, locale: "kk", text: quote.textKk });
    found.push({ field: `quotes.${index}.translationRu`, locale: "ru", text: quote.translationRu });
  });
  return found;
}

/** Words that mix Cyrillic and Latin letters: a look-alike letter typed from the wrong keyboard. */
function mixedScriptWords(text: string): string[] {
  return text.split(/[^\p{L}]+/u).filter((word) => CYRILLIC.test(word) && LATIN.test(word));
}

export function checkLanguage({ field, locale, text }: LocalizedString): TextProblem[] {
  const problems = mixedScriptWords(text).map((word) => ({ field, message: `"${word}" mixes Cyrillic and Latin letters` }));
  const letters = text.replace(/[^\p{Script=Cyrillic}]/gu, "");
  if (locale === "ru" && KAZAKH_ONLY_LETTERS.test(text)) {
    problems.push({ field, message: "Russian text contains Kazakh letters" });
  }
  // A Kazakh sentence of any length has at least one Kazakh-only letter; none means Russian look-alikes were used.
  if (locale === "kk" && letters.length >= 25 && !KAZAKH_ONLY_LETTERS.test(text)) {
    problems.push({ field, message: "no Kazakh letters (ә ғ қ ң ө ұ ү һ і): written with Russian look-alikes?" });
  }
  return problems;
}

function checkUniqueIds(briefing: Briefing): TextProblem[] {
  const lists: [string, { id: string }[]][] = [
    ["timeline", briefing.timeline],
    ["agreements.items", briefing.agreements.items],
    ["sectors", briefing.sectors],
    ["quotes", briefing.quotes],
    ["figures", briefing.figures],
  ];
  return lists.flatMap(([name, items]) => {
    const seen = new Set<string>();
    return items.flatMap((item, index) => {
      if (seen.has(item.id)) return [{ field: `${name}.${index}.id`, message: `duplicate id "${item.id}"` }];
      seen.add(item.id);
      return [];
    });
  });
}

/** Both languages' text and the ids of a briefing: every problem found, with the field it is in. */
export function checkBriefingText(briefing: Briefing): TextProblem[] {
  return [...localizedStrings(briefing).flatMap(checkLanguage), ...checkUniqueIds(briefing)];
}
