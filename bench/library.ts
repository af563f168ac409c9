import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { editionsOf } from "../src/bot/edition.js";
import { bundledContentDirectory } from "../src/content/folder.js";
import { ALIASES_FILE, loadContent, TOPICS_FILE, VISITS_FOLDER, visitFiles } from "../src/content/loader.js";
import type { ContentLibrary } from "../src/content/library.js";
import { createTranslators } from "../src/i18n.js";
import { createCardSearch } from "../src/search/card-search.js";
import { LOCALES } from "../src/shared/locale.js";
import { checkContent } from "../src/tools/content-check.js";
import { benchInlineSearch } from "./update-handling.js";
import { INLINE_QUERIES } from "./updates.js";
import { percentile, round } from "./stats.js";

/**
 * A content folder of `visits` briefings in a temp folder: the bundled topics and aliases, and copies of the bundled visit, each
 * with an id (v0, v1, …) and dates of its own (the copy n years earlier), so that every one is a distinct visit.
 */
export function generateLibrary(visits: number): { folder: string; remove(): void } {
  const bundled = bundledContentDirectory();
  const [visit] = visitFiles(bundled);
  const text = readFileSync(visit!, "utf8");
  const id = /^id: (\S+)$/m.exec(text)?.[1];
  if (!id) throw new Error(`${visit}: no id line to replace`);
  const folder = mkdtempSync(join(tmpdir(), "bench-library-"));
  mkdirSync(join(folder, VISITS_FOLDER));
  writeFileSync(join(folder, TOPICS_FILE), readFileSync(join(bundled, TOPICS_FILE)));
  if (existsSync(join(bundled, ALIASES_FILE))) writeFileSync(join(folder, ALIASES_FILE), readFileSync(join(bundled, ALIASES_FILE)));
  for (let index = 0; index < visits; index++) {
    const copy = text
      .replace(/^id: \S+$/m, `id: v${index}`)
      .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_, year: string, month: string, day: string) => `${Number(year) - index}-${month}-${day}`);
    writeFileSync(join(folder, VISITS_FOLDER, `visit-${String(index).padStart(3, "0")}.yaml`), copy);
  }
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * What the bot does when its folder changes (main.ts and live.ts): read and validate every file, run content:check's
 * checks (both languages, every screen within Telegram's limits), and build the edition readers get (card search and
 * digest renderer, as editionsOf builds them). Returns the library it built.
 */
function reload(folder: string, translators: ReturnType<typeof createTranslators>): ContentLibrary {
  const loaded = loadContent(folder, (content) => checkContent(content.library, translators, content));
  if (!loaded.ok) throw new Error(`generated library refused: ${loaded.problems[0]?.message}`);
  const { library } = loaded.content;
  editionsOf(translators)(library);
  return library;
}

export type LibraryResult = {
  visits: number;
  reloads: number;
  /** The first reload in this process, cold. */
  firstReloadMs: number;
  reloadP50Ms: number;
  reloadMaxMs: number;
  inlineQueries: number;
  inlineP50Ms: number;
  inlineP99Ms: number;
  /** Every distinct query in both languages, asked once of a new card search: no cached answer. */
  uncachedQueries: number;
  uncachedP50Ms: number;
  uncachedMaxMs: number;
};

/** Reload time and inline search over a generated library of `visits` visits (generated in a temp folder, then removed). */
export async function benchLibrary(visits: number, options: { reloads: number; inlineQueries: number }): Promise<LibraryResult> {
  const generated = generateLibrary(visits);
  try {
    const translators = createTranslators();
    const durations: number[] = [];
    let library: ContentLibrary | undefined;
    for (let run = 0; run < options.reloads; run++) {
      const started = performance.now();
      library = reload(generated.folder, translators);
      durations.push(performance.now() - started);
    }
    if (library!.briefings.length !== visits) throw new Error(`expected ${visits} visits, loaded ${library!.briefings.length}`);
    const sorted = [...durations].sort((a, b) => a - b);

    const inline = await benchInlineSearch(options.inlineQueries, library);

    // Cache misses: a fresh search per language, every distinct query asked of it once.
    const misses: number[] = [];
    for (const locale of LOCALES) {
      const search = createCardSearch(library!, translators);
      search.find("warm-up", locale);
      // The empty query shows the newest cards without searching.
      for (const query of new Set(INLINE_QUERIES.map((text) => text.trim()).filter(Boolean))) {
        const started = performance.now();
        search.find(query, locale);
        misses.push(performance.now() - started);
      }
    }
    misses.sort((a, b) => a - b);

    return {
      visits,
      reloads: options.reloads,
      firstReloadMs: round(durations[0]!, 1),
      reloadP50Ms: round(percentile(sorted, 50), 1),
      reloadMaxMs: round(sorted.at(-1)!, 1),
      inlineQueries: inline.queries,
      inlineP50Ms: inline.p50Ms,
      inlineP99Ms: inline.p99Ms,
      uncachedQueries: misses.length,
      uncachedP50Ms: round(percentile(misses, 50), 3),
      uncachedMaxMs: round(misses.at(-1)!, 3),
    };
  } finally {
    generated.remove();
  }
}
