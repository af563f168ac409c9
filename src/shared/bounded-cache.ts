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
 * very different lengths: a count of entries would bound nothing.
 */
export function boundedTextCache(characters: number): LRUCache<string, string> {
  return new LRUCache<string, string>({ maxSize: characters, sizeCalculation: (value, key) => Math.max(1, key.length + value.length) });
}
