import { ALL_BRIEFINGS } from "../content/index.js";
import { createContentLibrary } from "../content/library.js";
import { createTranslators } from "../i18n.js";
import { checkContent } from "./content-check.js";

// npm run content:check — validates every briefing; exits non-zero with the list of problems.
try {
  const library = createContentLibrary(ALL_BRIEFINGS);
  const problems = checkContent(library, createTranslators());
  if (problems.length > 0) {
    process.stderr.write(`content:check found ${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`content:check: ${library.briefings.length} briefing(s) OK in kk and ru\n`);
  }
} catch (error) {
  process.stderr.write(`content:check: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
