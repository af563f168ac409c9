/**
 * Typos: how many edits a word may carry and still be the word meant, and the bounded edit distance that counts
 * them. An edit is one letter wrong, missing or extra, or two neighbours swapped (Damerau–Levenshtein, the optimal
 * string alignment form). Words are compared folded, so a look-alike or Latin letter is never an edit.
 */

/** Words shorter than this are matched exactly: one edit in a five-letter word is a different word too often. */
const MIN_ONE_EDIT = 6;
const MIN_TWO_EDITS = 10;

/** Edits a word of this length may carry: none under 6 letters, one from 6, two from 10. */
export function allowedEdits(length: number): number {
  return length >= MIN_TWO_EDITS ? 2 : length >= MIN_ONE_EDIT ? 1 : 0;
}

/**
 * Whether `a` and `b` are at most `limit` edits apart. Only the band of cells within `limit` of the diagonal is
 * computed, and the comparison stops as soon as a whole row is over the limit, so a word far from the other costs a
 * few cells, not the full table.
 */
export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  if (a === b) return true;
  const over = limit + 1;
  // Three rows of the table: the one before the previous (for swaps), the previous and the current.
  let before = new Array<number>(b.length + 1).fill(over);
  let previous = Array.from({ length: b.length + 1 }, (_, column) => Math.min(column, over));
  let current = new Array<number>(b.length + 1).fill(over);
  for (let row = 1; row <= a.length; row++) {
    current.fill(over);
    if (row <= limit) current[0] = row;
    let rowBest = current[0]!;
    const from = Math.max(1, row - limit);
    const to = Math.min(b.length, row + limit);
    for (let column = from; column <= to; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let cell = Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        cell = Math.min(cell, before[column - 2]! + 1);
      }
      current[column] = Math.min(cell, over);
      rowBest = Math.min(rowBest, current[column]!);
    }
    if (rowBest > limit) return false;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]! <= limit;
}
