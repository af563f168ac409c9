import { bundledContentDirectory } from "./folder.js";
import type { ContentLibrary } from "./library.js";
import { formatProblem, loadContent, type LoadedContent } from "./loader.js";

/** Loads a content folder, or throws an error that lists every problem with its file, line and field. */
export function loadContentOrThrow(folder: string): LoadedContent {
  const result = loadContent(folder);
  if (!result.ok)
    throw new Error(`content in ${folder} is invalid:\n${result.problems.map((problem) => `  ${formatProblem(problem)}`).join("\n")}`);
  return result.content;
}

/** The bundled content as a library, read when this module is first imported: what tests and the bench read. */
export const content: ContentLibrary = loadContentOrThrow(bundledContentDirectory()).library;
