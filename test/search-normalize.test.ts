import { describe, expect, it } from "vitest";
import { fold, stem, tokenize } from "../src/search/normalize.js";
import { buildIndex, search } from "../src/search/rank.js";
import { createCardSearch } from "../src/search/cards.js";
import { content } from "../src/content/index.js";
import { createI18n, translatorFor } from "../src/i18n.js";

describe("fold", () => {
  it.each([
    ["Келісім", "келисим"],
    ["КЕЛІСІМ", "келисим"],
    ["Шеберханасы «Лу Бань»", "шеберханасы «лу бань»"],
    ["Әскери шеру", "аскери шеру"],
    ["Ғылым, Қытай, Ұлттық, Үкімет, Өнім, Жаңа, Һ", "гылым, кытай, улттык, укимет, оним, жана, х"],
    ["Зелёная", "зеленая"],
  ])("%s → %s", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });
});

describe("stem", () => {
  it.each([
    // every form of a word, Kazakh suffixes and Russian inflections alike, shares one stem
    [["инвестиция", "инвестиции", "инвестициялар", "инвестиций", "инвестициясы"]],
    [["келисим", "келисимдер", "келисимдерди"]],
    [["соглашение", "соглашения", "соглашений", "соглашениями"]],
    [["шеберхана", "шеберханасы", "шеберханалары"]],
  ])("%j", (forms) => {
    expect(new Set(forms.map(stem)).size).toBe(1);
  });

  it("never cuts a word below four letters", async () => {
    expect(stem("шоса")).toBe("шоса");
    expect(stem("ии")).toBe("ии");
  });
});

describe("search ranking", () => {
  const index = buildIndex([
    { value: "body-prefix", title: "Обзор", body: "Инвестиционные проекты и торговля" },
    { value: "title-prefix", title: "Инвестициялар", body: "..." },
    { value: "title-whole", title: "Инвестиции", body: "..." },
    { value: "none", title: "Парад", body: "3 сентября" },
    { value: "body-whole", title: "Итоги", body: "Приток: инвестиции" },
  ]);

  it("puts title above body and whole word above prefix", async () => {
    expect(search(index, "инвестиции").map((hit) => hit.value)).toEqual(["title-whole", "title-prefix", "body-whole", "body-prefix"]);
  });

  it("ranks documents matching more query words first", async () => {
    expect(search(index, "инвестиции торговля")[0]?.value).toBe("body-prefix");
  });

  it("matches Kazakh words typed with Russian look-alike letters, and the reverse", async () => {
    const kazakh = buildIndex([{ value: "kk", title: "Келісімдер", body: "Қол қойылған құжаттар" }]);
    expect(search(kazakh, "келисим").map((hit) => hit.value)).toEqual(["kk"]);
    expect(search(kazakh, "кужаттар").map((hit) => hit.value)).toEqual(["kk"]);
    const russian = buildIndex([{ value: "ru", title: "Китай", body: "" }]);
    expect(search(russian, "Қытай").length).toBe(0);
    expect(search(russian, "китай").map((hit) => hit.value)).toEqual(["ru"]);
  });

  it("answers junk and empty queries with nothing, without throwing", async () => {
    expect(search(index, "")).toEqual([]);
    expect(search(index, "!!! ??? ...")).toEqual([]);
    expect(search(index, "x".repeat(256))).toEqual([]);
    expect(tokenize("<b>&amp;</b>")).toEqual(["b", "amp", "b"]);
  });
});

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
