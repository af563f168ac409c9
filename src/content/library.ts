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
