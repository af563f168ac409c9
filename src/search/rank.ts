import { stem, tokenize } from "./normalize.js";

export type SearchDocument<T> = { value: T; title: string; body: string };

type Field = "title" | "body";
/** Where a token occurs: document number and field. */
type Posting = { document: number; field: Field };
type VocabularyEntry = { stem: string; postings: Posting[] };

/** An inverted index: each distinct token once, with its stem and where it occurs. */
export type SearchIndex<T> = { values: T[]; vocabulary: Map<string, VocabularyEntry> };

export type SearchHit<T> = { value: T; score: number; matchedTerms: number; order: number };

const MIN_PREFIX = 4;
/** Whole word above the same word in another form (same stem) above a longer word it only begins. */
const WEIGHT = {
  title: { whole: 8, stem: 6, prefix: 5 },
  body: { whole: 3, stem: 2.5, prefix: 2 },
} as const;

const stemOf = (token: string) => (token.length >= MIN_PREFIX ? stem(token) : token);

export function buildIndex<T>(documents: SearchDocument<T>[]): SearchIndex<T> {
  const vocabulary = new Map<string, VocabularyEntry>();
  documents.forEach((document, index) => {
    for (const field of ["title", "body"] as const) {
      for (const token of new Set(tokenize(document[field]))) {
        let entry = vocabulary.get(token);
        if (!entry) vocabulary.set(token, (entry = { stem: stemOf(token), postings: [] }));
        entry.postings.push({ document: index, field });
      }
    }
  });
  return { values: documents.map((document) => document.value), vocabulary };
}

/** How a query term meets an indexed token: the same word, the same stem, or one begins the other's stem. */
function kindOfMatch(term: string, termStem: string, token: string, tokenStem: string): "whole" | "stem" | "prefix" | undefined {
  if (token === term) return "whole";
  if (termStem.length < MIN_PREFIX) return undefined;
  if (tokenStem === termStem) return "stem";
  // Either form may carry the longer ending: "инвестиции" finds "инвестициялар" and the reverse.
  if (token.startsWith(termStem) || (tokenStem.length >= MIN_PREFIX && term.startsWith(tokenStem))) return "prefix";
  return undefined;
}

/**
 * Ranks documents for a free-text query. A document must match at least one term; documents matching
 * more terms come first, then by score (title above body, whole word above prefix), then in content order.
 * Each term's best weight per document and field is found in one pass over the distinct tokens.
 */
export function search<T>(index: SearchIndex<T>, query: string): SearchHit<T>[] {
  const terms = [...new Set(tokenize(query))].filter((term) => term.length >= 2 || /\d/.test(term)).slice(0, 12);
  if (terms.length === 0) return [];
  const count = index.values.length;
  const score = new Float64Array(count);
  const matchedTerms = new Uint8Array(count);
  const titleBest = new Float64Array(count);
  const bodyBest = new Float64Array(count);
  for (const term of terms) {
    const termStem = stemOf(term);
    titleBest.fill(0);
    bodyBest.fill(0);
    const credit = (entry: VocabularyEntry, kind: "whole" | "stem" | "prefix") => {
      for (const { document, field } of entry.postings) {
        const best = field === "title" ? titleBest : bodyBest;
        best[document] = Math.max(best[document]!, WEIGHT[field][kind]);
      }
    };
    if (termStem.length < MIN_PREFIX) {
      const exact = index.vocabulary.get(term);
      if (exact) credit(exact, "whole");
    } else {
      for (const [token, entry] of index.vocabulary) {
        const kind = kindOfMatch(term, termStem, token, entry.stem);
        if (kind) credit(entry, kind);
      }
    }
    for (let document = 0; document < count; document++) {
      const best = Math.max(titleBest[document]!, bodyBest[document]!);
      if (best > 0) {
        matchedTerms[document]!++;
        score[document]! += best;
      }
    }
  }
  const hits: SearchHit<T>[] = [];
  for (let document = 0; document < count; document++) {
    if (matchedTerms[document]! > 0) {
      hits.push({ value: index.values[document]!, score: score[document]!, matchedTerms: matchedTerms[document]!, order: document });
    }
  }
  return hits.sort(compareHits);
}

/** More query words matched first, then the higher score, then content order. */
export function compareHits(a: SearchHit<unknown>, b: SearchHit<unknown>): number {
  return b.matchedTerms - a.matchedTerms || b.score - a.score || a.order - b.order;
}
