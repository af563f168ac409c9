import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import type { Locale } from "../src/shared/locale.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { stripHtml } from "../src/render/format.js";
import { briefingRefs } from "../src/render/refs.js";
import { renderSection } from "../src/render/sections.js";
import { inScript } from "../src/render/script.js";

const content = bundledContent();

const i18n = createI18n();
const briefing = content.get("cn25")!;
/** The article itself, kept beside the content it was written from. */
const source = readFileSync(join(import.meta.dirname, "../src/content/sources/china-2025.baq-kz.kk.txt"), "utf8");

/** Every screen as a Cyrillic reader gets it: through the edge, which writes the content's names in their form. */
function rendered(locale: Locale): string {
  const t = translatorFor(i18n, locale);
  return [{ briefingId: briefing.id, section: "home" as const }, ...briefingRefs(briefing)]
    .map((ref) => stripHtml(inScript(renderSection(briefing, ref, { locale, t }), "cyrl").text))
    .join("\n")
    .replace(/\s+/g, " ");
}

/** The article's facts, each as it must read in the Kazakh and the Russian briefing. */
const FACTS: { fact: string; kk: RegExp; ru: RegExp }[] = [
  { fact: "visit starts 31 Aug", kk: /31 тамыз/, ru: /31 августа/ },
  { fact: "visit ends 3 Sep 2025", kk: /3 қыркүйек/, ru: /3 сентября 2025/ },
  { fact: "30 Aug, on the eve: meeting with Xi Jinping", kk: /30 тамыз.*Си Цзиньпинмен кездес/, ru: /30 августа.*Си Цзиньпином/ },
  { fact: "20+ documents", kk: /20-дан астам құжат/, ru: /более 20 документов/ },
  {
    fact: "areas of the documents",
    kk: /энергетика, көлік-логистика, білім беру және экология/,
    ru: /энергетики, транспорта и логистики, образования и экологии/,
  },
  { fact: "two more Lu Ban workshops", kk: /қосымша екі «Лу Бань» шеберханасы/, ru: /ещё две мастерские «Лу Бань»/ },
  { fact: "Year of Culture projects", kk: /мәдениет жылы аясында бірлескен жобалар/, ru: /совместных проектов в рамках Года культуры/ },
  { fact: "SCO speech on 1 Sep", kk: /1 қыркүйек.*ШЫҰ саммитінде сөз сөйлеп/, ru: /1 сентября.*выступил на саммите ШОС/ },
  {
    fact: "Cultural Center in Beijing on 2 Sep",
    kk: /2 қыркүйек.*Бейжіңде Қазақстанның Мәдени орталығын ашып/,
    ru: /2 сентября.*открыл в Пекине Культурный центр Казахстана/,
  },
  {
    fact: "parade on 3 Sep, 80th anniversary of Victory",
    kk: /3 қыркүйек.*Жеңістің 80 жылдығына арналған әскери шеруге/,
    ru: /3 сентября.*военном параде.*80-летию Победы/,
  },
  { fact: "direction: transport and logistics", kk: /Көлік және логистика/, ru: /Транспорт и логистика/ },
  { fact: "direction: energy and production", kk: /Энергетика мен өндіріс/, ru: /Энергетика и производство/ },
  { fact: "direction: agro and digital", kk: /Агросектор және цифрлық технология/, ru: /Агросектор и цифровые технологии/ },
  { fact: "direction: humanitarian ties", kk: /Гуманитарлық байланыстар/, ru: /Гуманитарные связи/ },
  { fact: "Trans-Caspian route", kk: /Транскаспий бағытының/, ru: /Транскаспийского маршрута/ },
  { fact: "$27 bn of Chinese investment", kk: /\$27 млрд-тан астам/, ru: /более \$27 млрд/ },
  { fact: "6,000+ joint ventures", kk: /6 мыңнан астам.*бірлескен кәсіпорын/, ru: /более 6 тысяч.*совместных предприятий/ },
  {
    fact: "the expert's name and role",
    kk: /Гүлнар Шаймергенова, Қытайды зерттеу орталығының директоры/,
    ru: /Гульнар Шаймергенова, директор Центра изучения Китая/,
  },
  { fact: "qualitative depth", kk: /«сапалық тереңдікке»/, ru: /«качественной глубине»/ },
  { fact: "priorities", kk: /Транскаспий дәлізін жеделдету/, ru: /ускорить развитие Транскаспийского коридора/ },
  {
    fact: "the parade was in China",
    kk: /Қытайдағы Жеңістің 80 жылдығына арналған әскери шеру/,
    ru: /Военный парад в Китае, посвящённый 80-летию Победы/,
  },
  {
    fact: "opening two more Lu Ban workshops was agreed (figures)",
    kk: /2 — Қазақстанда қосымша ашу келісілген «Лу Бань» шеберханасы/,
    ru: /2 — мастерские «Лу Бань», которые договорились дополнительно открыть в Казахстане/,
  },
  {
    fact: "opening the workshops and the Year of Culture projects was agreed (humanitarian ties)",
    kk: /қосымша екі «Лу Бань» шеберханасын ашу және мәдениет жылы аясында бірлескен жобаларды іске асыру келісілді/,
    ru: /Достигнута договорённость об открытии в Казахстане ещё двух мастерских «Лу Бань» и о реализации совместных проектов/,
  },
  {
    fact: "6,000+ joint ventures work (no place added), as the expert says",
    kk: /6 мыңнан астам — сарапшының айтуынша, жұмыс істеп тұрған бірлескен кәсіпорын/,
    ru: /более 6 тысяч — совместных предприятий, по словам эксперта, работает(?! в)/,
  },
  {
    fact: "the $27 bn of investment is the expert's figure",
    kk: /\$27 млрд-тан астам — сарапшының айтуынша, Қытайдың Қазақстан экономикасына құйған инвестициясы/,
    ru: /более \$27 млрд — инвестиций Китая в экономику Казахстана, по словам эксперта/,
  },
  {
    fact: "the four directions are the expert's view",
    kk: /4 — сарапшының пікірінше, сапар айқындаған маңызды бағыт/,
    ru: /4 — важных направления, которые, по мнению эксперта, обозначил визит/,
  },
  {
    fact: "the next goal is the expert's view",
    kk: /Гүлнар Шаймергенованың айтуынша, ендігі мақсат – «сапалық тереңдікке» көшу/,
    ru: /По словам Гульнар Шаймергеновой, следующая цель — переход к «качественной глубине»/,
  },
  { fact: "the article's date as an adverbial", kk: /2025 жылғы 5 қыркүйекте жарияланған/, ru: /от 5 сентября 2025 г\./ },
];

