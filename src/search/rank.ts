import { stem, tokenize } from "./normalize.js";

export type SearchDocument<T> = { value: T; title: string; body: string };

type IndexedToken = { token: string; stem: string };
type IndexedDocument<T> = { value: T; titleTokens: IndexedToken[]; bodyTokens: IndexedToken[]; order: number };

export type SearchIndex<T> = { documents: IndexedDocument<T>[] };

export type SearchHit<T> = { value: T; score: number; matchedTerms: number; order: number };

const MIN_PREFIX = 4;
/** Whole word above the same word in another form (same stem) above a longer word it only begins. */
const WEIGHT = {
  title: { whole: 8, stem: 6, prefix: 5 },
  body: { whole: 3, stem: 2.5, prefix: 2 },
} as const;

export function buildIndex<T>(documents: SearchDocument<T>[]): SearchIndex<T> {
  return {
    documents: documents.map((document, order) => ({
      value: document.value,
      titleTokens: indexTokens(document.title),
      bodyTokens: indexTokens(document.body),
      order,
    })),
  };
}

function indexTokens(text: string): IndexedToken[] {
  const unique = [...new Set(tokenize(text))];
  return unique.map((token) => ({ token, stem: token.length >= MIN_PREFIX ? stem(token) : token }));
}

/** The best score one query term earns in a list of tokens: whole word above shared stem. */
function termScore(term: string, termStem: string, tokens: IndexedToken[], weight: (typeof WEIGHT)["title" | "body"]): number {
  let best = 0;
  for (const { token, stem: tokenStem } of tokens) {
    if (token === term) return weight.whole;
    if (termStem.length < MIN_PREFIX) continue;
    if (tokenStem === termStem) best = Math.max(best, weight.stem);
    // Either form may carry the longer ending: "инвестиции" finds "инвестициялар" and the reverse.
    else if (token.startsWith(termStem) || (tokenStem.length >= MIN_PREFIX && term.startsWith(tokenStem))) {
      best = Math.max(best, weight.prefix);
    }
  }
  return best;
}

/**
 * Ranks documents for a free-text query. A document must match at least one term; documents matching
 * more terms come first, then by score (title above body, whole word above prefix), then in content order.
 */
export function search<T>(index: SearchIndex<T>, query: string): SearchHit<T>[] {
  const terms = [...new Set(tokenize(query))].filter((term) => term.length >= 2 || /\d/.test(term)).slice(0, 12);
  if (terms.length === 0) return [];
  const stems = terms.map((term) => (term.length >= MIN_PREFIX ? stem(term) : term));
  const hits: SearchHit<T>[] = [];
  for (const document of index.documents) {
    let score = 0;
    let matchedTerms = 0;
    terms.forEach((term, position) => {
      const termStem = stems[position]!;
      const termBest = Math.max(
        termScore(term, termStem, document.titleTokens, WEIGHT.title),
        termScore(term, termStem, document.bodyTokens, WEIGHT.body),
      );
      if (termBest > 0) matchedTerms++;
      score += termBest;
    });
    if (matchedTerms > 0) hits.push({ value: document.value, score, matchedTerms, order: document.order });
  }
  return hits.sort(compareHits);
}

/** More query words matched first, then the higher score, then content order. */
export function compareHits(a: SearchHit<unknown>, b: SearchHit<unknown>): number {
  return b.matchedTerms - a.matchedTerms || b.score - a.score || a.order - b.order;
}
