import { LRUCache } from "lru-cache";

/**
 * A least-recently-used cache of at most `entries` entries, the one kind of memo table in the bot. It counts
 * entries through LRUCache's `maxSize` (every entry has size 1) rather than `max`, because `max` allocates storage
 * for every entry when the cache is made, and these caches are sized for the busiest day while mostly far from
 * full: a digest run that never answers an update would otherwise carry megabytes of empty arrays.
 */
export function boundedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(entries: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ maxSize: entries, sizeCalculation: () => 1 });
}

/**
 * A least-recently-used cache of texts by text, bounded by the characters it holds (keys and values), for texts of
 * very different lengths: a count of entries would bound nothing. Keep only `ownCopy`s in it (see there).
 */
export function boundedTextCache(characters: number): LRUCache<string, string> {
  return new LRUCache<string, string>({ maxSize: characters, sizeCalculation: (value, key) => Math.max(1, key.length + value.length) });
}

/**
 * A text as a string of its own. V8 makes a piece cut from a longer string (split, slice, a YAML scalar of a file) a
 * view that keeps the whole longer string alive: a cache keeping such pieces would hold every screen or file they
 * came from, far beyond what it counts. Joining and cutting again flattens the piece into a new string.
 */
export const ownCopy = (text: string): string => ` ${text}`.slice(1);
