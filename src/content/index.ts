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

let bundled: ContentLibrary | undefined;

/**
 * The bundled content as a library, read at the first call and kept: what tests and the bench read. Importing this
 * module reads nothing, so a module that only needs loadContentOrThrow does not pay for the folder.
 */
export function bundledContent(): ContentLibrary {
  return (bundled ??= loadContentOrThrow(bundledContentDirectory()).library);
}
