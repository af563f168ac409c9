import { describe, expect, it } from "vitest";
import { fold, stem } from "../src/search/normalize.js";

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
