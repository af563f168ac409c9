import { bundledContentDirectory } from "../content/folder.js";
import { formatProblem, loadContent } from "../content/loader.js";
import { createTranslators } from "../i18n.js";
import { checkContent } from "./content-check.js";

// npm run content:check [folder] — validates every content file (CONTENT_DIR, else the bundled content/): the schema,
// both languages and Telegram's limits. Prints each problem as file:line:column field: message; exits 1 on any.
const folder = process.argv[2] ?? process.env.CONTENT_DIR ?? bundledContentDirectory();
const translators = createTranslators();
const loaded = loadContent(folder, (content) => checkContent(content.library, translators, content));
const problems = loaded.ok ? [] : loaded.problems;
if (problems.length > 0) {
  process.stderr.write(
    `content:check found ${problems.length} problem(s) in ${folder}:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join("\n")}\n`,
  );
  process.exitCode = 1;
} else if (loaded.ok) {
  const { briefings, drafts } = loaded.content.library;
  process.stdout.write(`content:check: ${briefings.length} published and ${drafts.length} draft briefing(s) OK in kk and ru (${folder})\n`);
}
