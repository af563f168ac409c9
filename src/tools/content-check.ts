import { checkBriefingText } from "../content/check.js";
import type { ContentLibrary } from "../content/library.js";
import { checkRenderedLimits } from "../render/limits.js";
import type { Locale, Translate } from "../shared/locale.js";

/** Everything content:check verifies, as a list of problems (empty when all is well). */
export function checkContent(library: ContentLibrary, translators: Record<Locale, Translate>): string[] {
  return library.briefings.flatMap((briefing) => [
    ...checkBriefingText(briefing),
    ...checkRenderedLimits(briefing, translators, library.briefings.length > 1),
  ]);
}
