import type { Briefing, Locale } from "../content/types.js";
import { LOCALES } from "../content/types.js";
import type { Translate } from "./format.js";
import { listItems, type SectionKey, type SectionRef, isListSection } from "./refs.js";
import { sectionBlocks, sectionTitle } from "./sections.js";

/** Every place in a briefing a person can open directly: its sections and each entry of its lists. */
export function briefingRefs(briefing: Briefing): SectionRef[] {
  const sections: SectionKey[] = ["ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol", "ab"];
  return sections.flatMap((section) => {
    const ref: SectionRef = { briefingId: briefing.id, section };
    if (!isListSection(section)) return [ref];
    return [ref, ...listItems(briefing, section).map((item) => ({ ...ref, itemId: item.id }))];
  });
}

/** A short, plain title for a ref: what a search result or an inline card is called. */
export function refTitle(briefing: Briefing, ref: SectionRef, locale: Locale, t: Translate): string {
  const plain = (text: string) => text.replace(/^[^\p{L}\p{N}]+/u, "");
  switch (ref.itemId === undefined ? undefined : ref.section) {
    case "tl":
      return briefing.timeline.find((day) => day.id === ref.itemId)!.title[locale];
    case "sc":
      return briefing.sectors.find((sector) => sector.id === ref.itemId)!.title[locale];
    case "qt": {
      const quote = briefing.quotes.find((entry) => entry.id === ref.itemId)!;
      return `${plain(sectionTitle("qt", t))}: ${quote.speaker[locale]}`;
    }
    default:
      return plain(sectionTitle(ref.section, t));
  }
}

export type Card = { ref: SectionRef; locale: Locale; title: string; plainText: string };

export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Plain-text cards of a briefing in every locale: what search looks through. */
export function briefingCards(briefing: Briefing, translators: Record<Locale, Translate>): Card[] {
  return briefingRefs(briefing).flatMap((ref) =>
    LOCALES.map((locale) => {
      const t = translators[locale];
      return {
        ref,
        locale,
        title: refTitle(briefing, ref, locale, t),
        plainText: stripHtml(sectionBlocks(briefing, ref, { locale, t }).join("\n")),
      };
    }),
  );
}
