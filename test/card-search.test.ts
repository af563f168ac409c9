import { describe, expect, it } from "vitest";
import { content } from "../src/content/index.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { createCardSearch } from "../src/search/card-search.js";

describe("card search over the briefing", () => {
  const i18n = createI18n();
  const cardSearch = createCardSearch(content, { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") });

  it("answers a repeated query from memory, per language", () => {
    const first = cardSearch.find("инвестиции", "ru");
    expect(first.length).toBeGreaterThan(0);
    expect(cardSearch.find("инвестиции", "ru")).toBe(first);
    const inKazakh = cardSearch.find("инвестиции", "kk");
    expect(inKazakh).not.toBe(first);
    expect(inKazakh.length).toBeGreaterThan(0);
    expect(inKazakh.every((hit) => hit.card.locale === "kk" || hit.inOtherLanguage)).toBe(true);
  });

  it("keeps giving the same answers after many distinct queries have pushed old ones out", () => {
    const before = cardSearch.find("келісім", "kk").map((hit) => `${hit.card.locale}:${hit.card.title}`);
    expect(before.length).toBeGreaterThan(0);
    for (let index = 0; index < 1500; index++) cardSearch.find(`запрос ${index}`, "ru");
    expect(cardSearch.find("келісім", "kk").map((hit) => `${hit.card.locale}:${hit.card.title}`)).toEqual(before);
  });
});
