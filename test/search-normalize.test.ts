import { describe, expect, it } from "vitest";
import { fold, stem, swapLayout, tokenize } from "../src/search/normalize.js";

describe("fold", () => {
  it.each([
    ["Келісім", "kelisim"],
    ["КЕЛІСІМ", "kelisim"],
    ["Шеберханасы «Лу Бань»", "seberhanasi «lu ban»"],
    ["Әскери шеру", "askeri seru"],
    ["Ғылым, Қытай, Ұлттық, Үкімет, Өнім, Жаңа, Һ", "gilim, kitai, ulttik, ukimet, onim, jana, h"],
    ["Зелёная", "zelenaia"],
  ])("%s → %s", (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  // Every way a word is typed folds to the form its Cyrillic spelling folds to.
  it.each([
    ["келісім", ["kelisim", "kelısım", "KELISIM", "kelіsіm"]],
    ["шеберхана", ["şeberhana", "sheberhana", "s'eberhana", "sheberkhana"]],
    ["Қазақстан", ["Qazaqstan", "qazaqstan", "Kazakstan"]],
    ["ұлттық", ["ūlttyq", "u'lttyq", "ulttyk"]],
    ["үкімет", ["ükımet", "u'kimet", "ukimet"]],
    ["жаңа", ["jaña", "zhana", "jan'a", "zhanga"]],
    ["ғылым", ["ğylym", "ghylym", "g'ylym", "gylym"]],
    ["инвестиция", ["investitsiya", "investitsiia", "investiciya", "ınvestitsiia"]],
    ["соглашение", ["soglashenie", "SOGLASHENIE"]],
    ["Транскаспий", ["Transkaspiy", "Transkaspii"]],
    ["Лу Бань", ["Lu Ban", "lu ban'"]],
    ["Шаймергенова", ["Şaimergenova", "Shaimergenova", "Shaymergenova"]],
    ["Бейжің", ["Beijıñ", "Beijing", "Beijin'"]],
  ])("%s ← %j", (cyrillic, typed) => {
    for (const form of typed) expect(tokenize(form).map(stem)).toEqual(tokenize(cyrillic).map(stem));
  });
});

describe("swapLayout", () => {
  it.each([
    ["bydtcnbwbb", "инвестиции"],
    ["cjukfitybt", "соглашение"],
    ["Дг Ифт", "lu ban"],
    ["лудшышь", "kelisim"],
  ])("%s → %s", (typed, meant) => {
    expect(swapLayout(typed)).toBe(meant);
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
    expect(new Set(forms.map((form) => stem(fold(form)))).size).toBe(1);
  });

  it("never cuts a word below four letters", async () => {
    expect(stem(fold("шоса"))).toBe("sosa");
    expect(stem("ii")).toBe("ii");
  });
});
