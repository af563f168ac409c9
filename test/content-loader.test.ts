import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { derivedByVersion } from "../src/content/library.js";
import { formatProblem, loadContent, MAX_CONTENT_FILE_BYTES, type ContentProblem, type LoadResult } from "../src/content/loader.js";
import { createDigestRenderer, contentMarkOf } from "../src/render/digest.js";
import {
  addFixtureVisit,
  BUNDLED_FILE,
  checkLoaded,
  copyContent,
  editContentFile,
  FIXTURE_FILE,
  FIXTURE_VISIT,
  loadOrFail,
  readContentFile,
  translators,
  writeContentFile,
} from "./support/content-folder.js";

let folder: string;
let remove: () => void;
beforeEach(() => {
  ({ folder, remove } = copyContent());
});
afterEach(() => remove());

/** The 1-based line and column where `needle` starts in a file of the folder (the first occurrence). */
function positionOf(file: string, needle: string): { line: number; column: number } {
  const lines = readContentFile(folder, file).split("\n");
  const index = lines.findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${needle} not in ${file}`);
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
}

function problemsOf(result: LoadResult): ContentProblem[] {
  if (result.ok) throw new Error("the folder was accepted, a problem was expected");
  return result.problems;
}

describe("loadContent: the bundled content and the fixture", () => {
  it("accepts a copy of content/ as it is, and the fictional fixture next to it passes content:check", () => {
    const alone = loadOrFail(folder);
    expect(alone.library.briefings.map((briefing) => briefing.id)).toEqual(["cn25"]);
    addFixtureVisit(folder);
    const both = loadOrFail(folder);
    expect(both.library.briefings.map((briefing) => briefing.id)).toEqual(["fx99", "cn25"]);
    expect(both.fileOf("fx99")).toBe(FIXTURE_FILE);
    expect(both.fingerprint).not.toBe(alone.fingerprint);
    expect(checkLoaded(both)).toEqual([]);
  });

  it("the fixture says in its own text that it is fictional, and its Kazakh uses Kazakh letters", () => {
    const [schemaLine, header] = readFileSync(FIXTURE_VISIT, "utf8").split("\n");
    expect(schemaLine).toMatch(/^# yaml-language-server: \$schema=/);
    expect(header).toMatch(/FICTIONAL TEST FIXTURE/);
    addFixtureVisit(folder);
    const fixture = loadOrFail(folder).library.get("fx99")!;
    expect(fixture.title.ru).toMatch(/Вымышленный.*фикстура/);
    expect(fixture.overview.text.ru).toMatch(/вымышленный/i);
    expect(fixture.source.name).toMatch(/вымышленный/);
    const kazakh = [fixture.title.kk, fixture.overview.text.kk, fixture.timeline[0]!.text.kk, fixture.outlook.text.kk].join(" ");
    for (const letter of "әғқңөұүһі") expect(kazakh).toContain(letter);
    for (const sector of fixture.sectors) expect(["transp", "energy", "agro", "humanit"]).toContain(sector.topic);
  });
});

describe("loadContent: problems with file, line, column and field", () => {
  it("broken YAML is refused whole, naming the file and what the parser found", () => {
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: Китай: Пекин\n");
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: BUNDLED_FILE, message: "Nested mappings are not allowed in compact mappings" });
  });

  it("broken YAML is refused with the line and column of the syntax error", () => {
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: Китай: Пекин\n");
    const at = positionOf(BUNDLED_FILE, "ru: Китай: Пекин");
    const [problem] = problemsOf(loadContent(folder));
    expect(problem).toMatchObject({ file: BUNDLED_FILE, line: at.line, column: at.column + "ru: ".length });
  });

  it("a key written twice is refused at the second one's line", () => {
    editContentFile(folder, BUNDLED_FILE, "status: published\n", "status: published\nstatus: draft\n");
    const [problem] = problemsOf(loadContent(folder));
    expect(problem).toMatchObject({ file: BUNDLED_FILE, line: positionOf(BUNDLED_FILE, "status: draft").line, column: 1 });
  });

  it("status: maybe is refused at its line and column, naming the field", () => {
    editContentFile(folder, BUNDLED_FILE, "status: published", "status: maybe");
    const [problem, ...rest] = problemsOf(loadContent(folder));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: BUNDLED_FILE, field: "status", ...positionOf(BUNDLED_FILE, "maybe") });
    expect(formatProblem(problem!)).toMatch(/^visits\/china-2025\.yaml:6:9 status: /);
  });

  it("a number where text is expected is refused at its line and column, naming the field", () => {
    editContentFile(folder, BUNDLED_FILE, "  ru: Визит в Китай, 2025", "  ru: 2025");
    const [problem, ...rest] = problemsOf(loadContent(folder));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: BUNDLED_FILE, field: "shortTitle.ru" });
    const at = positionOf(BUNDLED_FILE, "ru: 2025");
    expect(problem).toMatchObject({ line: at.line, column: at.column + "ru: ".length });
  });

  it("a missing required field is refused, naming the file and the field", () => {
    editContentFile(folder, BUNDLED_FILE, "place:\n  kk: Қытай\n  ru: Китай\n", "");
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: BUNDLED_FILE, field: "place" });
    expect(problems[0]!.line).toBeTypeOf("number");
  });

  it("one briefing id in two files is refused, and the problem names both files", () => {
    copyFileSync(join(folder, BUNDLED_FILE), join(folder, "visits", "copy.yaml"));
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "visits/copy.yaml", field: "id", line: positionOf("visits/copy.yaml", "id: cn25").line });
    expect(problems[0]!.message).toContain("cn25");
    expect(problems[0]!.message).toContain(BUNDLED_FILE);
  });

  it("two items with one id inside a briefing are found by content:check, at the second one's line", () => {
    editContentFile(folder, BUNDLED_FILE, "  - id: d0901", "  - id: d0830");
    const content = loadOrFail(folder);
    const problems = checkLoaded(content);
    expect(problems).toHaveLength(1);
    const second = readContentFile(folder, BUNDLED_FILE).split("\n").lastIndexOf("  - id: d0830") + 1;
    expect(problems[0]).toMatchObject({ file: BUNDLED_FILE, field: "timeline.1.id", line: second, column: 9 });
    expect(problems[0]!.message).toContain("d0830");
  });

  it("a file over 1 MB is refused unread: only its size is reported, not what is inside", () => {
    // Broken YAML past the limit: had the loader read it, a syntax problem would be reported too.
    const big = `id: big\n${"# padding\n".repeat(MAX_CONTENT_FILE_BYTES / 10)}broken: [\n`;
    writeContentFile(folder, "visits/big.yaml", big);
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe("visits/big.yaml");
    expect(problems[0]!.message).toContain(`${Buffer.byteLength(big)} bytes`);
    expect(problems[0]!.line).toBeUndefined();
  });

  it("a sector pointing to a topic topics.yaml does not list is refused at that topic", () => {
    editContentFile(folder, BUNDLED_FILE, "    topic: agro", "    topic: nosuch");
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: BUNDLED_FILE, field: "sectors.2.topic", ...positionOf(BUNDLED_FILE, "nosuch") });
    expect(problems[0]!.message).toContain('"nosuch"');
  });

  it("a folder with no published visit is refused: readers would have nothing", () => {
    editContentFile(folder, BUNDLED_FILE, "status: published", "status: draft");
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "visits" });
    expect(problems[0]!.message).toMatch(/published/);
    // A draft next to a published visit is fine.
    addFixtureVisit(folder);
    expect(loadOrFail(folder).library.drafts.map((draft) => draft.id)).toEqual(["cn25"]);
  });

  it("a folder without topics.yaml is refused, naming the missing file", () => {
    rmSync(join(folder, "topics.yaml"));
    const problems = problemsOf(loadContent(folder));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "topics.yaml" });
    expect(problems[0]!.message).toMatch(/missing/);
  });

  it("wrong types in topics.yaml are refused at their line", () => {
    writeContentFile(folder, "topics.yaml", stringify({ topics: [{ id: "transp", title: { kk: "Көлік", ru: 7 } }] }));
    const problems = problemsOf(loadContent(folder));
    expect(problems.some((problem) => problem.file === "topics.yaml" && problem.field === "topics.0.title.ru" && problem.line === 5)).toBe(
      true,
    );
  });
});

describe("a reload checks again only the visits that changed", () => {
  it("a problem kept from the last check is reported at its line in the file as it is now", () => {
    editContentFile(folder, BUNDLED_FILE, "  - id: d0901", "  - id: d0830");
    const lineOfSecond = () => readContentFile(folder, BUNDLED_FILE).split("\n").lastIndexOf("  - id: d0830") + 1;
    expect(checkLoaded(loadOrFail(folder))).toEqual([expect.objectContaining({ field: "timeline.1.id", line: lineOfSecond() })]);
    // A comment above: the visit says the same (one version, its problems kept), and every line moves down by one.
    writeContentFile(folder, BUNDLED_FILE, `# moved\n${readContentFile(folder, BUNDLED_FILE)}`);
    const moved = checkLoaded(loadOrFail(folder));
    expect(moved).toEqual([expect.objectContaining({ field: "timeline.1.id", line: lineOfSecond() })]);
    expect(moved[0]!.line).toBeGreaterThan(1);
  });

  it("derives again for a visit whose text changed, and not for the one left as it was", () => {
    addFixtureVisit(folder);
    const derived: string[] = [];
    const titleOf = derivedByVersion(10, (briefing) => {
      derived.push(briefing.id);
      return briefing.title.kk;
    });
    const titles = () => loadOrFail(folder).library.briefings.map((briefing) => titleOf(briefing, translators));
    titles();
    expect(derived.sort()).toEqual(["cn25", "fx99"]);
    editContentFile(folder, FIXTURE_FILE, /^ {2}kk: (.*)$/m, "  kk: $1 (түзетілді)");
    expect(titles()).toContainEqual(expect.stringContaining("(түзетілді)"));
    expect(derived.sort()).toEqual(["cn25", "fx99", "fx99"]);
  });
});

