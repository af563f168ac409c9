import { checkBriefingText, localizedStrings, type TextProblem } from "../content/check.js";
import type { Briefing } from "../content/types.js";
import { CYRILLIC } from "../shared/latin.js";
import { toReaderScript } from "../shared/script.js";
import { derivedByVersion, type ContentLibrary } from "../content/library.js";
import { ALIASES_FILE, type ContentProblem, type LoadedContent } from "../content/loader.js";
import { checkRenderedLimits } from "../render/limits.js";
import { checkAliases } from "../search/aliases.js";
import type { Locale, Translate } from "../shared/locale.js";

/** Where the briefings of a library came from; a library built in code names each briefing by its id. */
type Origin = Pick<LoadedContent, "fileOf" | "locate" | "locateAlias">;
const inCode: Origin = { fileOf: () => undefined, locate: () => undefined };

/**
 * Everything content:check verifies beyond the schema, for every briefing, drafts included: both languages' text
 * (Kazakh letters, no look-alikes), every Kazakh string and screen in Latin and in the Arabic script (no Cyrillic
 * left, HTML intact), unique ids, every screen within Telegram's limits, and the alias list (each name once, each
 * group naming something the briefings contain). Each problem names the file and, for a text problem, the line,
 * column and field.
 */
export function checkContent(library: ContentLibrary, translators: Record<Locale, Translate>, origin: Origin = inCode): ContentProblem[] {
  const all = [...library.briefings, ...library.drafts];
  const texts = all.flatMap((briefing) => localizedStrings(briefing).map(({ text }) => text));
  const aliasProblems: ContentProblem[] = checkAliases(library.aliases, texts).map(({ field, message }) => ({
    file: ALIASES_FILE,
    ...origin.locateAlias?.(field),
    field,
    message,
  }));
  return [...aliasProblems, ...briefingProblems(all, translators, origin)];
}

/** Visits whose problems are kept between reloads: a library of up to this many visits re-checks only what changed. */
const CHECKED_VERSIONS = 256;

/**
 * One briefing's problems, with no file yet: a text's name its field, a screen's none. Its screens depend on whether
 * other visits are published (a button to them), the variant.
 */
const problemsOf = derivedByVersion<TextProblemOrScreen[]>(CHECKED_VERSIONS, (briefing, translators, variant) => [
  ...checkBriefingText(briefing),
  ...checkScriptText(briefing),
  ...checkRenderedLimits(briefing, translators, variant === AMONG_OTHERS).map((message) => ({ message })),
]);
type TextProblemOrScreen = { field?: string; message: string };
const AMONG_OTHERS = "among other visits";

function briefingProblems(all: Briefing[], translators: Record<Locale, Translate>, origin: Origin): ContentProblem[] {
  const variant = all.length > 1 ? AMONG_OTHERS : "alone";
  return all.flatMap((briefing) => {
    const file = origin.fileOf(briefing.id) ?? briefing.id;
    return problemsOf(briefing, translators, variant).map(({ field, message }) =>
      field === undefined ? { file, message } : { file, ...origin.locate(briefing.id, field), field, message },
    );
  });
}

const SCRIPT_NAMES = { latn: "Latin", arab: "the Arabic script" } as const;

/**
 * Every Kazakh string of a briefing transliterates to Latin and to the Arabic script with no Cyrillic letter left (a
 * letter missing from a table).
 */
export function checkScriptText(briefing: Briefing): TextProblem[] {
  return localizedStrings(briefing)
    .filter(({ locale }) => locale === "kk")
    .flatMap(({ field, text }) =>
      (["latn", "arab"] as const).flatMap((script) => {
        const left = toReaderScript(text, script).match(new RegExp(CYRILLIC.source, "g"));
        return left ? [{ field, message: `Cyrillic left in ${SCRIPT_NAMES[script]}: ${[...new Set(left)].join("")}` }] : [];
      }),
    );
}
