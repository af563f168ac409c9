import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TOPICS_FILE } from "./loader.js";

/** content/ at the project root (the bundled briefings), both for src/*.ts (tests) and dist/src/*.js (npm start). */
export function bundledContentDirectory(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, "content");
    if (existsSync(join(candidate, TOPICS_FILE))) return candidate;
    if (dirname(directory) === directory) throw new Error(`content/ not found above ${start}`);
  }
}
