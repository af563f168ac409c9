import { stem, tokenize } from "./normalize.js";
import { allowedEdits, withinEdits } from "./typos.js";

export type SearchDocument<T> = { value: T; title: string; body: string };

type Field = "title" | "body";
/** Where a token occurs: document number and field. */
type Posting = { document: number; field: Field };
type VocabularyEntry = { stem: string; postings: Posting[] };

/**
 * An inverted index: each distinct token once, with its stem and where it occurs; tokens grouped by stem, and all
 * tokens sorted, so that every kind of match is a lookup or a binary search rather than a scan. Tokens and stems are
 * also kept by length, so that a word typed with a typo is compared only with words of about its length.
 */
export type SearchIndex<T> = {
  values: T[];
  vocabulary: Map<string, VocabularyEntry>;
  byStem: Map<string, VocabularyEntry[]>;
  sortedTokens: string[];
  tokensByLength: string[][];
  stemsByLength: string[][];
};

export type SearchHit<T> = { value: T; score: number; matchedTerms: number; order: number };

const MIN_PREFIX = 4;
const MIN_TYPO_STEM = 6;
/**
 * A match in a title outranks any match in body text. Within a field, the word in any of its forms (one stem: every
 * inflection ranks the same) is above a longer word it only begins, which is above a word it matches with a typo.
 */
const WEIGHT = {
  title: { stem: 8, prefix: 6, typo: 5 },
  body: { stem: 3, prefix: 2.5, typo: 2 },
} as const;
type Kind = keyof (typeof WEIGHT)["title"];

const stemOf = (token: string) => (token.length >= MIN_PREFIX ? stem(token) : token);

/**
 * Builds the index once per set of documents. `moreWords` gives words a field is also found by, from the words it
 * has (the other names of what it names: content/aliases.yaml).
 */
export function buildIndex<T>(documents: SearchDocument<T>[], moreWords?: (words: readonly string[]) => string[]): SearchIndex<T> {
  const vocabulary = new Map<string, VocabularyEntry>();
  documents.forEach((document, index) => {
    for (const field of ["title", "body"] as const) {
      const words = tokenize(document[field]);
      for (const token of new Set(moreWords ? [...words, ...moreWords(words)] : words)) {
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
  return {
    values: documents.map((document) => document.value),
    vocabulary,
    byStem,
    sortedTokens,
    tokensByLength: byLength(vocabulary.keys()),
    stemsByLength: byLength(byStem.keys()),
  };
}

function byLength(words: Iterable<string>): string[][] {
  const lists: string[][] = [];
  for (const word of words) (lists[word.length] ??= []).push(word);
  return lists;
}

/** Words of the index within `limit` edits of `word`: only words of about its length are compared. */
function* nearWords(byLengthList: string[][], word: string, limit: number): Generator<string> {
  for (let length = Math.max(1, word.length - limit); length <= word.length + limit; length++) {
    for (const candidate of byLengthList[length] ?? []) if (withinEdits(word, candidate, limit)) yield candidate;
  }
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

/** The query words search looks for: folded, distinct, at least two letters (or a digit), at most 12. */
function queryTerms(query: string): string[] {
  return [...new Set(tokenize(query))].filter((term) => term.length >= 2 || /\d/.test(term)).slice(0, 12);
}

type Credit = (entry: VocabularyEntry, kind: Kind) => void;

/**
 * Credits the ordinary matches of one term (its stem, a longer word, a shorter stem) and tells which were found: a
 * term found only as the beginning of other words may still be a typo of a word it does not begin.
 */
function creditMatches<T>(index: SearchIndex<T>, term: string, credit: Credit): { any: boolean; stem: boolean } {
  const found = { any: false, stem: false };
  const give = (entry: VocabularyEntry, kind: Kind) => {
    found.any = true;
    if (kind === "stem") found.stem = true;
    credit(entry, kind);
  };
  const termStem = stemOf(term);
  if (termStem.length >= MIN_PREFIX) {
    // A longer word the term's stem begins ("инвестици" → "инвестициялар")…
    for (let at = lowerBound(index.sortedTokens, termStem); at < index.sortedTokens.length; at++) {
      const token = index.sortedTokens[at]!;
      if (!token.startsWith(termStem)) break;
      give(index.vocabulary.get(token)!, "prefix");
    }
    // …or a word whose stem begins the term (either form may carry the longer ending).
    for (let length = MIN_PREFIX; length <= term.length; length++) {
      for (const entry of index.byStem.get(term.slice(0, length)) ?? []) give(entry, "prefix");
    }
    for (const entry of index.byStem.get(termStem) ?? []) give(entry, "stem");
  }
  const exact = index.vocabulary.get(term);
  if (exact) give(exact, "stem");
  return found;
}

/**
 * Credits the words a term matches with typos: one edit in a word of 6 letters or more, two from 10. The term is
 * compared whole with whole words, and by its stem with stems (so that a typo in an inflected form still finds the
 * word); a stem, shorter than its word, takes at most one edit for every four letters, and none under six.
 */
function creditTypos<T>(index: SearchIndex<T>, term: string, credit: Credit): void {
  const limit = allowedEdits(term.length);
  if (limit === 0) return;
  for (const token of nearWords(index.tokensByLength, term, limit)) credit(index.vocabulary.get(token)!, "typo");
  const termStem = stemOf(term);
  const stemLimit = termStem.length < MIN_TYPO_STEM ? 0 : Math.min(limit, Math.floor(termStem.length / 4));
  if (stemLimit === 0) return;
  for (const near of nearWords(index.stemsByLength, termStem, stemLimit)) {
    for (const entry of index.byStem.get(near)!) credit(entry, "typo");
  }
}

/** The ranked hits, and how many of the query's words matched without a typo (none: perhaps the wrong layout). */
export type SearchResult<T> = { hits: SearchHit<T>[]; termsFound: number };

/**
 * Ranks documents for a free-text query. A document must match at least one term; documents matching
 * more terms come first, then by score (title above body; a word in any form above a longer word it begins, above a
 * typo), then in content order. A term that matches no word in any of its forms is also looked for with typos.
 * Each term's best weight per document and field comes from index lookups, not a scan of the documents.
 */
export function searchWithCount<T>(index: SearchIndex<T>, query: string): SearchResult<T> {
  const terms = queryTerms(query);
  const count = index.values.length;
  const score = new Float64Array(count);
  const matchedTerms = new Uint8Array(count);
  const titleBest = new Float64Array(count);
  const bodyBest = new Float64Array(count);
  // Weaker kinds may come first: credit keeps the best, so a token that matches in several ways ends with its best.
  const credit: Credit = (entry, kind) => {
    for (const { document, field } of entry.postings) {
      const best = field === "title" ? titleBest : bodyBest;
      best[document] = Math.max(best[document]!, WEIGHT[field][kind]);
    }
  };
  let termsFound = 0;
  for (const term of terms) {
    titleBest.fill(0);
    bodyBest.fill(0);
    const found = creditMatches(index, term, credit);
    if (found.any) termsFound++;
    if (!found.stem) creditTypos(index, term, credit);
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
  return { hits: hits.sort(compareHits), termsFound };
}

/** The ranked hits of a query (see searchWithCount). */
export function search<T>(index: SearchIndex<T>, query: string): SearchHit<T>[] {
  return searchWithCount(index, query).hits;
}

/** More query words matched first, then the higher score, then content order. */
export function compareHits(a: SearchHit<unknown>, b: SearchHit<unknown>): number {
  return b.matchedTerms - a.matchedTerms || b.score - a.score || a.order - b.order;
}
