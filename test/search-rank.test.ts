import { describe, expect, it } from "vitest";
import { tokenize } from "../src/search/normalize.js";
import { buildIndex, search } from "../src/search/rank.js";

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
