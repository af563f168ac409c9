import { createLiveContent, type LiveContent } from "../content/live.js";
import { formatProblem, loadContent, type ContentCheck, type ContentProblem } from "../content/loader.js";
import { createTranslators } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/index.js";
import { checkContent } from "../tools/content-check.js";

/**
 * The content folder as live content: read and checked now (undefined after printing every problem, so that the
 * bot does not start on content it would refuse on reload), then followed while the bot runs. Each reload is
 * counted, and a refused one is handed to `onRefused` (the operators hear of it).
 */
export function openContent(
  folder: string,
  logger: Logger,
  hooks: { metrics: Pick<Metrics, "contentReloaded" | "contentServed">; onRefused: (problems: ContentProblem[]) => void },
): LiveContent | undefined {
  const { metrics } = hooks;
  const translators = createTranslators();
  const check: ContentCheck = (content) => checkContent(content.library, translators, content);
  const loaded = loadContent(folder, check);
  if (!loaded.ok) {
    const list = loaded.problems.map((problem) => `  ${formatProblem(problem)}`).join("\n");
    process.stderr.write(`The content in ${folder} (CONTENT_DIR) is invalid:\n${list}\nRun npm run content:check to see the same list.\n`);
    return undefined;
  }
  metrics.contentServed(loaded.content.fingerprint);
  return createLiveContent({
    folder,
    initial: loaded.content,
    check,
    onRefused: (problems) => {
      metrics.contentReloaded("refused");
      hooks.onRefused(problems);
    },
    onReloaded: (content) => {
      metrics.contentReloaded("reloaded");
      metrics.contentServed(content.fingerprint);
    },
    logger,
  });
}
