import type { ContentLibrary } from "../content/library.js";
import type { Locale } from "../content/types.js";
import { briefingCards, type Card } from "../render/cards.js";
import type { Translate } from "../render/format.js";
import { sameRef, type SectionRef } from "../render/refs.js";
import { buildIndex, search } from "./rank.js";

export type CardHit = { ref: SectionRef; briefingId: string; card: Card; score: number; inOtherLanguage: boolean };

export type CardSearch = {
  /** Best matches first, one per section: in the asker's language when it matches there, else the other one. */
  find(query: string, locale: Locale): CardHit[];
  cards: Card[];
};

export function createCardSearch(library: ContentLibrary, translators: Record<Locale, Translate>): CardSearch {
  const cards = library.briefings.flatMap((briefing) => briefingCards(briefing, translators));
  const index = buildIndex(cards.map((card) => ({ value: card, title: card.title, body: card.plainText })));
  return {
    cards,
    find(query, locale) {
      const hits = search(index, query);
      const best: CardHit[] = [];
      for (const hit of hits) {
        const card = hit.value;
        const existing = best.findIndex((entry) => sameRef(entry.ref, card.ref));
        const candidate: CardHit = {
          ref: card.ref,
          briefingId: card.ref.briefingId,
          card,
          score: hit.score,
          inOtherLanguage: card.locale !== locale,
        };
        if (existing === -1) best.push(candidate);
        else if (best[existing]!.inOtherLanguage && !candidate.inOtherLanguage) {
          best[existing] = candidate;
        }
      }
      return best;
    },
  };
}
