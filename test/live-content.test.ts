import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveContent } from "../src/content/live.js";
import type { ContentProblem, LoadedContent } from "../src/content/loader.js";
import {
  addFixtureVisit,
  BUNDLED_FILE,
  copyContent,
  editContentFile,
  FIXTURE_FILE,
  liveContentOver,
  readContentFile,
} from "./support/content-folder.js";

/** Longest a saved file may take to become live (the watcher settles for 300 ms). */
const LIVE_WITHIN_MS = 5000;

async function eventually<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + LIVE_WITHIN_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${LIVE_WITHIN_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const line = (file: string, needle: string, folder: string) =>
  readContentFile(folder, file)
    .split("\n")
    .findIndex((text) => text.includes(needle)) + 1;

let folder: string;
let remove: () => void;
let live: LiveContent | undefined;
let refused: ContentProblem[][];
let reloaded: LoadedContent[];

function watch(): LiveContent {
  live = liveContentOver(folder, {
    watchFolder: true,
    onRefused: (problems) => refused.push(problems),
    onReloaded: (content) => reloaded.push(content),
  });
  return live;
}

beforeEach(() => {
  ({ folder, remove } = copyContent());
  refused = [];
  reloaded = [];
});
afterEach(() => {
  live?.close();
  live = undefined;
  remove();
});

describe("live content: the watched folder", () => {
  it("a changed file is live within 5 s", async () => {
    const content = watch();
    const before = content.current();
    editContentFile(folder, BUNDLED_FILE, "ru: Транспорт и логистика\n", "ru: Транспорт, логистика и склады\n");
    const after = await eventually("the new fingerprint", () => content.current().fingerprint !== before.fingerprint && content.current());
    expect(after.library.latest.sectors[0]!.title.ru).toBe("Транспорт, логистика и склады");
    expect(before.library.latest.sectors[0]!.title.ru).toBe("Транспорт и логистика");
    expect(reloaded).toEqual([after]);
    expect(refused).toEqual([]);
  });

  it("an added visit file appears, and a removed one disappears", async () => {
    const content = watch();
    addFixtureVisit(folder);
    const added = await eventually("the fixture visit", () => content.current().library.get("fx99") && content.current());
    expect(added.library.latest.id).toBe("fx99");
    expect(added.fileOf("fx99")).toBe(FIXTURE_FILE);

    rmSync(join(folder, FIXTURE_FILE));
    const removed = await eventually("the fixture gone", () => !content.current().library.get("fx99") && content.current());
    expect(removed.library.briefings.map((briefing) => briefing.id)).toEqual(["cn25"]);
    expect(removed.fileOf("fx99")).toBeUndefined();
    expect(refused).toEqual([]);
  });

  it("broken YAML is refused: the last good content stays, and onRefused gets the problem with its file", async () => {
    const content = watch();
    const good = content.current();
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: Китай: Пекин\n");
    const [problems] = await eventually("the refusal", () => refused.length > 0 && refused);
    expect(problems!.map((problem) => problem.file)).toEqual([BUNDLED_FILE]);
    expect(content.current()).toBe(good);
    expect(reloaded).toEqual([]);
  });

  it("a change that fails the schema or content:check is refused with file and line; the fix then goes live", async () => {
    const content = watch();
    const good = content.current();
    editContentFile(folder, BUNDLED_FILE, "status: published", "status: maybe");
    const [schema] = await eventually("the schema refusal", () => refused.length > 0 && refused);
    expect(schema).toEqual([
      expect.objectContaining({ file: BUNDLED_FILE, field: "status", line: line(BUNDLED_FILE, "status: maybe", folder) }),
    ]);
    expect(content.current()).toBe(good);

    // Valid YAML and schema, refused by content:check: Kazakh letters in Russian text.
    editContentFile(folder, BUNDLED_FILE, "status: maybe", "status: published");
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: Қытай\n");
    const [, check] = await eventually("the check refusal", () => refused.length > 1 && refused);
    expect(check).toEqual([
      expect.objectContaining({ file: BUNDLED_FILE, field: "place.ru", line: line(BUNDLED_FILE, "  ru: Қытай", folder) }),
    ]);
    expect(content.current()).toBe(good);

    editContentFile(folder, BUNDLED_FILE, "  ru: Қытай\n", "  ru: КНР\n");
    const fixed = await eventually("the fixed content", () => content.current() !== good && content.current());
    expect(fixed.library.latest.place.ru).toBe("КНР");
    expect(reloaded).toEqual([fixed]);
  });

  it("reload() with nothing changed answers unchanged and keeps the same content", () => {
    const content = liveContentOver(folder, { onReloaded: (loaded) => reloaded.push(loaded) });
    live = content;
    const before = content.current();
    const result = content.reload();
    expect(result.status).toBe("unchanged");
    expect(result.content).toBe(before);
    expect(content.current()).toBe(before);
    expect(reloaded).toEqual([]);
    // The same bytes written again are no change either.
    editContentFile(folder, BUNDLED_FILE, "status: published", "status: published ");
    editContentFile(folder, BUNDLED_FILE, "status: published ", "status: published");
    expect(content.reload().status).toBe("unchanged");
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: КНР\n");
    expect(content.reload().status).toBe("reloaded");
    expect(content.reload().status).toBe("unchanged");
  });
});
