import { boundedCache } from "../shared/bounded-cache.js";
import type { ContentLibrary } from "../content/library.js";
import type { Locale, Translate } from "../shared/locale.js";
import { refToPayload, type SectionRef } from "../render/refs.js";
import { createAliasExpander } from "./aliases.js";
import { briefingCards, type Card } from "./documents.js";
import { swapLayout } from "./normalize.js";
import { buildIndex, compareHits, searchWithCount, type SearchHit } from "./rank.js";

export type CardHit = { ref: SectionRef; briefingId: string; card: Card; score: number; inOtherLanguage: boolean };

export type CardSearch = {
  /**
   * Best matches first, one per section: in the asker's language when it matches there, else the other one.
   * The list is shared between callers asking the same: read it, do not change it.
   */
  find(query: string, locale: Locale): readonly CardHit[];
  cards: Card[];
};

/** Distinct recent queries whose results are kept: people ask the same few things (and Telegram retypes prefixes). */
const MAX_CACHED_QUERIES = 1000;
/** Longer queries are not kept (Telegram's inline queries stop at 256 characters; long chat messages are rare). */
const MAX_CACHED_QUERY_CHARS = 256;

export function createCardSearch(library: ContentLibrary, translators: Record<Locale, Translate>): CardSearch {
  const cards = library.briefings.flatMap((briefing) => briefingCards(briefing, translators));
  // Built once per library: a card's title and text are also found by the other names of what they name.
  const index = buildIndex(
    cards.map((card) => ({ value: card, title: card.title, body: card.plainText })),
    createAliasExpander(library.aliases),
  );
  // A search serves one library, so a query's results stay valid as long as it does; the least recently asked go first.
  const recent = boundedCache<string, CardHit[]>(MAX_CACHED_QUERIES);
  return {
    cards,
    find(query, locale) {
      const key = `${locale}\u0000${query}`;
      const cached = recent.get(key);
      if (cached) return cached;
      const hits = rankCards(query, locale);
      if (query.length <= MAX_CACHED_QUERY_CHARS) recent.set(key, hits);
      return hits;
    },
  };

  function rankCards(query: string, locale: Locale): CardHit[] {
    // One result per section: its card in the asker's language when that matched, else the other one.
    const chosen = new Map<string, SearchHit<Card>>();
    let { hits, termsFound } = searchWithCount(index, query);
    // No word found as typed: perhaps typed with the wrong keyboard layout (Russian keys on an English layout, or the
    // reverse). Read in the other layout, a word found as typed there beats guessing at typos in this one.
    if (termsFound === 0) {
      const swapped = swapLayout(query);
      const other = swapped === query.toLowerCase() ? undefined : searchWithCount(index, swapped);
      if (other && (other.termsFound > 0 || hits.length === 0)) ({ hits, termsFound } = other);
    }
    for (const hit of hits) {
      const key = refToPayload(hit.value.ref);
      const current = chosen.get(key);
      if (!current || (current.value.locale !== locale && hit.value.locale === locale)) chosen.set(key, hit);
    }
    const inLanguage = (hit: SearchHit<Card>) => (hit.value.locale === locale ? 0 : 1);
    return [...chosen.values()]
      .sort((a, b) => inLanguage(a) - inLanguage(b) || compareHits(a, b))
      .map((hit) => ({
        ref: hit.value.ref,
        briefingId: hit.value.ref.briefingId,
        card: hit.value,
        score: hit.score,
        inOtherLanguage: hit.value.locale !== locale,
      }));
  }
}
