import { stem, tokenize } from "./normalize.js";

export type SearchDocument<T> = { value: T; title: string; body: string };

type Field = "title" | "body";
/** Where a token occurs: document number and field. */
type Posting = { document: number; field: Field };
type VocabularyEntry = { stem: string; postings: Posting[] };

/**
 * An inverted index: each distinct token once, with its stem and where it occurs; tokens grouped by stem, and all
 * tokens sorted, so that every kind of match is a lookup or a binary search rather than a scan.
 */
export type SearchIndex<T> = {
  values: T[];
  vocabulary: Map<string, VocabularyEntry>;
  byStem: Map<string, VocabularyEntry[]>;
  sortedTokens: string[];
};

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
  const byStem = new Map<string, VocabularyEntry[]>();
  for (const entry of vocabulary.values()) {
    if (entry.stem.length < MIN_PREFIX) continue;
    const group = byStem.get(entry.stem);
    if (group) group.push(entry);
    else byStem.set(entry.stem, [entry]);
  }
  const sortedTokens = [...vocabulary.keys()].sort();
  return { values: documents.map((document) => document.value), vocabulary, byStem, sortedTokens };
}

/** Index of the first token not below `prefix` in the sorted list. */
function lowerBound(sorted: string[], prefix: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Ranks documents for a free-text query. A document must match at least one term; documents matching
 * more terms come first, then by score (title above body, whole word above prefix), then in content order.
 * Each term's best weight per document and field comes from index lookups, not a scan of the documents.
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
    // Weaker kinds first: credit keeps the best, so a token that matches in several ways ends with its best.
    if (termStem.length >= MIN_PREFIX) {
      // A longer word the term's stem begins ("инвестици" → "инвестициялар")…
      for (let at = lowerBound(index.sortedTokens, termStem); at < index.sortedTokens.length; at++) {
        const token = index.sortedTokens[at]!;
        if (!token.startsWith(termStem)) break;
        credit(index.vocabulary.get(token)!, "prefix");
      }
      // …or a word whose stem begins the term (either form may carry the longer ending).
      for (let length = MIN_PREFIX; length <= term.length; length++) {
        for (const entry of index.byStem.get(term.slice(0, length)) ?? []) credit(entry, "prefix");
      }
      for (const entry of index.byStem.get(termStem) ?? []) credit(entry, "stem");
    }
    const exact = index.vocabulary.get(term);
    if (exact) credit(exact, "whole");
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
