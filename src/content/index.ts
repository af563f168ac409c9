import { createContentLibrary } from "./library.js";
import { chinaVisit2025 } from "./visits/china-2025.js";

/**
 * Every visit briefing the bot serves. To add a visit, add a file under ./visits/
 * and list it here; handlers never change.
 */
export const ALL_BRIEFINGS = [chinaVisit2025];

export const content = createContentLibrary(ALL_BRIEFINGS);
