import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { libraryOf, type ContentLibrary } from "./library.js";
import { NAMES_FILE, namesFileSchema, withNames, type NamesFile } from "./names.js";
import { aliasesFileSchema, briefingSchema, topicsFileSchema, type Briefing, type Topic } from "./types.js";

/** Where a problem is: the file, and the line, column and field when they are known. */
export type ContentProblem = { file: string; line?: number; column?: number; field?: string; message: string };

/** Content read from its folder: the library, and where each briefing came from (to locate later problems). */
export type LoadedContent = {
  library: ContentLibrary;
  /** A digest of every file's name and bytes: equal fingerprints mean nothing changed. */
  fingerprint: string;
  /** The file a briefing (published or draft) came from, relative to the content folder. */
  fileOf(briefingId: string): string | undefined;
  /** The line and column of a field of a briefing ("sectors.1.title.kk"), when the file has it. */
  locate(briefingId: string, field: string): { line: number; column: number } | undefined;
  /** The line and column of a field of the alias list ("aliases.2.1"), when the folder has one. */
  locateAlias?(field: string): { line: number; column: number } | undefined;
};

export type LoadResult = { ok: true; content: LoadedContent } | { ok: false; problems: ContentProblem[] };

export const TOPICS_FILE = "topics.yaml";
/** Names search treats as one; optional: a folder without it has no aliases. */
export const ALIASES_FILE = "aliases.yaml";
export const VISITS_FOLDER = "visits";
/** A visit file larger than this is refused unread: a briefing is a few dozen kilobytes, 1 MB is a mistake. */
export const MAX_CONTENT_FILE_BYTES = 1024 * 1024;

type ParsedFile = { file: string; doc: Document; lines: LineCounter };

/** Line and column (1-based) of the node at `path`, or of its nearest ancestor that the file has. */
function locateIn({ doc, lines }: ParsedFile, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}

function readYaml(folder: string, path: string): { parsed: ParsedFile } | { problems: ContentProblem[] } {
  const file = relative(folder, path);
  const size = statSync(path).size;
  if (size > MAX_CONTENT_FILE_BYTES) {
    return { problems: [{ file, message: `${size} bytes, over the ${MAX_CONTENT_FILE_BYTES}-byte limit for one content file` }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const at = lines.linePos(error.pos[0]);
        return { file, line: at.line, column: at.col, message: error.message.split("\n")[0]! };
      }),
    };
  }
  return { parsed: { file, doc, lines } };
}

function validate<T>(parsed: ParsedFile, schema: z.ZodType<T>): { value: T } | { problems: ContentProblem[] } {
  const result = schema.safeParse(parsed.doc.toJS());
  if (result.success) return { value: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      file: parsed.file,
      ...locateIn(parsed, issue.path),
      ...(issue.path.length > 0 ? { field: issue.path.join(".") } : {}),
      message: issue.message,
    })),
  };
}

/** The visit files of a content folder, by name: *.yaml and *.yml directly in visits/. */
export function visitFiles(folder: string): string[] {
  const visits = join(folder, VISITS_FOLDER);
  if (!existsSync(visits)) return [];
  return readdirSync(visits)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(visits, name));
}

/** Checks beyond the schema (both languages, Telegram's limits), given by the layers that know them. */
export type ContentCheck = (content: LoadedContent) => ContentProblem[];

/**
 * Reads a content folder: `topics.yaml` (what subscribers choose by) and one file per visit in `visits/`, then runs
 * `check` on what the schema accepted. Every problem is reported with its file and, where the file has it, line,
 * column and field; one problem anywhere refuses the whole folder, so a half-valid set of files never becomes content.
 */
export function loadContent(folder: string, check?: ContentCheck): LoadResult {
  const read = readContent(folder);
  if (!read.ok || !check) return read;
  const problems = check(read.content);
  return problems.length > 0 ? { ok: false, problems } : read;
}

function readContent(folder: string): LoadResult {
  const problems: ContentProblem[] = [];
  const hash = createHash("sha256");
  const topicsPath = join(folder, TOPICS_FILE);
  let topics: Topic[] = [];
  if (!existsSync(topicsPath)) {
    problems.push({ file: TOPICS_FILE, message: `missing: the content folder ${folder} needs the list of topics` });
  } else {
    hash.update(`${TOPICS_FILE}\0${readFileSync(topicsPath, "utf8")}\0`);
    const read = readYaml(folder, topicsPath);
    const checked = "parsed" in read ? validate(read.parsed, topicsFileSchema) : read;
    if ("value" in checked) topics = checked.value.topics;
    else problems.push(...checked.problems);
  }

  const aliases = readAliases(folder, hash, problems);
  const { parsedBy, briefings } = readVisits(folder, hash, problems);

  // A name is looked for in the visits only when every visit file was read: a refused file has no texts to look in.
  const named = readNames(folder, hash, briefings, problems.length === 0);
  problems.push(...named.problems);
  briefings.splice(0, briefings.length, ...named.briefings);

  const topicIds = new Set(topics.map((topic) => topic.id));
  for (const briefing of briefings) {
    briefing.sectors.forEach((sector, index) => {
      if (topics.length > 0 && !topicIds.has(sector.topic)) {
        const parsed = parsedBy.get(briefing.id)!;
        const path = ["sectors", index, "topic"];
        problems.push({
          file: parsed.file,
          ...locateIn(parsed, path),
          field: path.join("."),
          message: `unknown topic "${sector.topic}": ${TOPICS_FILE} lists ${[...topicIds].join(", ")}`,
        });
      }
    });
  }
  if (problems.length === 0 && !briefings.some((briefing) => briefing.status === "published")) {
    problems.push({ file: VISITS_FOLDER, message: "no visit has status: published; readers would have nothing to read" });
  }
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    content: {
      library: libraryOf(briefings, topics, aliases.groups),
      fingerprint: hash.digest("hex"),
      fileOf: (briefingId) => parsedBy.get(briefingId)?.file,
      locate: (briefingId, field) => {
        const parsed = parsedBy.get(briefingId);
        return parsed && locateIn(parsed, fieldPath(field));
      },
      locateAlias: (field) => aliases.parsed && locateIn(aliases.parsed, fieldPath(field)),
    },
  };
}

