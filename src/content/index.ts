import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ContentLibrary } from "./library.js";
import { formatProblem, loadContent, TOPICS_FILE, type LoadedContent } from "./loader.js";

/** content/ at the project root (the bundled briefings), both for src/*.ts (tests) and dist/src/*.js (npm start). */
export function bundledContentDirectory(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, "content");
    if (existsSync(join(candidate, TOPICS_FILE))) return candidate;
    if (dirname(directory) === directory) throw new Error(`content/ not found above ${start}`);
  }
}

/** Loads a content folder, or throws an error that lists every problem with its file, line and field. */
export function loadContentOrThrow(folder: string): LoadedContent {
  const result = loadContent(folder);
  if (!result.ok)
    throw new Error(`content in ${folder} is invalid:\n${result.problems.map((problem) => `  ${formatProblem(problem)}`).join("\n")}`);
  return result.content;
}

/** The bundled content as a library: what tests, the bench and tools read. */
export const content: ContentLibrary = loadContentOrThrow(bundledContentDirectory()).library;
