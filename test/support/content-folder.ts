import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledContentDirectory } from "../../src/content/folder.js";
import { createLiveContent, type LiveContent } from "../../src/content/live.js";
import { loadContent, type ContentProblem, type LoadedContent } from "../../src/content/loader.js";
import { createTranslators } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { checkContent } from "../../src/tools/content-check.js";
import { startHarness, type Harness } from "./harness.js";

/** The fictional second visit (test/fixtures/visits/fictional-fx99.yaml): id fx99, newer than the bundled visit. */
export const FIXTURE_VISIT = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "visits", "fictional-fx99.yaml");
export const FIXTURE_FILE = "visits/fictional-fx99.yaml";
export const BUNDLED_FILE = "visits/china-2025.yaml";

export const translators = createTranslators();

/** A copy of the bundled content/ in a fresh temp folder; `remove()` deletes it. */
export function copyContent(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), "briefing-content-"));
  cpSync(bundledContentDirectory(), folder, { recursive: true });
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export function readContentFile(folder: string, file: string): string {
  return readFileSync(join(folder, file), "utf8");
}

export function writeContentFile(folder: string, file: string, text: string): void {
  writeFileSync(join(folder, file), text);
}

/** Replaces text in a content file; throws when `from` is not there, so an edit never silently does nothing. */
export function editContentFile(folder: string, file: string, from: string | RegExp, to: string): void {
  const text = readContentFile(folder, file);
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`${file}: ${String(from)} not found`);
  writeContentFile(folder, file, edited);
}

/** Copies the fictional fixture visit into the folder, optionally edited (e.g. to make it a draft). */
export function addFixtureVisit(folder: string, edit: (text: string) => string = (text) => text): void {
  writeContentFile(folder, FIXTURE_FILE, edit(readFileSync(FIXTURE_VISIT, "utf8")));
}

/** Loads a folder that must be valid. */
export function loadOrFail(folder: string): LoadedContent {
  const result = loadContent(folder);
  if (!result.ok) throw new Error(`content in ${folder} refused: ${JSON.stringify(result.problems)}`);
  return result.content;
}

/** Everything content:check verifies beyond the schema (both languages, ids, Telegram's limits). */
export function checkLoaded(content: LoadedContent): ContentProblem[] {
  return checkContent(content.library, translators, content);
}

/** Live content over a folder, checked like the bot checks it (main.ts); the watcher is off unless asked for. */
export function liveContentOver(
  folder: string,
  options: {
    watchFolder?: boolean;
    onRefused?: (problems: ContentProblem[]) => void;
    onReloaded?: (content: LoadedContent) => void;
  } = {},
): LiveContent {
  return createLiveContent({
    folder,
    initial: loadOrFail(folder),
    check: checkLoaded,
    logger: createLogger("silent"),
    watchFolder: options.watchFolder ?? false,
    ...(options.onRefused ? { onRefused: options.onRefused } : {}),
    ...(options.onReloaded ? { onReloaded: options.onReloaded } : {}),
  });
}

export type ContentHarness = { folder: string; live: LiveContent; harness: Harness; close(): Promise<void> };

/**
 * A bot serving live content over a copy of the bundled folder (watcher off: tests reload by hand). `prepare` edits
 * the copy before the bot reads it; `close` stops the bot and removes the copy.
 */
export async function startContentHarness(
  options: { prepare?: (folder: string) => void; adminIds?: readonly number[] } = {},
): Promise<ContentHarness> {
  const { folder, remove } = copyContent();
  options.prepare?.(folder);
  const live = liveContentOver(folder);
  const harness = await startHarness({ library: live, ...(options.adminIds ? { bot: { adminIds: options.adminIds } } : {}) });
  return {
    folder,
    live,
    harness,
    async close() {
      await harness.close();
      live.close();
      remove();
    },
  };
}
