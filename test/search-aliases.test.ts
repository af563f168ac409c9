import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALIASES_FILE, loadContent, type ContentProblem } from "../src/content/loader.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { refToPayload } from "../src/render/refs.js";
import { checkAliases, createAliasExpander } from "../src/search/aliases.js";
import { tokenize } from "../src/search/normalize.js";
import { createCardSearch } from "../src/search/card-search.js";
import { checkLoaded, copyContent, loadOrFail, readContentFile, writeContentFile } from "./support/content-folder.js";

describe("createAliasExpander", () => {
  const expander = createAliasExpander([
    ["ШЫҰ", "ШОС", "SCO"],
    ["Си Цзиньпин", "Xi Jinping"],
    ["Мәдени орталық", "Культурный центр"],
  ]);
  const expand = (text: string) => expander(tokenize(text));

  it("adds the words of every name of what a text names, found in any form of their words", () => {
    expect(expand("ШЫҰ саммитінде сөз сөйледі")).toEqual(tokenize("ШЫҰ ШОС SCO"));
    expect(expand("ҚХР Төрағасы Си Цзиньпинмен кездесті")).toEqual(tokenize("Си Цзиньпин Xi Jinping"));
    expect(expand("Бейжіңдегі Мәдени орталығы")).toEqual(tokenize("Мәдени орталық Культурный центр"));
    expect(expand("Культурного центра")).toEqual(tokenize("Мәдени орталық Культурный центр"));
  });

  it("needs every word of a name, in order, and a short word exactly", () => {
    expect(expand("Си мен Цзиньпин")).toEqual([]);
    expect(expand("Цзиньпин")).toEqual([]);
    expect(expand("ШОСТАКОВИЧ")).toEqual([]);
    expect(expand("мәдени мұра")).toEqual([]);
  });
});

describe("checkAliases", () => {
  const texts = ["Тоқаев ШЫҰ саммитінде сөз сөйледі", "Бейжіңдегі Мәдени орталық"];

  it("accepts groups that each name something the texts contain", () => {
    expect(
      checkAliases(
        [
          ["ШЫҰ", "ШОС", "SCO"],
          ["Бейжің", "Пекин"],
        ],
        texts,
      ),
    ).toEqual([]);
  });

  it("refuses a group that points at nothing, a name listed twice, and a name search reads as another", () => {
    expect(checkAliases([["Жапония", "Япония"]], texts)).toEqual([
      { field: "aliases.0", message: expect.stringContaining("points at nothing") },
    ]);
    expect(
      checkAliases(
        [
          ["ШЫҰ", "SCO"],
          ["Бейжің", "SCO"],
        ],
        texts,
      ),
    ).toEqual([{ field: "aliases.1.1", message: expect.stringContaining("aliases.0.1") }]);
    // "Beijing" already folds to what "Бейжің" folds to: listing it says nothing search does not know.
    expect(checkAliases([["Бейжің", "Beijing"]], texts)).toEqual([{ field: "aliases.0.1", message: expect.stringContaining("alike") }]);
    expect(checkAliases([["ШЫҰ", "«»"]], texts)).toEqual([{ field: "aliases.0.1", message: expect.stringContaining("no letters") }]);
  });
});

describe("content/aliases.yaml in the content folder", () => {
  let folder: string;
  let remove: () => void;
  beforeEach(() => {
    ({ folder, remove } = copyContent());
  });
  afterEach(() => remove());

  const problemsOf = (folderPath: string): ContentProblem[] => {
    const result = loadContent(folderPath);
    return result.ok ? checkLoaded(result.content) : result.problems;
  };
  /** The 1-based line and column of the first line of aliases.yaml that contains `needle`. */
  const positionOf = (needle: string) => {
    const lines = readContentFile(folder, ALIASES_FILE).split("\n");
    const index = lines.findIndex((line) => line.includes(needle));
    return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
  };

  it("the bundled list loads and passes content:check; without the file a folder has no aliases", () => {
    const loaded = loadOrFail(folder);
    expect(loaded.library.aliases.length).toBeGreaterThan(0);
    expect(checkLoaded(loaded)).toEqual([]);
    rmSync(join(folder, ALIASES_FILE));
    const without = loadOrFail(folder);
    expect(without.library.aliases).toEqual([]);
    expect(without.fingerprint).not.toBe(loaded.fingerprint);
  });

  it("a group of one name and an empty name are refused at their line and column", () => {
    writeContentFile(folder, ALIASES_FILE, 'aliases:\n  - [ШЫҰ, ШОС]\n  - [Пекин]\n  - [Бейжің, "  "]\n');
    const problems = problemsOf(folder);
    expect(problems).toEqual([
      { file: ALIASES_FILE, field: "aliases.1", line: 3, column: 5, message: expect.stringContaining("at least two") },
      { file: ALIASES_FILE, field: "aliases.2.1", line: 4, column: 14, message: expect.stringContaining("empty") },
    ]);
  });

  it("a name listed twice and a group pointing at nothing are found by content:check, at their line and column", () => {
    writeContentFile(folder, ALIASES_FILE, "aliases:\n  - [ШЫҰ, ШОС, SCO]\n  - [ШОС, SCO2]\n  - [Жапония, Япония]\n");
    const problems = problemsOf(folder);
    expect(problems).toEqual([
      {
        file: ALIASES_FILE,
        field: "aliases.1.0",
        ...positionOf("[ШОС, SCO2]"),
        column: 6,
        message: expect.stringContaining("listed already"),
      },
      { file: ALIASES_FILE, field: "aliases.2", ...positionOf("[Жапония"), message: expect.stringContaining("points at nothing") },
    ]);
  });
});

describe("aliases in card search", () => {
  const i18n = createI18n();
  const translators = { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") };

  it("are read from the library: the same library without them does not know the other names", () => {
    const { folder, remove } = copyContent();
    try {
      const withAliases = createCardSearch(loadOrFail(folder).library, translators);
      rmSync(join(folder, ALIASES_FILE));
      const without = createCardSearch(loadOrFail(folder).library, translators);
      expect(refToPayload(withAliases.find("SCO", "ru")[0]!.ref)).toBe("cn25-tl-d0901");
      expect(without.find("SCO", "ru")).toEqual([]);
    } finally {
      remove();
    }
  });
});
