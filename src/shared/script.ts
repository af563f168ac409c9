import { toArabic } from "./arabic.js";
import { boundedTextCache, ownCopy } from "./bounded-cache.js";
import { toLatin } from "./latin.js";
import { isRightToLeft, type Script } from "./locale.js";

/**
 * Kazakh in the reader's script. The bot writes Kazakh in Cyrillic; this is the one step that makes the Latin
 * (shared/latin.ts) or the Arabic script (shared/arabic.ts) of it, for interface strings and content alike.
 *
 * Two kinds of span are not run through a Kazakh letter table:
 * - a span kept as written (`keepAsWritten`): a Russian word in a Kazakh string ("Тіл / Язык"), a language's own name
 *   on the button that picks it. It travels between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE,
 *   which the Arabic script keeps (a Cyrillic word in right-to-left text is isolated from it) and the left-to-right
 *   scripts drop at the edge. The locales write it `{ KEEP("Язык") }`;
 * - a name with its own Latin (and Arabic) form (`withNameForms`, from the content's names table): "Си Цзиньпин",
 *   which reached Kazakh through its Russian spelling, is "Xi Jinping" in Latin and not "Si Tszinpin". It travels as
 *   private-use characters around its forms, and every script's edge, Cyrillic included, resolves it.
 *
 * In the Arabic script, digits and Latin runs (dates, figures, BAQ.KZ, a link) are isolated left to right (U+2066 …
 * U+2069) so that they read in their own order inside right-to-left text, and a line that starts with one starts
 * with U+200F RIGHT-TO-LEFT MARK so that the line is laid out right to left.
 */
export const KEEP_OPEN = "\u2068";
const LEFT_TO_RIGHT_ISOLATE = "\u2066";
export const ISOLATE_CLOSE = "\u2069";
const RIGHT_TO_LEFT_MARK = "\u200F";
/** A name with its forms: open, Cyrillic, separator, Latin, separator, Arabic (empty: from the table), close. */
const NAME_OPEN = "\uE000";
const NAME_SEPARATOR = "\uE001";
const NAME_CLOSE = "\uE002";

