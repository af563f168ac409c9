import { libraryOf } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { LOCALES, type Locale, type Script, type Translate } from "../shared/locale.js";
import { MAX_CALLBACK_BYTES } from "./callback-data.js";
import { cyrillicLeftIn, toReaderScript } from "../shared/script.js";
import { escapeHtml, MAX_MESSAGE_CHARS, visibleLength, type Rendered } from "./format.js";
import { inScript } from "./script.js";
import { briefingRefs, refToPayload } from "./refs.js";
import { renderSection } from "./sections.js";
import { hasRichScreen, renderFullBriefing, renderRichSection } from "./rich-briefing.js";
import { checkRichHtml } from "./rich-limits.js";
import { renderRichDigest } from "./digest.js";

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
    // Kazakh in Latin and in the Arabic script: every screen transliterated, nothing Cyrillic left but the spans kept
    // as written, HTML intact, still within the limits.
    for (const script of ["latn", "arab"] as const) {
      for (const compact of [false, true]) {
        const options = { locale: "kk" as const, t: translators.kk, compact, script };
        const cyrillic = renderSection(briefing, ref, options, { hasOtherVisits: otherVisits });
        problems.push(...checkScriptScreen(cyrillic, script, `${payload} (kk ${script}${compact ? ", group" : ""})`));
      }
    }
  }
  problems.push(
    ...checkRichScreens(briefing, translators, `${briefing.id} whole briefing`, (options) => renderFullBriefing(briefing, options)),
  );
  // A published visit's first digest is the largest one it makes (the whole briefing in brief, every sector): one
  // rich message in every language and script.
  if (briefing.status === "published") {
    const alone = libraryOf([briefing]);
    problems.push(
      ...checkRichScreens(briefing, translators, `${briefing.id} first digest`, (options) =>
        renderRichDigest(alone, { ...options, sectors: null, contentMark: null }),
      ),
    );
  }
  return problems;
}

/**
 * A rich screen in every language and script, within the limits of rich messages (rich-limits.ts, the rules the fake
 * Bot API applies too); in Latin and the Arabic script, transliterated as every screen is (checkScriptScreen's rules).
 */
function checkRichScreens(
  briefing: Briefing,
  translators: Record<Locale, Translate>,
  where: string,
  render: (options: { locale: Locale; t: Translate; script: Script }) => Rendered | undefined,
): string[] {
  const readings: { locale: Locale; script: Script }[] = [
    ...LOCALES.map((locale) => ({ locale, script: "cyrl" as const })),
    ...(["latn", "arab"] as const).map((script) => ({ locale: "kk" as const, script })),
  ];
  return readings.flatMap(({ locale, script }) => {
    const label = `${where} (${locale}${script === "cyrl" ? "" : ` ${script}`}, rich)`;
    const cyrillic = render({ locale, t: translators[locale], script });
    if (!cyrillic) return [`${label}: nothing rendered`];
    const shown = inScript(cyrillic, script);
    const problems = checkRichHtml(shown.text).map((problem) => `${label}: ${problem.message}`);
    return script === "cyrl" ? problems : [...problems, ...transliterationProblems(cyrillic, shown, script, label)];
  });
}

const tagsOf = (html: string) => html.match(/<[^>]*>|&[a-z]+;/g) ?? [];

const NAMES: Record<Exclude<Script, "cyrl">, string> = { latn: "Latin", arab: "the Arabic script" };

/**
 * A Kazakh screen in another script: no Cyrillic letter left (the spans kept as written aside: a Russian word, a
 * language's own name), the same tags and entities, the limits.
 */
export function checkScriptScreen(cyrillic: Rendered, script: Exclude<Script, "cyrl">, where: string): string[] {
  const written = inScript(cyrillic, script);
  const problems = transliterationProblems(cyrillic, written, script, where);
  if (visibleLength(written.text) > MAX_MESSAGE_CHARS)
    problems.push(`${where}: ${visibleLength(written.text)} characters in ${NAMES[script]}, over ${MAX_MESSAGE_CHARS}`);
  return problems;
}

/**
 * What transliteration may not do to a screen (`written` is `cyrillic` in the script): leave Cyrillic (kept spans
 * aside), in text or buttons, or change its HTML.
 */
function transliterationProblems(cyrillic: Rendered, written: Rendered, script: Exclude<Script, "cyrl">, where: string): string[] {
  const problems: string[] = [];
  const left = cyrillicLeftIn(cyrillic.text, script);
  if (left.length > 0) problems.push(`${where}: Cyrillic left in ${NAMES[script]}: ${left.join("")}`);
  if (tagsOf(written.text).join("") !== tagsOf(cyrillic.text).join("")) problems.push(`${where}: HTML changed by transliteration`);
  for (const button of cyrillic.keyboard.inline_keyboard.flat()) {
    // A label is plain text: escaped, it is read as the HTML it never contains (a "<" stays a letter of it).
    if (cyrillicLeftIn(escapeHtml(button.text), script).length > 0)
      problems.push(`${where}: button "${toReaderScript(button.text, script)}" left in Cyrillic`);
  }
  return problems;
}
