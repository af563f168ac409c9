import { describe, expect, it } from "vitest";
import { checkLanguage, localizedStrings } from "../src/content/check.js";
import { bundledContent } from "../src/content/index.js";
import { createContentLibrary } from "../src/content/library.js";
import { LOCALES } from "../src/shared/locale.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { joinBlocks, MAX_MESSAGE_CHARS, visibleLength } from "../src/render/format.js";
import { briefingRefs } from "../src/render/refs.js";
import { renderSection } from "../src/render/sections.js";
import { checkContent } from "../src/tools/content-check.js";

const content = bundledContent();

const i18n = createI18n();
const translators = { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") };
const briefing = content.latest;

describe("content module", () => {
  it("passes content:check (both languages, Kazakh letters, unique ids, Telegram limits)", async () => {
    expect(checkContent(content, translators)).toEqual([]);
  });

  it("has every text in both kk and ru", async () => {
    const strings = localizedStrings(briefing);
    expect(strings.length).toBeGreaterThan(40);
    for (const locale of LOCALES) expect(strings.some((entry) => entry.locale === locale)).toBe(true);
    for (const entry of strings) expect(entry.text.trim().length).toBeGreaterThan(0);
  });

  it("catches Russian look-alikes in Kazakh text and Kazakh letters in Russian text", async () => {
    expect(
      checkLanguage({ field: "x", locale: "kk", text: "Мемлекет басшысы Кытай торагасымен кездесип, келисимдерге кол койды" }),
    ).toHaveLength(1);
    expect(checkLanguage({ field: "x", locale: "kk", text: "Мемлекет басшысы Қытай Төрағасымен кездесті" })).toEqual([]);
    expect(checkLanguage({ field: "x", locale: "ru", text: "Визит в Қытай" })).toHaveLength(1);
    expect(checkLanguage({ field: "x", locale: "ru", text: "Визит в Kитай" })).toHaveLength(1);
  });

  it("rejects invalid briefings and duplicate ids when the library is built", async () => {
    expect(() => createContentLibrary([{ ...briefing, title: { kk: "", ru: "x" } }])).toThrow(/title\.kk/);
    expect(() => createContentLibrary([briefing, briefing])).toThrow(/duplicate briefing id/);
    expect(() => createContentLibrary([])).toThrow(/at least one/);
  });
});

describe("rendering within Telegram limits", () => {
  it("keeps every screen <= 4096 characters and every callback_data <= 64 bytes, in both languages and in groups", async () => {
    let screens = 0;
    for (const candidate of content.briefings) {
      for (const ref of [{ briefingId: candidate.id, section: "home" as const }, ...briefingRefs(candidate)]) {
        for (const locale of LOCALES) {
          for (const compact of [false, true]) {
            const { text, keyboard } = renderSection(candidate, ref, { locale, t: translators[locale], compact }, { hasOtherVisits: true });
            expect(visibleLength(text)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
            for (const button of keyboard.inline_keyboard.flat()) {
              if ("callback_data" in button) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
            }
            screens++;
          }
        }
      }
    }
    expect(screens).toBeGreaterThan(40);
  });

  it("fails a briefing whose whole rich message would pass Telegram's limits, naming the visit, the reading and the limit", async () => {
    // Fictional, for this test only: a sector with 500 points makes the whole briefing more than 500 blocks.
    const details = Array.from({ length: 500 }, (_, index) => ({ kk: `Тармақ ${index}`, ru: `Пункт ${index}` }));
    const crowded = { ...briefing, sectors: [{ ...briefing.sectors[0]!, details }, ...briefing.sectors.slice(1)] };
    const problems = checkContent(createContentLibrary([crowded]), translators).map((problem) => problem.message);
    for (const reading of ["kk", "ru", "kk latn"]) {
      expect(problems).toContainEqual(
        expect.stringMatching(new RegExp(`^cn25 whole briefing \\(${reading}, rich\\): \\d+ blocks, over 500$`)),
      );
    }
  });

  it("shortens an over-long text instead of failing, keeping the source line", async () => {
    const blocks = Array.from({ length: 50 }, (_, index) => `<b>${index}</b> ${"қ".repeat(200)}`);
    const text = joinBlocks(blocks, "<i>Дереккөз</i>");
    expect(visibleLength(text)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text.endsWith("…\n\n<i>Дереккөз</i>")).toBe(true);
  });

  it("escapes HTML in every dynamic piece", async () => {
    const tricky = structuredClone(briefing);
    tricky.overview.text = { kk: "<b>қ</b> & <script>", ru: "<i>x</i> & y" };
    const { text } = renderSection(tricky, { briefingId: tricky.id, section: "ov" }, { locale: "ru", t: translators.ru });
    expect(text).toContain("&lt;i&gt;x&lt;/i&gt; &amp; y");
  });
});
