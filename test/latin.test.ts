import { describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { localizedStrings } from "../src/content/check.js";
import { createTranslators } from "../src/i18n.js";
import { MAX_MESSAGE_CHARS, visibleLength } from "../src/render/format.js";
import { inScript } from "../src/render/script.js";
import { checkRenderedLimits, checkScriptScreen } from "../src/render/limits.js";
import { briefingRefs } from "../src/render/refs.js";
import { renderSection } from "../src/render/sections.js";
import { renderShareableCard } from "../src/render/share-card.js";
import { createDigestRenderer } from "../src/render/digest.js";
import { CYRILLIC, LATIN_2021, toLatin } from "../src/shared/latin.js";
import { toReaderScriptHtml } from "../src/shared/script.js";
import { checkScriptText } from "../src/tools/content-check.js";

const content = bundledContent();

const briefing = content.latest;
const translators = createTranslators();

describe("the 2021 letter table", () => {
  // Every letter of the Kazakh Cyrillic alphabet (42), small and capital, in a word and in an all-capitals word.
  const TABLE: [cyrillic: string, small: string, capital: string, allCapitals: string][] = [
    ["а", "a", "A", "A"],
    ["ә", "ä", "Ä", "Ä"],
    ["б", "b", "B", "B"],
    ["в", "v", "V", "V"],
    ["г", "g", "G", "G"],
    ["ғ", "ğ", "Ğ", "Ğ"],
    ["д", "d", "D", "D"],
    ["е", "e", "E", "E"],
    ["ё", "io", "İo", "İO"],
    ["ж", "j", "J", "J"],
    ["з", "z", "Z", "Z"],
    ["и", "i", "İ", "İ"],
    ["й", "i", "İ", "İ"],
    ["к", "k", "K", "K"],
    ["қ", "q", "Q", "Q"],
    ["л", "l", "L", "L"],
    ["м", "m", "M", "M"],
    ["н", "n", "N", "N"],
    ["ң", "ñ", "Ñ", "Ñ"],
    ["о", "o", "O", "O"],
    ["ө", "ö", "Ö", "Ö"],
    ["п", "p", "P", "P"],
    ["р", "r", "R", "R"],
    ["с", "s", "S", "S"],
    ["т", "t", "T", "T"],
    ["у", "u", "U", "U"],
    ["ұ", "ū", "Ū", "Ū"],
    ["ү", "ü", "Ü", "Ü"],
    ["ф", "f", "F", "F"],
    ["х", "h", "H", "H"],
    ["һ", "h", "H", "H"],
    ["ц", "ts", "Ts", "TS"],
    ["ч", "ch", "Ch", "CH"],
    ["ш", "ş", "Ş", "Ş"],
    ["щ", "şş", "Şş", "ŞŞ"],
    ["ъ", "", "", ""],
    ["ы", "y", "Y", "Y"],
    ["і", "ı", "I", "I"],
    ["ь", "", "", ""],
    ["э", "e", "E", "E"],
    ["ю", "iu", "İu", "İU"],
    ["я", "ia", "İa", "İA"],
  ];

  it("covers the 42 letters of the Kazakh Cyrillic alphabet, and only them", () => {
    expect(TABLE).toHaveLength(42);
    expect(Object.keys(LATIN_2021).sort()).toEqual(TABLE.map(([letter]) => letter).sort());
  });

  it.each(TABLE)("%s → %s, %s in a word, %s in an all-capitals word", (letter, small, capital, allCapitals) => {
    expect(toLatin(letter)).toBe(small);
    expect(toLatin(`${letter.toUpperCase()}а`)).toBe(`${capital}a`);
    expect(toLatin(`${letter.toUpperCase()}${letter.toUpperCase()}А`)).toBe(`${allCapitals}${allCapitals}A`);
  });

  it("transliterates the source's own sample as the source does", () => {
    expect(toLatin("Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне келіп қоныпты.")).toBe(
      "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne kelıp qonypty.",
    );
  });

  it.each([
    ["Тоқаев", "Toqaev"],
    ["Қазақстан", "Qazaqstan"],
    ["Си Цзиньпин", "Si Tszinpin"],
    ["Шаймергенова", "Şaimergenova"],
    ["Бейжің", "Beijıñ"],
    ["ШЫҰ", "ŞYŪ"],
    ["ҚХР", "QHR"],
    ["«Лу Бань»", "«Lu Ban»"],
    ["Гүлнар", "Gülnar"],
  ])("writes the name %s as %s", (name, latin) => {
    expect(toLatin(name)).toBe(latin);
  });

  it("leaves Latin letters, digits and punctuation as they are", () => {
    expect(toLatin("BAQ.KZ, $27 млрд — 6 000+")).toBe("BAQ.KZ, $27 mlrd — 6 000+");
  });

  it("never touches tags or entities", () => {
    expect(toReaderScriptHtml('<b>Келісім</b> &amp; <a href="https://t.me/бот">сілтеме</a> &lt;шеру&gt;', "latn")).toBe(
      '<b>Kelısım</b> &amp; <a href="https://t.me/бот">sılteme</a> &lt;şeru&gt;',
    );
  });
});

describe("every content string and screen in Latin", () => {
  it("transliterates every Kazakh string of the content with no Cyrillic left", () => {
    const kazakh = localizedStrings(briefing).filter(({ locale }) => locale === "kk");
    expect(kazakh.length).toBeGreaterThan(50);
    for (const { field, text } of kazakh) expect({ field, latin: CYRILLIC.test(toLatin(text)) }).toEqual({ field, latin: false });
    expect(checkScriptText(briefing)).toEqual([]);
  });

  it("content:check names a Kazakh string a letter of which the table does not know", () => {
    const broken = structuredClone(briefing);
    broken.overview.text.kk = "Ҷ";
    expect(checkScriptText(broken)).toEqual([
      { field: "overview.text.kk", message: "Cyrillic left in Latin: Ҷ" },
      { field: "overview.text.kk", message: "Cyrillic left in the Arabic script: Ҷ" },
    ]);
  });

  it("renders every screen of every section in Latin: no Cyrillic, HTML intact, within Telegram's limits", () => {
    expect(checkRenderedLimits(briefing, translators, false)).toEqual([]);
    for (const ref of [{ briefingId: briefing.id, section: "home" as const }, ...briefingRefs(briefing)]) {
      for (const compact of [false, true]) {
        const cyrillic = renderSection(briefing, ref, { locale: "kk", t: translators.kk, compact, script: "latn" });
        const latin = inScript(cyrillic, "latn");
        expect(checkScriptScreen(cyrillic, "latn", ref.section)).toEqual([]);
        // Callback data never changes (what a copy button copies is the reader's text, in their script).
        const data = (screen: typeof latin) =>
          screen.keyboard.inline_keyboard.flat().map((button) => JSON.stringify({ ...button, text: "", copy_text: undefined }));
        expect(data(latin)).toEqual(data(cyrillic));
      }
    }
  });

  it("marks a transliterated quote as such", () => {
    const quote = briefing.quotes[0]!;
    const ref = { briefingId: briefing.id, section: "qt" as const, itemId: quote.id };
    const latin = inScript(renderSection(briefing, ref, { locale: "kk", t: translators.kk, script: "latn" }), "latn");
    expect(latin.text).toContain(toLatin(quote.textKk));
    expect(latin.text).toContain(toLatin(translators.kk("quote-transliteration-note")));
    const cyrillic = renderSection(briefing, ref, { locale: "kk", t: translators.kk });
    expect(cyrillic.text).not.toContain(translators.kk("quote-transliteration-note"));
  });

  it("renders shareable cards and digests in Latin within the limits", () => {
    for (const ref of briefingRefs(briefing)) {
      const card = renderShareableCard(briefing, ref, { locale: "kk", t: translators.kk, compact: true, script: "latn" }, "bot");
      const latin = toReaderScriptHtml(card.text, "latn");
      expect(CYRILLIC.test(latin.replace(/<[^>]*>/g, ""))).toBe(false);
      expect(visibleLength(latin)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    const digest = createDigestRenderer(content, translators).render("kk", null, null, "latn")!;
    expect(CYRILLIC.test(digest.text.replace(/<[^>]*>/g, ""))).toBe(false);
    expect(visibleLength(digest.text)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(digest.keyboard.inline_keyboard.flat().every((button) => !CYRILLIC.test(button.text))).toBe(true);
  });
});
