import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_TOKEN } from "./harness.js";

/** The project root: the folder with package.json above this file (in test/support or in a build of it). */
export const PROJECT_ROOT = (() => {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) folder = dirname(folder);
  return folder;
})();

/** The V8 flags `npm start` runs the bot with (package.json → config.nodeFlags). */
export function botNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { config?: { nodeFlags?: string } };
  return (manifest.config?.nodeFlags ?? "").split(/\s+/).filter(Boolean);
}

export type BotProcess = { child: ChildProcess; output(): string; exit: Promise<number | null> };

/** Starts the bot as a process of its own (e.g. `npm start`), with the test token and the given settings. */
export function startBotProcess(command: string, args: string[], env: Record<string, string>): BotProcess {
  let output = "";
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BOT_TOKEN: TEST_TOKEN, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  return { child, output: () => output, exit };
}

/** A copy of the bundled content/ (topics.yaml, visits/, schemas) at `target`, for a process started with CONTENT_DIR. */
export function copyBundledContent(target: string): string {
  cpSync(join(PROJECT_ROOT, "content"), target, { recursive: true });
  return target;
}

/**
 * Puts a file into a watched folder in one step: written in `staging` (outside the watched folder, on the same file
 * system) first, then renamed into place, so the bot's watcher never reads it half-written (it would refuse that).
 */
export function placeFile(path: string, text: string, staging: string): void {
  const draft = join(staging, `${basename(path)}.${process.pid}.staging`);
  writeFileSync(draft, text);
  renameSync(draft, path);
}
