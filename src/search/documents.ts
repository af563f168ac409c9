import { derivedByVersion } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { stripHtml } from "../render/format.js";
import { briefingRefs, type SectionRef } from "../render/refs.js";
import { refTitle, sectionBlocks } from "../render/sections.js";
import { ownCopy } from "../shared/bounded-cache.js";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";

/** One searchable place of a briefing in one language: its title and its text as a reader sees it, without markup. */
export type Card = { ref: SectionRef; locale: Locale; title: string; plainText: string };

/** Briefings whose cards are kept between reloads: a reload renders cards only for the visits that changed. */
const CARDED_VERSIONS = 256;

/** Plain-text cards of a briefing in every locale: what search looks through. */
export const briefingCards: (briefing: Briefing, translators: Record<Locale, Translate>) => Card[] = derivedByVersion(
  CARDED_VERSIONS,
  cardsOf,
);

function cardsOf(briefing: Briefing, translators: Record<Locale, Translate>): Card[] {
  return briefingRefs(briefing).flatMap((ref) =>
    LOCALES.map((locale) => {
      const t = translators[locale];
      return {
        ref,
        locale,
        // Kept across reloads (derivedByVersion): its own copy, not a view keeping the file it was read from.
        title: ownCopy(refTitle(briefing, ref, locale, t)),
        plainText: stripHtml(sectionBlocks(briefing, ref, { locale, t }).join("\n")),
      };
    }),
  );
}