/** The visit files, each read, checked and keyed by its briefing's id (an id used twice is a problem). */
function readVisits(
  folder: string,
  hash: ReturnType<typeof createHash>,
  problems: ContentProblem[],
): { parsedBy: Map<string, ParsedFile>; briefings: Briefing[] } {
  const parsedBy = new Map<string, ParsedFile>();
  const briefings: Briefing[] = [];
  const files = visitFiles(folder);
  if (files.length === 0) problems.push({ file: VISITS_FOLDER, message: "no visit files (*.yaml)" });
  for (const path of files) {
    hash.update(`${basename(path)}\0`);
    if (statSync(path).size <= MAX_CONTENT_FILE_BYTES) hash.update(readFileSync(path));
    const read = readYaml(folder, path);
    if (!("parsed" in read)) {
      problems.push(...read.problems);
      continue;
    }
    const checked = validate(read.parsed, briefingSchema);
    if (!("value" in checked)) {
      problems.push(...checked.problems);
      continue;
    }
    const briefing = checked.value;
    const earlier = parsedBy.get(briefing.id);
    if (earlier) {
      problems.push({
        file: read.parsed.file,
        ...locateIn(read.parsed, ["id"]),
        field: "id",
        message: `briefing id "${briefing.id}" is also used by ${earlier.file}`,
      });
      continue;
    }
    parsedBy.set(briefing.id, read.parsed);
    briefings.push(briefing);
  }
  return { parsedBy, briefings };
}

/**
 * names.yaml, if the folder has one: the briefings' Kazakh texts with the forms of the names they contain, and a
 * problem for a file the schema refuses or a name that no Kazakh text contains.
 */
function readNames(
  folder: string,
  hash: ReturnType<typeof createHash>,
  briefings: readonly Briefing[],
  allVisitsRead: boolean,
): { briefings: Briefing[]; problems: ContentProblem[] } {
  const path = join(folder, NAMES_FILE);
  if (!existsSync(path)) return { briefings: [...briefings], problems: [] };
  hash.update(`${NAMES_FILE}\0${readFileSync(path, "utf8")}\0`);
  const read = readYaml(folder, path);
  const checked: { value: NamesFile } | { problems: ContentProblem[] } = "parsed" in read ? validate(read.parsed, namesFileSchema) : read;
  if (!("value" in checked)) return { briefings: [...briefings], problems: checked.problems };
  const { names } = checked.value;
  const used = new Set<string>();
  const marked = briefings.map((briefing) => {
    const result = withNames(briefing, names);
    result.used.forEach((name) => used.add(name));
    return result.briefing;
  });
  const problems = names.flatMap((name, index) =>
    used.has(name.kk) || !allVisitsRead
      ? []
      : [
          {
            file: NAMES_FILE,
            ...locateIn((read as { parsed: ParsedFile }).parsed, ["names", index, "kk"]),
            field: `names.${index}.kk`,
            message: `"${name.kk}" is in no Kazakh text of any visit`,
          },
        ],
  );
  return { briefings: marked, problems };
}

/** A field as a path in its file: "sectors.1.title" → ["sectors", 1, "title"]. */
function fieldPath(field: string): (string | number)[] {
  return field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The alias list of a folder (none when it has no aliases.yaml); its problems go to `problems`. */
function readAliases(
  folder: string,
  hash: ReturnType<typeof createHash>,
  problems: ContentProblem[],
): { groups: string[][]; parsed?: ParsedFile } {
  const path = join(folder, ALIASES_FILE);
  if (!existsSync(path)) return { groups: [] };
  hash.update(`${ALIASES_FILE}\0${readFileSync(path, "utf8")}\0`);
  const read = readYaml(folder, path);
  const checked = "parsed" in read ? validate(read.parsed, aliasesFileSchema) : read;
  if ("problems" in checked) {
    problems.push(...checked.problems);
    return { groups: [] };
  }
  return { groups: checked.value.aliases, ...("parsed" in read ? { parsed: read.parsed } : {}) };
}

/** A problem as one line: `visits/x.yaml:12:7 sectors.1.title.kk: message`. */
export function formatProblem(problem: ContentProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(":");
  return `${where}${problem.field ? ` ${problem.field}` : ""}: ${problem.message}`;
}
