import { stem, tokenize } from "./normalize.js";

/** Names of one thing in several languages and scripts (content/aliases.yaml): "ШЫҰ", "ШОС", "SCO". */
export type AliasGroup = readonly string[];

/** Words shorter than this match a card's word only exactly ("ШОС", "Си"); longer ones in any form. */
const MIN_STEM_MATCH = 4;

type Name = { tokens: string[]; group: number };

/** Where a word is looked up: short words whole, longer ones by their first letters, which every form of them shares. */
function wordKey(word: string): string {
  return word.length < MIN_STEM_MATCH ? word : word.slice(0, MIN_STEM_MATCH);
}

/**
 * A word of a name matches a word of a card that is the same word in another form: short words exactly, longer ones
 * when both have one stem, or when the card's word is the name's word with an ending ("Цзиньпинмен").
 */
function matchesWord(nameWord: string, cardWord: string): boolean {
  if (nameWord.length < MIN_STEM_MATCH) return cardWord === nameWord;
  return cardWord.startsWith(nameWord) || stem(cardWord) === stem(nameWord);
}

/** Whether a name's words stand one after another at `at` in a card's words (each card word in any of its forms). */
function standsAt(name: Name, words: readonly string[], at: number): boolean {
  return name.tokens.every((word, offset) => {
    const cardWord = words[at + offset];
    return cardWord !== undefined && matchesWord(word, cardWord);
  });
}

/**
 * The groups a text names, by any of their names: names are found by their words in any form (Си Цзиньпинмен is Си
 * Цзиньпин), looked up by the first letters of their first word, so a text costs one lookup per word, on the words
 * search has already read (no second reading of the text).
 */
function createGroupFinder(groups: readonly AliasGroup[]): (words: readonly string[]) => Set<number> {
  const byKey = new Map<string, Name[]>();
  groups.forEach((group, index) => {
    for (const name of group) {
      const tokens = tokenize(name);
      if (tokens.length === 0) continue;
      const key = wordKey(tokens[0]!);
      byKey.set(key, [...(byKey.get(key) ?? []), { tokens, group: index }]);
    }
  });
  return (words) => {
    const named = new Set<number>();
    for (let at = 0; at < words.length; at++) {
      for (const name of byKey.get(wordKey(words[at]!)) ?? []) if (standsAt(name, words, at)) named.add(name.group);
    }
    return named;
  };
}

/**
 * What a card's words gain from the alias list: when a text names a thing by one of its names, the words of its other
 * names are added to what search reads ("ШЫҰ саммитінде" also reads as "ШОС" and "SCO"), so that any name finds the
 * card, in its title when the title names it.
 */
export function createAliasExpander(groups: readonly AliasGroup[]): (words: readonly string[]) => string[] {
  const find = createGroupFinder(groups);
  const groupWords = groups.map((group) => group.flatMap((name) => tokenize(name)));
  return (words) => [...find(words)].flatMap((group) => groupWords[group]!);
}

/** A problem in the alias list, at a field of it ("aliases.2.1"). */
export type AliasProblem = { field: string; message: string };

/**
 * The alias list's own rules, beyond its schema: a name is listed once (two names that search reads alike are one
 * name: "Beijing" already finds "Бейжің"), and each group names something the briefings contain, by at least one of
 * its names; a group that finds nothing points at nothing.
 */
export function checkAliases(groups: readonly AliasGroup[], texts: readonly string[]): AliasProblem[] {
  const problems: AliasProblem[] = [];
  const seen = new Map<string, string>();
  groups.forEach((group, groupIndex) =>
    group.forEach((name, nameIndex) => {
      const key = tokenize(name).join(" ");
      const field = `aliases.${groupIndex}.${nameIndex}`;
      const earlier = seen.get(key);
      if (key === "") problems.push({ field, message: `"${name}" has no letters or digits to search by` });
      else if (earlier) problems.push({ field, message: `"${name}" is listed already (at ${earlier}); search reads them alike` });
      else seen.set(key, field);
    }),
  );
  // Each group is looked for until it is found: in a library of many visits, the first few settle every group.
  const find = createGroupFinder(groups);
  const unnamed = new Set(groups.keys());
  for (const text of texts) {
    if (unnamed.size === 0) break;
    for (const group of find(tokenize(text))) unnamed.delete(group);
  }
  for (const group of unnamed) {
    problems.push({
      field: `aliases.${group}`,
      message: `none of ${groups[group]!.join(", ")} occurs in any briefing: the group points at nothing`,
    });
  }
  return problems;
}
