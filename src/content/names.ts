import { z } from "zod";
import { withNameForms, type NameForms } from "../shared/script.js";
import type { Briefing } from "./types.js";

/**
 * names.yaml: names that reached Kazakh through their Russian spelling (Си Цзиньпин) with their own Latin form
 * ("Xi Jinping", the name's pinyin) and, where a source gives one, their Arabic-script form; without it the Arabic
 * script writes the Kazakh form by its table. The Latin script writes the Latin form instead of transliterating the
 * Kazakh one a second time ("Si Tszinpin"); a Kazakh ending stays Kazakh ("Си Цзиньпинмен" → "Xi Jinpingmen").
 */
export const NAMES_FILE = "names.yaml";

export const namesFileSchema = z.object({
  names: z.array(
    z.object({
      kk: z.string().regex(/^[\p{Script=Cyrillic}]+(?:[ -][\p{Script=Cyrillic}]+)*$/u, "the Kazakh form: Cyrillic words"),
      latn: z.string().regex(/^[\p{Script=Latin}]+(?:[ '-][\p{Script=Latin}]+)*$/u, "the Latin form: Latin words"),
      arab: z
        .string()
        .regex(/^[\u0600-\u06FF]+(?: [\u0600-\u06FF]+)*$/, "the Arabic-script form: Arabic-script words")
        .optional(),
    }),
  ),
});
export type NamesFile = z.infer<typeof namesFileSchema>;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each name where it stands in a Kazakh text: at the start of a word, with any ending after it. */
function nameMatcher(names: readonly NameForms[]): RegExp | undefined {
  if (names.length === 0) return undefined;
  const longestFirst = [...names].sort((a, b) => b.kk.length - a.kk.length);
  return new RegExp(`(?<!\\p{L})(?:${longestFirst.map((name) => escapeRegExp(name.kk)).join("|")})`, "gu");
}

/**
 * A briefing whose Kazakh texts carry the forms of the names they contain, and the names found in none of them (a
 * table entry that matches nothing is a mistake: content:check reports it).
 */
export function withNames(briefing: Briefing, names: readonly NameForms[]): { briefing: Briefing; used: Set<string> } {
  const used = new Set<string>();
  const matcher = nameMatcher(names);
  if (!matcher) return { briefing, used };
  const byKazakh = new Map(names.map((name) => [name.kk, name]));
  const mark = (text: string) =>
    text.replace(matcher, (kk) => {
      used.add(kk);
      return withNameForms(byKazakh.get(kk)!);
    });
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (typeof record.kk === "string" && typeof record.ru === "string") return { ...record, kk: mark(record.kk) };
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, key === "textKk" ? mark(child as string) : visit(child)]));
  };
  return { briefing: visit(briefing) as Briefing, used };
}