/** Claims stronger than the article's, or facts it does not give: none may come back. */
const NOT_IN_ARTICLE: { claim: string; kk?: RegExp; ru?: RegExp }[] = [
  { claim: "workshops that will open (the article: opening was agreed)", kk: /ашылады|ашылатын/, ru: /откроются|будут открыты/ },
  {
    claim: "the expert's figures as established facts (a figure's label without her)",
    kk: /(?<!айтуынша, )(Қытайдың Қазақстан экономикасына құйған инвестициясы|жұмыс істеп тұрған бірлескен кәсіпорын)/,
    ru: /(инвестиций Китая в экономику Казахстана(?!, по словам)|совместных предприятий работает)/,
  },
  { claim: "joint ventures placed in Kazakhstan", ru: /предприятий работа\S* в Казахстане/, kk: /Қазақстанда.{0,40}бірлескен кәсіпорын/ },
  { claim: "a parade that reads as Moscow's", ru: /Парад к 80-летию Победы/ },
  { claim: "'not … but' for 'not only'", ru: /запомнился не декларациями/ },
  {
    claim: "the expert's directions as the visit's own",
    ru: /направления сотрудничества, обозначенные визитом/,
    kk: /сапар айқындаған ынтымақтастық бағыты/,
  },
];

describe("facts of the article in the rendered briefing", () => {
  const text = { kk: rendered("kk"), ru: rendered("ru") };

  it.each(FACTS)("$fact", ({ kk, ru }) => {
    expect(text.kk).toMatch(kk);
    expect(text.ru).toMatch(ru);
  });

  it("quotes both of the expert's statements verbatim from the Kazakh article, in both briefings", async () => {
    expect(briefing.quotes.length).toBeGreaterThanOrEqual(2);
    for (const quote of briefing.quotes) {
      // The quoted sentences end as the article's do: with a full stop, where the article goes on ", – дейді сарапшы".
      expect(quote.textKk).toMatch(/\.$/);
      expect(quote.translationRu).toMatch(/\.$/);
      expect(source).toContain(`${quote.textKk.slice(0, -1)}, – дейді сарапшы`);
      expect(text.kk).toContain(quote.textKk);
      expect(text.ru).toContain(quote.textKk);
      expect(text.ru).toContain(quote.translationRu);
    }
    expect(text.ru).toContain("Перевод с казахского");
  });

  it.each(NOT_IN_ARTICLE)("does not say: $claim", ({ kk, ru }) => {
    if (kk) expect(text.kk).not.toMatch(kk);
    if (ru) expect(text.ru).not.toMatch(ru);
  });

  it("names its source on every screen", async () => {
    const t = { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") };
    for (const ref of briefingRefs(briefing)) {
      expect(renderSection(briefing, ref, { locale: "kk", t: t.kk }).text).toContain("Дереккөз: BAQ.KZ, 2025 жылғы 5 қыркүйек");
      expect(renderSection(briefing, ref, { locale: "ru", t: t.ru }).text).toContain(
        "Источник: BAQ.KZ, 5 сентября 2025 г. (на казахском языке)",
      );
    }
  });

  it("uses only numbers that appear in the article", async () => {
    const numbersInSource = new Set(source.match(/\d+/g));
    for (const locale of ["kk", "ru"] as const) {
      const numbers = text[locale].match(/\d+/g) ?? [];
      const foreign = numbers.filter((number) => !numbersInSource.has(number) && !["2025", "5", "4", "05"].includes(number));
      expect({ locale, foreign }).toEqual({ locale, foreign: [] });
    }
  });
});
