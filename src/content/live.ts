import { watch, type FSWatcher } from "node:fs";
import type { Logger } from "../logger.js";
import { formatProblem, loadContent, type ContentCheck, type ContentProblem, type LoadedContent } from "./loader.js";

export type ReloadResult =
  | { status: "unchanged"; content: LoadedContent }
  | { status: "reloaded"; content: LoadedContent }
  | { status: "refused"; problems: ContentProblem[]; content: LoadedContent };

/** Content that follows its folder while the bot runs. */
export type LiveContent = {
  /** The last good content: a refused change never replaces it. */
  current(): LoadedContent;
  /** Reads the folder again now (SIGHUP, /reload, a change seen by the watcher). */
  reload(): ReloadResult;
  close(): void;
};

/** Editors save a file in several writes (and editors write temporary files): one reload after they settle. */
const SETTLE_MS = 300;

/**
 * Content that follows its folder: a change is read whole, checked (the schema, then `check`: both languages,
 * Telegram's limits), and either replaces the current content in one step or is refused, leaving the last good
 * content in place. The folder is watched, so a saved file is live within a second.
 */
export function createLiveContent(options: {
  folder: string;
  /** The content the bot starts with (already loaded and checked). */
  initial: LoadedContent;
  /** Checks beyond the schema; any problem refuses the change. */
  check?: ContentCheck;
  onReloaded?: (content: LoadedContent) => void;
  onRefused?: (problems: ContentProblem[]) => void;
  logger: Logger;
  /** Off in tests that reload by hand. */
  watchFolder?: boolean;
}): LiveContent {
  const { folder, logger } = options;
  let current = options.initial;

  function refuse(problems: ContentProblem[]): ReloadResult {
    logger.error({ folder, problems: problems.map(formatProblem) }, "content change refused: the last good content stays");
    options.onRefused?.(problems);
    return { status: "refused", problems, content: current };
  }

  function reload(): ReloadResult {
    const loaded = loadContent(folder, options.check);
    if (!loaded.ok) return refuse(loaded.problems);
    if (loaded.content.fingerprint === current.fingerprint) return { status: "unchanged", content: current };
    current = loaded.content;
    const { briefings, drafts } = current.library;
    logger.info({ folder, published: briefings.length, drafts: drafts.length }, "content reloaded");
    options.onReloaded?.(current);
    return { status: "reloaded", content: current };
  }

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.watchFolder ?? true) {
    try {
      watcher = watch(folder, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          try {
            reload();
          } catch (error) {
            logger.error({ err: error, folder }, "content reload failed");
          }
        }, SETTLE_MS);
      });
      watcher.on("error", (error) => logger.error({ err: error, folder }, "content folder watch failed: reload with SIGHUP or /reload"));
    } catch (error) {
      logger.error({ err: error, folder }, "cannot watch the content folder: reload with SIGHUP or /reload");
    }
  }

  return {
    current: () => current,
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
