import { describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { refToPayload } from "../src/render/refs.js";
import { createCardSearch } from "../src/search/card-search.js";

const content = bundledContent();

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

/**
 * How people type, and the card each query must find first: the Cyrillic form, the 2021 Latin alphabet, the older
 * apostrophe variants, plain ASCII, Russian in Latin letters and words typed with the wrong keyboard layout.
 */
const TYPED: [query: string, locale: "kk" | "ru", first: string][] = [
  ["келісім", "kk", "cn25-ag"],
  ["kelisim", "kk", "cn25-ag"],
  ["kelısım", "kk", "cn25-ag"],
  ["KELISIM", "kk", "cn25-ag"],
  ["инвестиция", "kk", "cn25-fg"],
  ["investitsiya", "kk", "cn25-fg"],
  ["investitsiia", "kk", "cn25-fg"],
  ["Транскаспий", "kk", "cn25-sc-transp"],
  ["Transkaspiy", "kk", "cn25-sc-transp"],
  ["Лу Бань", "kk", "cn25-tl-d0830"],
  ["Lu Ban", "kk", "cn25-tl-d0830"],
  ["Шаймергенова", "kk", "cn25-qt-partner"],
  ["Şaimergenova", "kk", "cn25-qt-partner"],
  ["Shaimergenova", "kk", "cn25-qt-partner"],
  ["ШЫҰ", "kk", "cn25-tl-d0901"],
  ["ŞYŪ", "kk", "cn25-tl-d0901"],
  ["SHYU", "kk", "cn25-tl-d0901"],
  ["шеберхана", "kk", "cn25-ag"],
  ["şeberhana", "kk", "cn25-ag"],
  ["sheberhana", "kk", "cn25-ag"],
  ["s'eberhana", "kk", "cn25-ag"],
  ["мәдени орталық", "kk", "cn25-tl-d0902"],
  ["mädeni ortalyq", "kk", "cn25-tl-d0902"],
  ["madeni ortalyk", "kk", "cn25-tl-d0902"],
  ["Бейжің", "kk", "cn25-tl-d0902"],
  ["Beijıñ", "kk", "cn25-tl-d0902"],
  ["Beijing", "kk", "cn25-tl-d0902"],
  ["Си Цзиньпин", "kk", "cn25-tl-d0830"],
  ["Si Tszinpin", "kk", "cn25-tl-d0830"],
  ["Toqaev", "kk", "cn25-tl-d0901"],
  ["Tokayev", "kk", "cn25-tl-d0901"],
  ["инвестиции", "ru", "cn25-fg"],
  ["investicii", "ru", "cn25-fg"],
  ["соглашение", "ru", "cn25-ag"],
  ["soglashenie", "ru", "cn25-ag"],
  ["транскаспийский", "ru", "cn25-sc-transp"],
  ["transkaspiiskii", "ru", "cn25-sc-transp"],
  // The wrong layout: Russian typed on an English keyboard, and Latin typed on a Russian one.
  ["bydtcnbwbb", "ru", "cn25-fg"],
  ["cjukfitybt", "ru", "cn25-ag"],
  ["Дг Ифт", "kk", "cn25-tl-d0830"],
  ["лудшышь", "kk", "cn25-ag"],
  // Typos: one wrong, missing, extra or swapped letter in a word of 6+ letters, two in a word of 10+.
  ["Шаймерденова", "kk", "cn25-qt-partner"],
  ["Шаймергенва", "ru", "cn25-qt-partner"],
  ["Шаймерднова", "kk", "cn25-qt-partner"],
  ["Шаймерденева", "ru", "cn25-qt-partner"],
  ["Shaimerdenova", "kk", "cn25-qt-partner"],
  ["Şaimergenva", "kk", "cn25-qt-partner"],
  ["энергетиака", "ru", "cn25-sc-energy"],
  ["энергетка", "kk", "cn25-sc-energy"],
  ["Транскаспй", "kk", "cn25-sc-transp"],
  ["металургия", "ru", "cn25-sc"],
  ["металлургя", "ru", "cn25-sc"],
  ["инвестицыя", "kk", "cn25-fg"],
  ["Бейжінг", "kk", "cn25-tl-d0902"],
  // Every form of a word finds and ranks alike: the title that has the word comes first.
  ["соглашениями", "ru", "cn25-ag"],
  ["soglashenia", "ru", "cn25-ag"],
  ["келісімдермен", "kk", "cn25-ag"],
  ["келісімдерді", "kk", "cn25-ag"],
  ["орталығы", "kk", "cn25-tl-d0902"],
  ["энергетикадағы", "kk", "cn25-sc-energy"],
  // Names and terms across languages and scripts (content/aliases.yaml).
  ["SCO", "kk", "cn25-tl-d0901"],
  ["SCO", "ru", "cn25-tl-d0901"],
  ["ШОС", "kk", "cn25-tl-d0901"],
  ["ШЫҰ", "ru", "cn25-tl-d0901"],
  ["Xi Jinping", "kk", "cn25-tl-d0830"],
  ["Xi Jinping", "ru", "cn25-tl-d0830"],
  ["Си Цзиньпин", "ru", "cn25-tl-d0830"],
  ["Si Szinpin", "kk", "cn25-tl-d0830"],
  ["КНР", "kk", "cn25-tl-d0830"],
  ["ҚХР", "ru", "cn25-tl-d0830"],
  ["Пекин", "kk", "cn25-tl-d0902"],
  ["Бейжің", "ru", "cn25-tl-d0902"],
  ["Культурный центр", "kk", "cn25-tl-d0902"],
  ["Мәдени орталығы", "ru", "cn25-tl-d0902"],
  ["соглашения", "kk", "cn25-ag"],
  ["парад", "kk", "cn25-tl-d0903"],
  ["шеру", "ru", "cn25-tl-d0903"],
  ["Kassym-Jomart Tokayev", "ru", "cn25-tl-d0901"],
  ["Касым-Жомарт Токаев", "kk", "cn25-tl-d0901"],
  // Bare numbers find the card that states them, however the figure is written.
  ["27", "ru", "cn25-fg"],
  ["27", "kk", "cn25-fg"],
  ["$27", "kk", "cn25-fg"],
  ["6000", "kk", "cn25-fg"],
  ["6 000", "ru", "cn25-fg"],
  ["6,000", "kk", "cn25-fg"],
  ["6 мың", "ru", "cn25-fg"],
  ["6 тысяч", "kk", "cn25-fg"],
  ["80", "kk", "cn25-tl-d0903"],
  ["80", "ru", "cn25-tl-d0903"],
];

describe("search finds figures, and ranks titles first", () => {
  const i18n = createI18n();
  const cardSearch = createCardSearch(content, { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") });

  it.each([
    ["20", /\b20[ -]/],
    ["27", /\$27 млрд/],
    ["6000", /6 (мыңнан|тысяч)/],
    ["6 000", /6 (мыңнан|тысяч)/],
  ])("%s finds only cards that state it, the key figures among them", (figure, stated) => {
    for (const locale of ["kk", "ru"] as const) {
      const hits = cardSearch.find(figure, locale);
      expect(hits.map((hit) => refToPayload(hit.ref))).toContain("cn25-fg");
      for (const hit of hits) expect(hit.card.plainText).toMatch(stated);
    }
  });

  it("puts the card whose title has the word above cards that only mention it, in every form", () => {
    for (const [query, locale] of [
      ["соглашения", "ru"],
      ["соглашение", "ru"],
      ["соглашений", "ru"],
      ["келісім", "kk"],
      ["келісімдер", "kk"],
      ["келісімдерге", "kk"],
    ] as const) {
      const [top, second] = cardSearch.find(query, locale);
      expect(refToPayload(top!.ref), query).toBe("cn25-ag");
      expect(top!.score, query).toBeGreaterThan(second!.score);
    }
  });
});

describe("search understands how people type", () => {
  const i18n = createI18n();
  const cardSearch = createCardSearch(content, { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") });

  it.each(TYPED)("%s (%s) finds %s first", (query, locale, first) => {
    const [top] = cardSearch.find(query, locale);
    expect(top && `${refToPayload(top.ref)}`).toBe(first);
    expect(top?.card.locale).toBe(locale);
  });
});
