import { createI18n, translatorFor } from "../i18n.js";
import { checkContent } from "./check.js";
import { ALL_BRIEFINGS } from "./index.js";
import { createContentLibrary } from "./library.js";

// npm run content:check — validates every briefing; exits non-zero with the list of problems.
try {
  const library = createContentLibrary(ALL_BRIEFINGS);
  const i18n = createI18n();
  const problems = checkContent(library, { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") });
  if (problems.length > 0) {
    process.stderr.write(`content:check found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write(`content:check: ${library.briefings.length} briefing(s) OK in kk and ru\n`);
} catch (error) {
  process.stderr.write(`content:check: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
