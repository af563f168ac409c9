import { briefingSchema, type Briefing } from "./types.js";

/** The set of briefings the bot serves, validated once when it is built. */
export type ContentLibrary = {
  briefings: readonly Briefing[];
  /** The newest visit first: what /briefing opens. */
  latest: Briefing;
  get(id: string): Briefing | undefined;
};

export function createContentLibrary(input: readonly unknown[]): ContentLibrary {
  if (input.length === 0) throw new Error("content: at least one briefing is required");
  const briefings = input.map((raw, index) => {
    const result = briefingSchema.safeParse(raw);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      throw new Error(`content: briefing #${index + 1} is invalid: ${problems}`);
    }
    return result.data;
  });
  const byId = new Map<string, Briefing>();
  for (const briefing of briefings) {
    if (byId.has(briefing.id)) throw new Error(`content: duplicate briefing id "${briefing.id}"`);
    byId.set(briefing.id, briefing);
  }
  const sorted = [...briefings].sort((a, b) => b.dates.start.localeCompare(a.dates.start));
  return { briefings: sorted, latest: sorted[0]!, get: (id) => byId.get(id) };
}
