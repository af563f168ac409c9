import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isScalar, parseDocument, visit } from "yaml";
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
 * with an id (v0, v1, …), dates of its own (the copy n years earlier) and its number at the end of every Kazakh and Russian
 * text, so that every one is a distinct visit and no text of one is the text of another: what the bot keeps of a text it has
 * written (a transliteration, its search words) helps a reload only as much as it would with visits of their own.
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
    writeFileSync(join(folder, VISITS_FOLDER, `visit-${String(index).padStart(3, "0")}.yaml`), numberedTexts(copy, index));
  }
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** A visit's YAML with " №n" after every Kazakh and Russian text. */
function numberedTexts(yaml: string, index: number): string {
  const document = parseDocument(yaml);
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && (pair.key.value === "kk" || pair.key.value === "ru") && isScalar(pair.value)) {
        pair.value.value = `${String(pair.value.value)} №${index}`;
      }
    },
  });
  return document.toString({ lineWidth: 0 });
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
  /** The first load in this process, cold: what the bot does at start-up. */
  startUpMs: number;
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

/** An editor's change to one visit: its Kazakh and Russian titles say which edit this is. */
function editVisit(folder: string, visit: number, edit: number) {
  const path = join(folder, VISITS_FOLDER, `visit-${String(visit).padStart(3, "0")}.yaml`);
  const text = readFileSync(path, "utf8");
  const edited = text.replace(/^title:\n {2}kk: (.*)\n {2}ru: (.*)$/m, `title:\n  kk: $1, ${edit}-түзету\n  ru: $2, правка ${edit}`);
  if (edited === text) throw new Error(`${path}: no title to edit`);
  writeFileSync(path, edited);
}

/**
 * Start-up load, reload time and inline search over a generated library of `visits` visits (generated in a temp folder,
 * then removed). Each reload follows an editor's change to one visit, a different one each time, as the bot reloads
 * when a file is saved.
 */
export async function benchLibrary(visits: number, options: { reloads: number; inlineQueries: number }): Promise<LibraryResult> {
  const generated = generateLibrary(visits);
  try {
    const translators = createTranslators();
    const startedUp = performance.now();
    let library = reload(generated.folder, translators);
    const startUpMs = performance.now() - startedUp;
    const durations: number[] = [];
    for (let run = 0; run < options.reloads; run++) {
      editVisit(generated.folder, (run * 7) % visits, run + 1);
      const started = performance.now();
      library = reload(generated.folder, translators);
      durations.push(performance.now() - started);
    }
    if (library.briefings.length !== visits) throw new Error(`expected ${visits} visits, loaded ${library.briefings.length}`);
    const sorted = [...durations].sort((a, b) => a - b);

    const inline = await benchInlineSearch(options.inlineQueries, library);

    // Cache misses: a fresh search per language, every distinct query asked of it once.
    const misses: number[] = [];
    for (const locale of LOCALES) {
      const search = createCardSearch(library, translators);
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
      startUpMs: round(startUpMs, 1),
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
