import type { I18n } from "@grammyjs/i18n";
import { describe, expect, it } from "vitest";
import { translatorFor } from "../src/i18n.js";

const MEMO_SIZE = 5000;

/** An i18n that counts how often each key is translated. */
function countingI18n() {
  const calls = new Map<string, number>();
  const i18n = {
    t: (locale: string, key: string, variables?: Record<string, unknown>) => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return `${locale}:${key}${variables ? JSON.stringify(variables) : ""}`;
    },
  } as unknown as I18n<never>;
  return { i18n, calls: (key: string) => calls.get(key) ?? 0 };
}

describe("translatorFor", () => {
  it("memoizes by key and variables", () => {
    const { i18n, calls } = countingI18n();
    const t = translatorFor(i18n, "kk");
    expect(t("greeting", { name: "Айгерім" })).toBe('kk:greeting{"name":"Айгерім"}');
    t("greeting", { name: "Айгерім" });
    expect(calls("greeting")).toBe(1);
    expect(t("greeting", { name: "Иван" })).toBe('kk:greeting{"name":"Иван"}');
    expect(calls("greeting")).toBe(2);
  });

  it("keeps a text used often while a memo's worth of one-off texts pass, and drops the least recently used", () => {
    const { i18n, calls } = countingI18n();
    const t = translatorFor(i18n, "ru");
    t("menu");
    t("first-once");
    for (let index = 0; index < MEMO_SIZE; index++) {
      t(`once-${index}`);
      if (index % 100 === 0) t("menu");
    }
    t("menu");
    expect(calls("menu")).toBe(1);
    t("first-once");
    expect(calls("first-once")).toBe(2);
  });
});
