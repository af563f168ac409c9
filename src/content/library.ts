import { createHash } from "node:crypto";
import type { LRUCache } from "lru-cache";
import { boundedCache } from "../shared/bounded-cache.js";
import type { Locale, Translate } from "../shared/locale.js";
import { briefingSchema, type Briefing, type Topic } from "./types.js";

/**
 * The briefings the bot serves, validated once when it is built and never changed afterwards: a new version of the
 * content is a new library. Readers see published briefings only; drafts are kept apart for operators' previews.
 */
export type ContentLibrary = {
  /** Published briefings, the newest visit first. */
  briefings: readonly Briefing[];
  /** The newest published visit: what /briefing opens. */
  latest: Briefing;
  /** A published briefing by id. */
  get(id: string): Briefing | undefined;
  /** Briefings with status draft, the newest visit first. */
  drafts: readonly Briefing[];
  /** A draft by id (operators only). */
  getDraft(id: string): Briefing | undefined;
  /** What subscribers choose digests by, in menu order. */
  topics: readonly Topic[];
  /** Names that search treats as one (content/aliases.yaml); none for a library built in code without them. */
  aliases: readonly (readonly string[])[];
};

/** Topics of a library built in code (tests): one per sector id, titled as in the newest briefing that has it. */
function topicsOfSectors(briefings: readonly Briefing[]): Topic[] {
  const seen = new Map<string, Topic>();
  for (const sector of briefings.flatMap((briefing) => briefing.sectors)) {
    if (!seen.has(sector.topic)) seen.set(sector.topic, { id: sector.topic, title: sector.title });
  }
  return [...seen.values()];
}

/**
 * A library from briefings and topics (content files give both; a library built in code may leave topics out).
 * Throws on anything the schema refuses, duplicate ids, a sector whose topic is unknown, or no published briefing.
 */
export function createContentLibrary(input: readonly unknown[], topics?: readonly Topic[]): ContentLibrary {
  const all = input.map((raw, index) => {
    const result = briefingSchema.safeParse(raw);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      throw new Error(`content: briefing #${index + 1} is invalid: ${problems}`);
    }
    return result.data;
  });
  return libraryOf(all, topics);
}

/** A library from briefings the schema has already accepted (the loader checks each file once, with its lines). */
export function libraryOf(
  all: readonly Briefing[],
  topics?: readonly Topic[],
  aliases: readonly (readonly string[])[] = [],
): ContentLibrary {
  const byId = new Map<string, Briefing>();
  for (const briefing of all) {
    if (byId.has(briefing.id)) throw new Error(`content: duplicate briefing id "${briefing.id}"`);
    byId.set(briefing.id, briefing);
  }
  const newestFirst = [...all].sort((a, b) => b.dates.start.localeCompare(a.dates.start));
  const briefings = newestFirst.filter((briefing) => briefing.status === "published");
  const drafts = newestFirst.filter((briefing) => briefing.status === "draft");
  if (briefings.length === 0) throw new Error("content: at least one published briefing is required");
  const topicList = topics ?? topicsOfSectors(briefings);
  const topicIds = new Set(topicList.map((topic) => topic.id));
  for (const briefing of all) {
    for (const sector of briefing.sectors) {
      if (!topicIds.has(sector.topic))
        throw new Error(`content: ${briefing.id}: sector "${sector.id}" points to unknown topic "${sector.topic}"`);
    }
  }
  const published = (id: string) => {
    const briefing = byId.get(id);
    return briefing?.status === "published" ? briefing : undefined;
  };
  const draft = (id: string) => {
    const briefing = byId.get(id);
    return briefing?.status === "draft" ? briefing : undefined;
  };
  return { briefings, latest: briefings[0]!, get: published, drafts, getDraft: draft, topics: topicList, aliases };
}

const versions = new WeakMap<Briefing, string>();

/**
 * A briefing's version: a digest of everything it says, the forms of its names included. Briefings of one version say
 * the same, whichever file or reload they were read from.
 */
export function versionOf(briefing: Briefing): string {
  let version = versions.get(briefing);
  if (version === undefined) {
    version = createHash("sha256").update(JSON.stringify(briefing)).digest("base64");
    versions.set(briefing, version);
  }
  return version;
}

/**
 * What is derived from one briefing in both languages (its checks, its search cards), kept by the briefing's version
 * and a `variant` (what else the result depends on, in words) for each set of translators: a reload that leaves a
 * visit as it was derives nothing again for it. At most `kept` results are kept, the least recently used out first.
 */
export function derivedByVersion<T extends NonNullable<unknown>>(
  kept: number,
  derive: (briefing: Briefing, translators: Record<Locale, Translate>, variant: string) => T,
): (briefing: Briefing, translators: Record<Locale, Translate>, variant?: string) => T {
  const byTranslators = new WeakMap<Record<Locale, Translate>, LRUCache<string, T>>();
  return (briefing, translators, variant = "") => {
    let results = byTranslators.get(translators);
    if (!results) byTranslators.set(translators, (results = boundedCache<string, T>(kept)));
    const key = `${versionOf(briefing)}\u0000${variant}`;
    let result = results.get(key);
    if (result === undefined) {
      result = derive(briefing, translators, variant);
      results.set(key, result);
    }
    return result;
  };
}