/** Any span that no letter table touches: isolated text (kept spans, and the Arabic script's own isolates). */
const ISOLATED = /([\u2066\u2067\u2068][^\u2069]*\u2069)/;
const NAME = new RegExp(
  `${NAME_OPEN}([^${NAME_SEPARATOR}]*)${NAME_SEPARATOR}([^${NAME_SEPARATOR}]*)${NAME_SEPARATOR}([^${NAME_CLOSE}]*)${NAME_CLOSE}`,
  "g",
);
const MARKERS = /[\u2068\u2069\uE000-\uE002]/;
const KEPT = /\u2068([^\u2069]*)\u2069/g;
const CYRILLIC_LETTER = /[\u0400-\u04FF]/;
const CYRILLIC_LETTERS = new RegExp(CYRILLIC_LETTER.source, "g");
/** Between the tags and entities of HTML: the parts at odd indices of a split are the tags. */
const TAG_OR_ENTITY = /(<[^>]*>|&[#a-zA-Z0-9]+;)/;
/** What reads left to right inside Arabic text: a link, or a run of digits and Latin letters and what joins them. */
const LEFT_TO_RIGHT_RUN =
  /https?:\/\/\S+|[0-9A-Za-z\u00C0-\u024F](?:[0-9A-Za-z\u00C0-\u024F]|[ .,:/\-–+%'’](?=[0-9A-Za-z\u00C0-\u024F]))*/g;

/** A span that stays as written in every script (a Russian word in a Kazakh string). */
export function keepAsWritten(text: string): string {
  return `${KEEP_OPEN}${text}${ISOLATE_CLOSE}`;
}

/** A name as content carries it: its Kazakh Cyrillic form, its Latin form and, if it has one of its own, its Arabic. */
export type NameForms = { kk: string; latn: string; arab?: string | undefined };

/** A name in a Kazakh text, carrying its forms to the edge. */
export function withNameForms(name: NameForms): string {
  return `${NAME_OPEN}${name.kk}${NAME_SEPARATOR}${name.latn}${NAME_SEPARATOR}${name.arab ?? ""}${NAME_CLOSE}`;
}

function resolveNames(text: string, script: Script): string {
  if (!text.includes(NAME_OPEN)) return text;
  return text.replace(NAME, (_, kk: string, latn: string, arab: string) =>
    script === "latn" ? latn : script === "arab" && arab !== "" ? arab : kk,
  );
}

function transliterateRun(text: string, script: Script): string {
  if (script === "latn") return toLatin(text);
  if (script !== "arab") return text;
  return toArabic(text).replace(LEFT_TO_RIGHT_RUN, (run) => `${LEFT_TO_RIGHT_ISOLATE}${run}${ISOLATE_CLOSE}`);
}

/**
 * Texts already written in Latin and in the Arabic script, a table a script. A text node of content (a paragraph, an
 * agreement, a name) reaches the edge again and again — on every screen that shows it, in the full and the compact
 * layout, as a rich message and as HTML, and many times in content:check on every reload — and the letter tables run
 * letter by letter, so each text is written once while it is in use. A visit like the bundled one has about 25,000
 * characters of text nodes a script (both forms counted); each table holds a library of about 100 such visits.
 */
const WRITTEN_CHARACTERS = 2_500_000;
const writtenTexts = { latn: boundedTextCache(WRITTEN_CHARACTERS), arab: boundedTextCache(WRITTEN_CHARACTERS) };

/**
 * Plain Kazakh text in a script, spans kept as written still marked: what `ctx.t` gives, so that a string that is
 * put into a screen and reaches the edge again is left as it is (the step is idempotent).
 */
export function transliterate(text: string, script: Script): string {
  const named = resolveNames(text, script);
  if (script === "cyrl" || !(CYRILLIC_LETTER.test(named) || (script === "arab" && /[0-9A-Za-z]/.test(named)))) return named;
  let result = writtenTexts[script].get(named);
  if (result === undefined) {
    result = named
      .split(ISOLATED)
      .map((part, index) => (index % 2 === 1 ? part : transliterateRun(part, script)))
      .join("");
    writtenTexts[script].set(ownCopy(named), ownCopy(result));
  }
  return result;
}

/** Left-to-right scripts need no isolates: the kept spans' marks go. */
const finish = (text: string, script: Script) => (isRightToLeft(script) ? text : text.replace(KEPT, "$1"));

/** Plain text as the reader sees it: a button label, an inline result's title, a notice. */
export function toReaderScript(text: string, script: Script): string {
  if (script === "cyrl" && !MARKERS.test(text)) return text;
  return finish(transliterate(text, script), script);
}

/**
 * HTML as the reader sees it: only the text between tags is written in the script; tags, their attributes and
 * entities stay as they are. Cyrillic only resolves names and drops the kept spans' marks, which no tag ever splits,
 * so it needs no pass tag by tag. In the Arabic script a line whose text starts with something other than an Arabic
 * letter (a date, a figure, a bullet) starts with the right-to-left mark, after the tags that open the line.
 */
export function toReaderScriptHtml(html: string, script: Script): string {
  if (script === "cyrl") return MARKERS.test(html) ? finish(resolveNames(html, script), script) : html;
  const written = withTextNodes(html, (text) => transliterate(text, script));
  if (!isRightToLeft(script)) return finish(written, script);
  return written.replace(/(^|\n)((?:<[^>]*>)*)(?=[^<\n\u0600-\u06FF\u200F])/g, `$1$2${RIGHT_TO_LEFT_MARK}`);
}

/** Text with its kept spans taken out: what must be in the reader's script once written (content:check). */
export function withoutKeptSpans(text: string): string {
  return text.replace(KEPT, "");
}

/** HTML with each text node (what lies between its tags and entities) replaced by `write(node)`, tags and entities kept. */
function withTextNodes(html: string, write: (text: string) => string): string {
  return html
    .split(TAG_OR_ENTITY)
    .map((part, index) => (index % 2 === 1 ? part : write(part)))
    .join("");
}

/**
 * The Cyrillic letters that HTML keeps when written in a script, spans kept as written aside: letters missing from
 * the script's table (content:check). Each text node is written as the reader gets it (toReaderScriptHtml).
 */
export function cyrillicLeftIn(html: string, script: Script): string[] {
  const letters = new Set<string>();
  withTextNodes(html, (text) => {
    for (const letter of withoutKeptSpans(transliterate(text, script)).match(CYRILLIC_LETTERS) ?? []) letters.add(letter);
    return text;
  });
  return [...letters];
}
