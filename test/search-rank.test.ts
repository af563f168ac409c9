import { describe, expect, it } from "vitest";
import { tokenize } from "../src/search/normalize.js";
import { buildIndex, search } from "../src/search/rank.js";

describe("search ranking", () => {
  const index = buildIndex([
    { value: "body-prefix", title: "Обзор", body: "Инвестиционные проекты и торговля" },
    { value: "title-other-form", title: "Инвестициялар", body: "..." },
    { value: "title-whole", title: "Инвестиции", body: "..." },
    { value: "none", title: "Парад", body: "3 сентября" },
    { value: "body-whole", title: "Итоги", body: "Приток: инвестиции" },
  ]);

  it("puts title above body, the word in any form above a longer word it begins, and ties in content order", async () => {
    const order = ["title-other-form", "title-whole", "body-whole", "body-prefix"];
    expect(search(index, "инвестиции").map((hit) => hit.value)).toEqual(order);
    // Every form of the word ranks the cards the same.
    for (const form of ["инвестициялар", "инвестиций", "инвестицияларды", "investicii"]) {
      expect(search(index, form).map((hit) => hit.value)).toEqual(order);
    }
  });

  it("finds a word with one typo from 6 letters and two from 10, and ranks a typo below the word as written", async () => {
    const names = buildIndex([
      { value: "expert", title: "Гүлнар Шаймергенова", body: "" },
      { value: "mention", title: "Обзор", body: "По словам Шаймергеновой" },
      { value: "energy", title: "Энергетика", body: "" },
      { value: "other", title: "Парад", body: "Жеңіс" },
    ]);
    const found = (query: string) => search(names, query).map((hit) => hit.value);
    expect(found("Шаймергенва")).toEqual(["expert", "mention"]); // missing letter
    expect(found("Шаймерденова")).toEqual(["expert", "mention"]); // wrong letter
    expect(found("Шаймерднова")).toEqual(["expert", "mention"]); // two, in a word of 11
    expect(found("Шайемргенова")).toEqual(["expert", "mention"]); // two letters swapped: one edit
    expect(found("Шаймергеновой")).toEqual(["expert", "mention"]);
    expect(found("энергетиака")).toEqual(["energy"]); // extra letter
    expect(found("энргетка")).toEqual([]); // two in a word of 8: too far
    expect(found("Жеңус")).toEqual([]); // under 6 letters: exact only
    expect(search(names, "Шаймергенова")[0]!.score).toBeGreaterThan(search(names, "Шаймерденова")[0]!.score);
  });

  it("finds bare numbers however they are written, and figures with мың, тысяч, млрд", async () => {
    const figures = buildIndex([
      { value: "invest", title: "Инвестиции", body: "более $27 млрд" },
      { value: "jv", title: "Предприятия", body: "6 мыңнан астам" },
      { value: "docs", title: "Документы", body: "более 20 документов" },
    ]);
    const found = (query: string) => search(figures, query).map((hit) => hit.value);
    expect(found("27")).toEqual(["invest"]);
    expect(found("$27")).toEqual(["invest"]);
    expect(found("27 000 000 000")).toEqual(["invest"]);
    for (const query of ["6000", "6 000", "6,000", "6\u00a0000", "6 тысяч"]) expect(found(query)[0]).toBe("jv");
    expect(found("20")).toEqual(["docs"]);
    expect(found("2")).toEqual([]);
  });

  it("ranks documents matching more query words first", async () => {
    expect(search(index, "инвестиции торговля")[0]?.value).toBe("body-prefix");
  });

  it("matches Kazakh words typed with Russian look-alike letters, and the reverse", async () => {
    const kazakh = buildIndex([{ value: "kk", title: "Келісімдер", body: "Қол қойылған құжаттар" }]);
    expect(search(kazakh, "келисим").map((hit) => hit.value)).toEqual(["kk"]);
    expect(search(kazakh, "кужаттар").map((hit) => hit.value)).toEqual(["kk"]);
    const russian = buildIndex([{ value: "ru", title: "Китай", body: "" }]);
    // ы, і and и fold alike (typing in Latin does not keep them apart), so the Kazakh name finds the Russian one.
    expect(search(russian, "Қытай").map((hit) => hit.value)).toEqual(["ru"]);
    expect(search(russian, "Qytai").map((hit) => hit.value)).toEqual(["ru"]);
    expect(search(russian, "Жапония").length).toBe(0);
    expect(search(russian, "китай").map((hit) => hit.value)).toEqual(["ru"]);
  });

  it("answers junk and empty queries with nothing, without throwing", async () => {
    expect(search(index, "")).toEqual([]);
    expect(search(index, "!!! ??? ...")).toEqual([]);
    expect(search(index, "x".repeat(256))).toEqual([]);
    expect(tokenize("<b>&amp;</b>")).toEqual(["b", "amp", "b"]);
  });
});
