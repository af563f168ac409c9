import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../src/shared/locale.js";
import { createI18n, findLocalesDirectory } from "../src/i18n.js";

type Messages = Map<string, Set<string>>;

/** Message ids with the variables each one uses, read straight from the .ftl source. */
function readMessages(locale: string): Messages {
  const source = readFileSync(join(findLocalesDirectory(), `${locale}.ftl`), "utf8");
  const messages: Messages = new Map();
  let current: Set<string> | undefined;
  for (const line of source.split("\n")) {
    const start = /^([a-z][a-z0-9-]*)\s*=(.*)$/.exec(line);
    if (start) {
      current = new Set();
      messages.set(start[1]!, current);
    } else if (/^[#a-z]/.test(line)) {
      current = undefined;
    }
    for (const match of line.matchAll(/\{\s*\$([A-Za-z_]+)/g)) current?.add(match[1]!);
  }
  return messages;
}

describe("locales", () => {
  const [first, ...others] = LOCALES.map((locale) => ({ locale, messages: readMessages(locale) }));

  it("have the same keys in kk and ru", async () => {
    expect(first!.messages.size).toBeGreaterThan(30);
    for (const other of others) expect([...other.messages.keys()].sort()).toEqual([...first!.messages.keys()].sort());
  });

  it("use the same variables in every message in kk and ru", async () => {
    for (const other of others) {
      for (const [key, variables] of first!.messages) {
        expect({ key, variables: [...(other.messages.get(key) ?? [])].sort() }).toEqual({ key, variables: [...variables].sort() });
      }
    }
  });

  it("load into the i18n plugin and format without isolation marks", async () => {
    const i18n = createI18n();
    expect(i18n.t("kk", "date", { year: "2025", month: 9, day: "5" })).toBe("2025 жылғы 5 қыркүйек");
    expect(i18n.t("ru", "date", { year: "2025", month: 8, day: "31" })).toBe("31 августа 2025 г.");
    expect(i18n.t("ru", "welcome", { name: "Айгерим" })).not.toMatch(/[\u2068\u2069]/);
  });

  it("write Russian without Kazakh letters, except the deliberately bilingual language button", async () => {
    const i18n = createI18n();
    const sample: Record<string, string | number> = { month: 9, day: 1, number: 1, count: 1, original: "kk", status: "active" };
    const withKazakhLetters = [...readMessages("ru")].filter(([key, used]) => {
      const variables = Object.fromEntries([...used].map((name) => [name, sample[name] ?? "x"]));
      return /[әғқңөұүһі]/i.test(i18n.t("ru", key, variables));
    }).map(([key]) => key);
    expect(withKazakhLetters).toEqual(["button-language"]);
  });
});

describe("interface strings used by the code", () => {
  it("exist in every locale", async () => {
    const sourceFiles = readdirSync(join(findLocalesDirectory(), "..", "src"), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => readFileSync(join(findLocalesDirectory(), "..", "src", file), "utf8"));
    const used = new Set(sourceFiles.flatMap((source) => [...source.matchAll(/\bt\(\s*"([a-z][a-z0-9-]*)"/g)].map((match) => match[1]!)));
    expect(used.size).toBeGreaterThan(40);
    for (const locale of LOCALES) {
      const missing = [...used].filter((key) => !readMessages(locale).has(key));
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });
});
