import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ajvModule from "ajv";
import { format, resolveConfig } from "prettier";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { bundledContentDirectory } from "../src/content/folder.js";
import { ALIASES_FILE, TOPICS_FILE, visitFiles } from "../src/content/loader.js";
import { briefingSchema } from "../src/content/types.js";
import {
  ALIASES_SCHEMA_FILE,
  BRIEFING_SCHEMA_FILE,
  contentJsonSchemas,
  schemaText,
  TOPICS_SCHEMA_FILE,
} from "../src/tools/content-schema.js";

const CONTENT = bundledContentDirectory();
const FIXTURES = resolve(import.meta.dirname, "fixtures", "visits");

/** Every YAML file an editor opens: the bundled content and the test fixtures, each with the schema it should name. */
const yamlFiles = [
  { path: join(CONTENT, TOPICS_FILE), schema: TOPICS_SCHEMA_FILE },
  { path: join(CONTENT, ALIASES_FILE), schema: ALIASES_SCHEMA_FILE },
  ...visitFiles(CONTENT).map((path) => ({ path, schema: BRIEFING_SCHEMA_FILE })),
  ...readdirSync(FIXTURES)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => ({ path: join(FIXTURES, name), schema: BRIEFING_SCHEMA_FILE })),
];

const Ajv = ajvModule.default;
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat("uri", (text: string) => URL.canParse(text));
const validators = new Map(contentJsonSchemas().map(({ file, schema }) => [file, ajv.compile(schema)]));
const validate = (schemaFile: string, value: unknown) => {
  const check = validators.get(schemaFile)!;
  return check(value) ? [] : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
};

describe("content JSON Schemas (npm run content:schema)", () => {
  it("the committed schema files are what the generator writes now", async () => {
    for (const { file, schema } of contentJsonSchemas()) {
      const path = join(CONTENT, file);
      // The npm script runs Prettier over what the generator writes; so does this comparison.
      const expected = await format(schemaText(schema), { ...(await resolveConfig(path)), filepath: path });
      expect(readFileSync(path, "utf8"), `${file} is out of date: run npm run content:schema and commit it`).toBe(expected);
    }
  });

  it("says in each schema that it is generated, and from where", () => {
    for (const { schema } of contentJsonSchemas()) {
      expect(schema.$comment).toContain("npm run content:schema");
      expect(schema.$comment).toContain("src/content/types.ts");
    }
  });

  it.each(yamlFiles)("$path names $schema on its first line", ({ path, schema }) => {
    const firstLine = readFileSync(path, "utf8").split("\n")[0]!;
    const reference = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine)?.[1];
    expect(reference, `first line: ${firstLine}`).toBeDefined();
    expect(resolve(dirname(path), reference!)).toBe(join(CONTENT, schema));
  });

  it.each(yamlFiles)("$path validates against $schema", ({ path, schema }) => {
    expect(validate(schema, parse(readFileSync(path, "utf8")))).toEqual([]);
  });

  it("describes what editors write: a revision as a date or as a moment with an offset (the input of the transform)", () => {
    const bundled = parse(readFileSync(visitFiles(CONTENT)[0]!, "utf8")) as Record<string, unknown>;
    for (const revision of ["2025-09-05", "2025-09-05T14:30Z", "2025-09-05T14:30:00+05:00"]) {
      const briefing = { ...bundled, publishedAt: revision };
      expect(validate(BRIEFING_SCHEMA_FILE, briefing), revision).toEqual([]);
      expect(briefingSchema.safeParse(briefing).success, revision).toBe(true);
    }
  });

  it("refuses what the loader refuses", () => {
    const bundled = parse(readFileSync(visitFiles(CONTENT)[0]!, "utf8")) as Record<string, unknown>;
    const { id, ...withoutId } = bundled;
    expect(id).toBeDefined();
    const broken: Record<string, unknown>[] = [
      withoutId,
      { ...bundled, id: "Too-Long-Id" },
      { ...bundled, status: "final" },
      { ...bundled, publishedAt: "5 September" },
      { ...bundled, title: { kk: "Тек қазақша" } },
      { ...bundled, sectors: [] },
      { ...bundled, source: { ...(bundled.source as object), language: "en" } },
    ];
    for (const briefing of broken) {
      expect(validate(BRIEFING_SCHEMA_FILE, briefing), JSON.stringify(briefing).slice(0, 80)).not.toEqual([]);
      expect(briefingSchema.safeParse(briefing).success).toBe(false);
    }
    expect(validate(TOPICS_SCHEMA_FILE, { topics: [] })).not.toEqual([]);
    expect(validate(ALIASES_SCHEMA_FILE, { aliases: [["ШОС"]] })).not.toEqual([]);
    expect(validate(ALIASES_SCHEMA_FILE, { aliases: [["ШОС", ""]] })).not.toEqual([]);
    expect(validate(ALIASES_SCHEMA_FILE, { aliases: [["ШОС", "SCO"]] })).toEqual([]);
  });
});
