import { LOCALES, type Briefing, type Locale } from "./types.js";
import type { ContentLibrary } from "./library.js";
import { MAX_CALLBACK_BYTES } from "../render/callback-data.js";
import { briefingRefs } from "../render/cards.js";
import { MAX_MESSAGE_CHARS, visibleLength, type Translate } from "../render/format.js";
import { refToPayload } from "../render/refs.js";
import { renderSection } from "../render/sections.js";

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

function checkRenderedLimits(briefing: Briefing, translators: Record<Locale, Translate>, otherVisits: boolean): string[] {
  const problems: string[] = [];
  for (const ref of briefingRefs(briefing).concat({ briefingId: briefing.id, section: "home" })) {
    const payload = refToPayload(ref);
    if (payload.length > 64 || !/^[A-Za-z0-9_-]+$/.test(payload)) problems.push(`${payload}: deep-link payload invalid`);
    for (const locale of LOCALES) {
      for (const compact of [false, true]) {
        const { text, keyboard } = renderSection(briefing, ref, { locale, t: translators[locale], compact }, { hasOtherVisits: otherVisits });
        const where = `${payload} (${locale}${compact ? ", group" : ""})`;
        if (visibleLength(text) > MAX_MESSAGE_CHARS) problems.push(`${where}: ${visibleLength(text)} characters, over ${MAX_MESSAGE_CHARS}`);
        if (text.includes("…\n\n<i>")) problems.push(`${where}: text had to be shortened to fit one message`);
        for (const button of keyboard.inline_keyboard.flat()) {
          if ("callback_data" in button && Buffer.byteLength(button.callback_data, "utf8") > MAX_CALLBACK_BYTES) {
            problems.push(`${where}: callback_data "${button.callback_data}" over ${MAX_CALLBACK_BYTES} bytes`);
          }
        }
      }
    }
  }
  return problems;
}

/** Everything content:check verifies, as a list of problems (empty when all is well). */
export function checkContent(library: ContentLibrary, translators: Record<Locale, Translate>): string[] {
  return library.briefings.flatMap((briefing) => [
    ...localizedStrings(briefing).flatMap(checkLanguage).map((problem) => `${briefing.id}.${problem}`),
    ...checkUniqueIds(briefing),
    ...checkRenderedLimits(briefing, translators, library.briefings.length > 1),
  ]);
}
