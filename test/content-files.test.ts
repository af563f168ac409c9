import { describe, expect, it } from "vitest";
import { content } from "../src/content/index.js";
import { createContentLibrary } from "../src/content/library.js";
import { chinaVisit2025 } from "../src/content/visits/china-2025.js";
import { createTranslators } from "../src/i18n.js";
import { createDigestRenderer } from "../src/render/digest.js";
import { briefingRefs } from "../src/render/refs.js";
import { renderSection } from "../src/render/sections.js";
import { renderShareableCard } from "../src/render/share-card.js";
import { LOCALES } from "../src/shared/locale.js";

const translators = createTranslators();
const fromCode = createContentLibrary([chinaVisit2025]);
const fromFile = content;

/** Everything a reader can be shown of a library, rendered: every screen in both kinds of chat, every card, digests. */
function everythingShown(library: typeof content): string[] {
  const shown: string[] = [];
  const briefing = library.latest;
  for (const locale of LOCALES) {
    const t = translators[locale];
    for (const ref of [{ briefingId: briefing.id, section: "home" as const }, ...briefingRefs(briefing)]) {
      for (const compact of [false, true]) shown.push(JSON.stringify(renderSection(briefing, ref, { locale, t, compact })));
      if (ref.section !== "home") shown.push(JSON.stringify(renderShareableCard(briefing, ref, { locale, t, compact: true }, "bot")));
    }
    const digests = createDigestRenderer(library, translators);
    for (const sectors of [null, ["energy"], ["agro", "transp"]]) {
      shown.push(
        JSON.stringify(digests.render(locale, sectors, null)),
        JSON.stringify(digests.render(locale, sectors, "2025-09-04") ?? null),
      );
    }
  }
  return shown;
}

describe("the China 2025 briefing as a content file", () => {
  it("holds exactly the data of the TypeScript briefing it replaces", () => {
    expect(fromFile.latest).toEqual(fromCode.latest);
  });

  it("renders every screen, card and digest identically in kk and ru", () => {
    const fromFileShown = everythingShown(fromFile);
    expect(fromFileShown.length).toBeGreaterThan(100);
    expect(fromFileShown).toEqual(everythingShown(fromCode));
  });
});