describe("revisions", () => {
  it("a revision with a time of day and an offset becomes a UTC moment that sorts after its own date", () => {
    const sectorAt = readContentFile(folder, BUNDLED_FILE).indexOf("  - id: humanit\n    topic: humanit\n    publishedAt: 2025-09-05\n");
    expect(sectorAt).toBeGreaterThan(0);
    editContentFile(
      folder,
      BUNDLED_FILE,
      "  - id: humanit\n    topic: humanit\n    publishedAt: 2025-09-05\n",
      "  - id: humanit\n    topic: humanit\n    publishedAt: 2025-09-05\n    updatedAt: 2025-09-06T10:30:00+05:00\n",
    );
    const { library } = loadOrFail(folder);
    const sector = library.latest.sectors.find((entry) => entry.id === "humanit")!;
    expect(sector.updatedAt).toBe("2025-09-06T05:30:00Z");
    expect(sector.updatedAt! > "2025-09-06").toBe(true);
    expect(contentMarkOf(library)).toBe("2025-09-06T05:30:00Z");
    // A chat whose previous digest covered 6 September (the date) still gets the correction made that day.
    const digest = createDigestRenderer(library, translators).render("ru", null, "2025-09-06");
    expect(digest?.text).toContain(sector.title.ru);
    expect(createDigestRenderer(library, translators).render("ru", null, "2025-09-06T05:30:00Z")).toBeUndefined();
  });

  it("a revision that is not a real moment is refused at its field", () => {
    editContentFile(folder, BUNDLED_FILE, /^publishedAt: 2025-09-05$/m, "publishedAt: 2025-09-05T25:61:00Z");
    const problems = problemsOf(loadContent(folder));
    expect(problems.some((problem) => problem.field === "publishedAt" && problem.line === 7)).toBe(true);
  });
});
