import { bundledContent } from "../src/content/index.js";
import { createTranslators } from "../src/i18n.js";
import { renderFullBriefing } from "../src/render/rich-briefing.js";
import { inScript } from "../src/render/script.js";
import type { Locale, Script } from "../src/shared/locale.js";
import { percentile, round } from "./stats.js";

/** The readings a whole briefing is rendered in: Kazakh in Cyrillic, Latin and the Arabic script, and Russian. */
const READINGS: { locale: Locale; script: Script }[] = [
  { locale: "kk", script: "cyrl" },
  { locale: "kk", script: "latn" },
  { locale: "kk", script: "arab" },
  { locale: "ru", script: "cyrl" },
];

/**
 * Renders before the timed ones, as part 2 asks 200 queries first: a running bot has rendered the briefing before, and
 * V8 compiles the render's functions while the first few hundred run (a render then takes 2 to 9 ms instead of 0.1).
 */
const WARM_UP_RENDERS = 200;

export type RichRenderResult = { renders: number; p50Ms: number; p99Ms: number; maxChars: number };

/**
 * The whole briefing as one rich message, as the menu's «📄» button renders it on every press: the document from
 * the content and the locales (renderFullBriefing, written by toRichHtml), then the reader's script at the edge
 * (inScript). `renders` renders, the readings in turn, each timed on its own, after WARM_UP_RENDERS.
 */
export function benchRichBriefing(renders: number): RichRenderResult {
  const briefing = bundledContent().latest;
  const translators = createTranslators();
  const render = ({ locale, script }: (typeof READINGS)[number]) =>
    inScript(renderFullBriefing(briefing, { locale, t: translators[locale], script }), script).text;
  for (let index = 0; index < WARM_UP_RENDERS; index++) render(READINGS[index % READINGS.length]!);
  const durations: number[] = [];
  let maxChars = 0;
  for (let index = 0; index < renders; index++) {
    const started = performance.now();
    const text = render(READINGS[index % READINGS.length]!);
    durations.push(performance.now() - started);
    maxChars = Math.max(maxChars, text.length);
  }
  durations.sort((a, b) => a - b);
  return { renders, p50Ms: round(percentile(durations, 50), 3), p99Ms: round(percentile(durations, 99), 3), maxChars };
}
