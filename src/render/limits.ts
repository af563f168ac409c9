import type { Briefing } from "../content/types.js";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";
import { MAX_CALLBACK_BYTES } from "./callback-data.js";
import { CYRILLIC } from "../shared/latin.js";
import { MAX_MESSAGE_CHARS, visibleLength, type Rendered } from "./format.js";
import { inScript, namesALanguage } from "./latin.js";
import { briefingRefs, refToPayload } from "./refs.js";
import { renderSection } from "./sections.js";
import { hasRichScreen, renderFullBriefing, renderRichSection } from "./rich-briefing.js";
import { checkRichHtml } from "./rich-limits.js";

/** Every screen of a briefing, rendered in each language for private chats and groups, within Telegram's limits. */
export function checkRenderedLimits(briefing: Briefing, translators: Record<Locale, Translate>, otherVisits: boolean): string[] {
  const problems: string[] = [];
  for (const ref of briefingRefs(briefing).concat({ briefingId: briefing.id, section: "home" })) {
    const payload = refToPayload(ref);
    if (payload.length > 64 || !/^[A-Za-z0-9_-]+$/.test(payload)) problems.push(`${payload}: deep-link payload invalid`);
    for (const locale of LOCALES) {
      for (const compact of [false, true]) {
        const { text, keyboard } = renderSection(
          briefing,
          ref,
          { locale, t: translators[locale], compact },
          { hasOtherVisits: otherVisits },
        );
        const where = `${payload} (${locale}${compact ? ", group" : ""})`;
        if (visibleLength(text) > MAX_MESSAGE_CHARS)
          problems.push(`${where}: ${visibleLength(text)} characters, over ${MAX_MESSAGE_CHARS}`);
        if (text.includes("…\n\n<i>")) problems.push(`${where}: text had to be shortened to fit one message`);
        for (const button of keyboard.inline_keyboard.flat()) {
          if ("callback_data" in button && Buffer.byteLength(button.callback_data, "utf8") > MAX_CALLBACK_BYTES) {
            problems.push(`${where}: callback_data "${button.callback_data}" over ${MAX_CALLBACK_BYTES} bytes`);
          }
        }
      }
    }
    if (hasRichScreen(ref))
      problems.push(...checkRichScreens(briefing, translators, payload, (options) => renderRichSection(briefing, ref, options)));
    // Kazakh in Latin: every screen transliterated, nothing Cyrillic left, HTML intact, still within the limits.
    for (const compact of [false, true]) {
      const options = { locale: "kk" as const, t: translators.kk, compact, script: "latn" as const };
      const cyrillic = renderSection(briefing, ref, options, { hasOtherVisits: otherVisits });
      problems.push(...checkLatinScreen(cyrillic, inScript(cyrillic, "latn"), `${payload} (kk latn${compact ? ", group" : ""})`));
    }
  }
  problems.push(
    ...checkRichScreens(briefing, translators, `${briefing.id} whole briefing`, (options) => renderFullBriefing(briefing, options)),
  );
  return problems;
}

/**
 * A rich screen in every language and script, within the limits of rich messages (rich-limits.ts, the rules the fake
 * Bot API applies too); in Latin, transliterated with no Cyrillic left and every tag, anchor and link unchanged.
 */
function checkRichScreens(
  briefing: Briefing,
  translators: Record<Locale, Translate>,
  where: string,
  render: (options: { locale: Locale; t: Translate; script: "cyrl" | "latn" }) => Rendered,
): string[] {
  const readings = [...LOCALES.map((locale) => ({ locale, script: "cyrl" as const })), { locale: "kk" as const, script: "latn" as const }];
  return readings.flatMap(({ locale, script }) => {
    const label = `${where} (${locale}${script === "latn" ? " latn" : ""}, rich)`;
    const cyrillic = render({ locale, t: translators[locale], script });
    const shown = inScript(cyrillic, script);
    const problems = checkRichHtml(shown.text).map((problem) => `${label}: ${problem.message}`);
    if (script === "latn") {
      const left = shown.text.replace(/<[^>]*>/g, "").match(new RegExp(CYRILLIC.source, "g"));
      if (left) problems.push(`${label}: Cyrillic left in Latin: ${[...new Set(left)].join("")}`);
      if (tagsOf(shown.text).join("") !== tagsOf(cyrillic.text).join("")) problems.push(`${label}: HTML changed by transliteration`);
    }
    return problems;
  });
}

const tagsOf = (html: string) => html.match(/<[^>]*>|&[a-z]+;/g) ?? [];

/** A screen and its Latin form: no Cyrillic letter left (language names aside), the same tags and entities, the limits. */
export function checkLatinScreen(cyrillic: Rendered, latin: Rendered, where: string): string[] {
  const problems: string[] = [];
  const left = latin.text.replace(/<[^>]*>/g, "").match(new RegExp(CYRILLIC.source, "g"));
  if (left) problems.push(`${where}: Cyrillic left in Latin: ${[...new Set(left)].join("")}`);
  if (tagsOf(latin.text).join("") !== tagsOf(cyrillic.text).join("")) problems.push(`${where}: HTML changed by transliteration`);
  if (visibleLength(latin.text) > MAX_MESSAGE_CHARS)
    problems.push(`${where}: ${visibleLength(latin.text)} characters in Latin, over ${MAX_MESSAGE_CHARS}`);
  for (const button of latin.keyboard.inline_keyboard.flat()) {
    if (!namesALanguage(button) && CYRILLIC.test(button.text)) problems.push(`${where}: button "${button.text}" left in Cyrillic`);
  }
  return problems;
}
