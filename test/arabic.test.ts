import type { InlineQueryResultArticle } from "grammy/types";
import { InlineKeyboard } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { loadContent } from "../src/content/loader.js";
import { createTranslators } from "../src/i18n.js";
import { encodeCallback, decodeCallback } from "../src/render/callback-data.js";
import { checkRenderedLimits, checkScriptScreen } from "../src/render/limits.js";
import { renderSection } from "../src/render/sections.js";
import { ARABIC_KAZAKH, fromArabic, HIGH_HAMZA, toArabic } from "../src/shared/arabic.js";
import { CYRILLIC, LATIN_2021 } from "../src/shared/latin.js";
import { isRightToLeft } from "../src/shared/locale.js";
import { keepAsWritten, toReaderScript, toReaderScriptHtml, transliterate } from "../src/shared/script.js";
import { fold } from "../src/search/normalize.js";
import { copyContent, editContentFile, writeContentFile } from "./support/content-folder.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, cardText, lastMessageIn, pressIn, shownText } from "./support/keyboard.js";
import { inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const translators = createTranslators();
/** Text without tags: what a reader sees. */
const visible = (html: string) => html.replace(/<[^>]*>/g, "");
/** Bidi isolates and marks, which a reader does not see. */
const unmarked = (text: string) => text.replace(/[\u2066-\u2069\u200F]/g, "");
const LRI = "\u2066";
const FSI = "\u2068";
const PDI = "\u2069";
const RLM = "\u200F";

describe("the Arabic-script letter table", () => {
  // Every letter of the Kazakh Cyrillic alphabet (42), alone, in a back word (no hamza) and its capital.
  const TABLE: [cyrillic: string, arabic: string][] = [
    ["а", "ا"],
    ["ә", "ا"],
    ["б", "ب"],
    ["в", "ۆ"],
    ["г", "گ"],
    ["ғ", "ع"],
    ["д", "د"],
    ["е", "ە"],
    ["ё", "يو"],
    ["ж", "ج"],
    ["з", "ز"],
    ["и", "ي"],
    ["й", "ي"],
    ["к", "ك"],
    ["қ", "ق"],
    ["л", "ل"],
    ["м", "م"],
    ["н", "ن"],
    ["ң", "ڭ"],
    ["о", "و"],
    ["ө", "و"],
    ["п", "پ"],
    ["р", "ر"],
    ["с", "س"],
    ["т", "ت"],
    ["у", "ۋ"],
    ["ұ", "ۇ"],
    ["ү", "ۇ"],
    ["ф", "ف"],
    ["х", "ح"],
    ["һ", "ھ"],
    ["ц", "تس"],
    ["ч", "چ"],
    ["ш", "ش"],
    ["щ", "شش"],
    ["ъ", ""],
    ["ы", "ى"],
    ["і", "ى"],
    ["ь", ""],
    ["э", "ە"],
    ["ю", "يۋ"],
    ["я", "يا"],
  ];

  it("covers the 42 letters of the Kazakh Cyrillic alphabet, the same as the Latin table", () => {
    expect(TABLE).toHaveLength(42);
    expect(Object.keys(ARABIC_KAZAKH).sort()).toEqual(TABLE.map(([letter]) => letter).sort());
    expect(Object.keys(ARABIC_KAZAKH).sort()).toEqual(Object.keys(LATIN_2021).sort());
  });

  it.each(TABLE)("%s → %s, small and capital (the script has no case), the hamza aside", (letter, arabic) => {
    // "қ" makes the word back, so no hamza whatever the letter: the table's letter alone.
    expect(toArabic(`қ${letter}`)).toBe(`ق${arabic}`);
    expect(toArabic(`Қ${letter.toUpperCase()}`)).toBe(`ق${arabic}`);
  });

  it.each([
    // A front word (ә ө ү і) without ە, ك or گ gets the high hamza before it.
    ["білім", "ٴبىلىم"],
    ["Мәзір", "ٴمازىر"],
    ["бөлім", "ٴبولىم"],
    ["үй", "ٴۇي"],
    ["сөз", "ٴسوز"],
    ["Тіл", "ٴتىل"],
    // A word with ە, ك or گ says it is front itself: no hamza.
    ["төте", "توتە"],
    ["келісім", "كەلىسىم"],
    ["гүл", "گۇل"],
    ["күн", "كۇن"],
    ["Шаймергенова", "شايمەرگەنوۆا"],
    // A word with ق or ع is back: never a hamza, front letters or not.
    ["Қазақша", "قازاقشا"],
    ["ғылым", "عىلىم"],
    ["Төрағасы", "توراعاسى"],
    ["құжат", "قۇجات"],
    // A back word: no hamza.
    ["сапар", "ساپار"],
    ["бастау", "باستاۋ"],
    ["Ұлы", "ۇلى"],
    // Russian loan letters, by their sounds (decision 0028).
    ["Цзиньпин", "تسزينپين"],
    ["экология", "ەكولوگييا"],
    ["ёлка", "يولكا"],
    ["щи", "ششي"],
    ["чай", "چاي"],
    ["съезд", "سەزد"],
    ["юрта", "يۋرتا"],
    ["вагон", "ۆاگون"],
    ["фильм", "فيلم"],
    ["химия", "حيمييا"],
    ["шаһар", "شاھار"],
  ])("writes %s as %s", (word, arabic) => {
    expect(toArabic(word)).toBe(arabic);
  });

  it("writes «төте» without a hamza and «білім» with one, as Baitursynov's rule has it", () => {
    expect(toArabic("төте")).not.toContain(HIGH_HAMZA);
    expect(toArabic("білім").startsWith(HIGH_HAMZA)).toBe(true);
  });

  it("puts the hamza before each front word of a sentence, and Arabic punctuation after Arabic letters", () => {
    expect(toArabic("Иә, білім мен ғылым?")).toBe("ٴيا، ٴبىلىم مەن عىلىم؟");
    expect(toArabic("1,5 млрд")).toBe("1,5 ملرد");
  });

  it("reads the Arabic script back as Cyrillic for search", () => {
    expect(fromArabic("كەلىسىم")).toBe("келысым");
    expect(fold("كەلىسىم")).toBe(fold("келісім"));
    expect(fold("ٴبىلىم")).toBe(fold("білім"));
    expect(fold("قازاقستان")).toBe(fold("Қазақстан"));
    expect(fold("ٵلەم")).toBe(fold("әлем"));
    expect(fold("٢٠٢٥")).toBe("2025");
  });
});

describe("the edge in the Arabic script", () => {
  it("is right to left, and only the Arabic script is", () => {
    expect(isRightToLeft("arab")).toBe(true);
    expect(isRightToLeft("latn")).toBe(false);
    expect(isRightToLeft("cyrl")).toBe(false);
  });

  it("never touches tags, attributes or entities, and isolates digits and Latin left to right", () => {
    const html = '<b>Келісім</b> &amp; <a href="https://t.me/бот">сілтеме</a> &lt;шеру&gt;';
    expect(toReaderScriptHtml(html, "arab")).toBe('<b>كەلىسىم</b> &amp; <a href="https://t.me/бот">سىلتەمە</a> &lt;شەرۋ&gt;');
    expect(toReaderScript("Дереккөз: BAQ.KZ, 2025 жылғы 5 қыркүйек", "arab")).toBe(
      `دەرەككوز: ${LRI}BAQ.KZ${PDI}, ${LRI}2025${PDI} جىلعى ${LRI}5${PDI} قىركۇيەك`,
    );
    expect(toReaderScript("20-дан астам", "arab")).toBe(`${LRI}20${PDI}-دان استام`);
  });

  it("starts a line that starts with a figure with the right-to-left mark", () => {
    expect(toReaderScriptHtml("<b>2025 жылғы</b>\n• 20 құжат\nсапар", "arab")).toBe(
      `<b>${RLM}${LRI}2025${PDI} جىلعى</b>\n${RLM}• ${LRI}20${PDI} قۇجات\nساپار`,
    );
  });

  it("is idempotent: a string already written passes the edge again unchanged", () => {
    const once = transliterate(`🌐 Тіл / ${keepAsWritten("Язык")} 2025`, "arab");
    expect(transliterate(once, "arab")).toBe(once);
    expect(toReaderScriptHtml(toReaderScriptHtml("2025 жылғы 5 қыркүйек", "arab"), "arab")).toBe(
      toReaderScriptHtml("2025 жылғы 5 қыркүйек", "arab"),
    );
  });

  it("keeps a span marked as written in every script: a Russian word is never run through a Kazakh table", () => {
    const label = translators.kk("button-language");
    expect(toReaderScript(label, "cyrl")).toBe("🌐 Тіл / Язык");
    expect(toReaderScript(label, "latn")).toBe("🌐 Tıl / Язык");
    expect(toReaderScript(label, "arab")).toBe(`🌐 ٴتىل / ${FSI}Язык${PDI}`);
  });

  it("writes buttons in the script and leaves their callback data and URLs alone", () => {
    const ref = { briefingId: briefing.id, section: "sc" as const, itemId: briefing.sectors[0]!.id };
    const cyrillic = renderSection(briefing, ref, { locale: "kk", t: translators.kk, script: "arab" });
    expect(checkScriptScreen(cyrillic, "arab", "sector")).toEqual([]);
    const keyboard = new InlineKeyboard().text("Артқа", "v1:x").url("Сілтеме", "https://baq.kz/");
    expect(checkScriptScreen({ text: "ок", keyboard }, "arab", "x")).toEqual([]);
  });
});

describe("content in the Arabic script", () => {
  it("renders every screen with no Cyrillic left but the kept spans, HTML intact, within the limits", () => {
    expect(checkRenderedLimits(briefing, translators, false)).toEqual([]);
  });

  it("content:check fails when Cyrillic is left in the Arabic output of a screen", () => {
    const broken = structuredClone(briefing);
    broken.sectors[0]!.title.kk = "Ҷ сала";
    const ref = { briefingId: broken.id, section: "sc" as const, itemId: broken.sectors[0]!.id };
    const cyrillic = renderSection(broken, ref, { locale: "kk", t: translators.kk, script: "arab" });
    expect(checkScriptScreen(cyrillic, "arab", "sc")).toContain("sc: Cyrillic left in the Arabic script: Ҷ");
  });

  it("writes Xi Jinping by the names table: pinyin in Latin, the Kazakh form by the table in the Arabic script", () => {
    const ref = { briefingId: briefing.id, section: "tl" as const, itemId: "d0830" };
    const screen = (script: "cyrl" | "latn" | "arab") =>
      toReaderScriptHtml(renderSection(briefing, ref, { locale: "kk", t: translators.kk, script }).text, script);
    expect(screen("cyrl")).toContain("Си Цзиньпинмен кездесу");
    expect(screen("latn")).toContain("Xi Jinpingmen kezdesu");
    expect(screen("latn")).not.toContain("Tszinpin");
    expect(screen("arab")).toContain("سي تسزينپينمەن كەزدەسۋ");
    // The Russian text keeps its own spelling; the marks never reach a reader.
    expect(toReaderScriptHtml(renderSection(briefing, ref, { locale: "ru", t: translators.ru }).text, "cyrl")).toContain("Си Цзиньпином");
    expect(screen("cyrl")).not.toMatch(/[\uE000-\uE002]/);
  });
});

describe("the names table", () => {
  let folder: string;
  let remove: () => void;
  beforeEach(() => {
    ({ folder, remove } = copyContent());
  });
  afterEach(() => remove());

  it("refuses a Latin form with other letters, and a name that no Kazakh text has", () => {
    writeContentFile(folder, "names.yaml", "names:\n  - kk: Си Цзиньпин\n    latn: Си Jinping\n  - kk: Мао Цзэдун\n    latn: Mao Zedong\n");
    const result = loadContent(folder);
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((problem) => `${problem.field}: ${problem.message}`);
    expect(messages).toEqual(["names.0.latn: the Latin form: Latin words"]);
    editContentFile(folder, "names.yaml", "Си Jinping", "Xi Jinping");
    const second = loadContent(folder);
    expect(second.ok ? [] : second.problems.map((problem) => problem.message)).toEqual(['"Мао Цзэдун" is in no Kazakh text of any visit']);
  });
});

describe("Kazakh in the Arabic script, through the bot", () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => harness.close());

  const sector = briefing.sectors[0]!;
  const sectorRef = { briefingId: briefing.id, section: "sc" as const, itemId: sector.id };
  const quote = briefing.quotes[0]!;
  const quoteRef = { briefingId: briefing.id, section: "qt" as const, itemId: quote.id };

  async function arabicReader() {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/language"));
    const picker = lastMessageIn(harness, user.id);
    expect(picker.text).toContain(toArabic(translators.kk("language-pick")));
    const arabic = callbackButtons(picker.reply_markup).find((button) => button.text === "قازاقشا (توتە)")!;
    expect(decodeCallback(arabic.callback_data)).toEqual({ kind: "language", language: "kk", script: "arab" });
    await pressIn(harness, user, user.id, arabic.callback_data);
    return user;
  }

  it("is a fourth choice, stored, and applies to screens, toasts and replies", async () => {
    const user = await arabicReader();
    expect(await harness.store.getUser(user.id)).toMatchObject({ language: "kk", script: "arab" });
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toBe(toArabic("Тіл сақталды: қазақша (төте)."));
    const home = lastMessageIn(harness, user.id);
    expect(CYRILLIC.test(visible(home.text))).toBe(false);
    // The 🌐 button keeps «Язык» as written, isolated from the right-to-left label.
    expect(callbackButtons(home.reply_markup).map((button) => button.text)).toContain(`🌐 ٴتىل / ${FSI}Язык${PDI}`);

    await harness.send(messageUpdate(user, "/sectors"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: sectorRef }));
    const card = lastMessageIn(harness, user.id);
    expect(unmarked(card.text)).toContain(toArabic(sector.title.kk));
    expect(CYRILLIC.test(visible(card.text))).toBe(false);
    for (const button of callbackButtons(card.reply_markup)) expect(CYRILLIC.test(button.text)).toBe(false);

    await harness.send(messageUpdate(user, "/help"));
    expect(CYRILLIC.test(visible(lastMessageIn(harness, user.id).text))).toBe(false);
    await harness.send(messageUpdate(user, "/settings"));
    const settings = lastMessageIn(harness, user.id);
    expect(CYRILLIC.test(visible(settings.text))).toBe(false);
  });

  it("finds cards by a query typed in the Arabic script", async () => {
    const user = await arabicReader();
    await harness.send(messageUpdate(user, "كەلىسىم"));
    const found = lastMessageIn(harness, user.id);
    expect(callbackButtons(found.reply_markup).length).toBeGreaterThan(1);
    expect(CYRILLIC.test(visible(found.text))).toBe(false);
  });

  it("marks a quote as transliterated, with the Cyrillic original one tap away", async () => {
    const user = await arabicReader();
    await harness.send(messageUpdate(user, "/quotes"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: quoteRef }));
    const arabic = lastMessageIn(harness, user.id);
    expect(unmarked(shownText(arabic))).toContain(unmarked(toReaderScript(translators.kk("quote-transliteration-note-arab"), "arab")));
    const original = callbackButtons(arabic.reply_markup).find(
      (button) => button.callback_data === encodeCallback({ kind: "view", ref: quoteRef, reading: { locale: "kk", script: "cyrl" } }),
    );
    expect(original?.text).toBe(toArabic(translators.kk("button-cyrillic-original")));
    await pressIn(harness, user, user.id, original!.callback_data);
    expect(shownText(lastMessageIn(harness, user.id))).toContain(quote.textKk);
  });

  it("answers inline queries with Arabic-script cards, and the Russian twin under the top one", async () => {
    const user = await arabicReader();
    await harness.send(inlineQueryUpdate(user, "kelisim"));
    const { results } = harness.fake.lastCall("answerInlineQuery")!.payload as { results: InlineQueryResultArticle[] };
    const [top, twin] = results;
    const text = (result: InlineQueryResultArticle) => cardText(result);
    expect(top!.id).toMatch(/\.kka$/);
    // A rich card in the Arabic script reads right to left; the Russian twin does not.
    expect((top!.input_message_content as { rich_message?: { is_rtl?: boolean } }).rich_message?.is_rtl).toBe(true);
    expect((twin!.input_message_content as { rich_message?: { is_rtl?: boolean } }).rich_message?.is_rtl).toBe(false);
    expect(CYRILLIC.test(visible(text(top!)) + top!.title + top!.description)).toBe(false);
    expect(twin!.id).toBe(top!.id.replace(/\.kka$/, ".ru"));
    expect(twin!.title.startsWith(`[${FSI}Русский${PDI}]`)).toBe(true);
  });

  it("sends digests in the Arabic script to its reader", async () => {
    const user = await arabicReader();
    await harness.send(messageUpdate(user, "/subscribe daily 09:00"));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ language: "kk", script: "arab" });
    await harness.send(messageUpdate(user, "/digest"));
    const digest = lastMessageIn(harness, user.id);
    expect(unmarked(shownText(digest))).toContain(toArabic(briefing.shortTitle.kk));
    expect(CYRILLIC.test(visible(shownText(digest)))).toBe(false);
  });
});

describe("Kazakh in Latin keeps the Russian half of the 🌐 button (issue #18)", () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => harness.close());

  it("shows «🌐 Tıl / Язык» on the home screen and in /settings", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/language"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
    const labels = (chatId: number) => callbackButtons(lastMessageIn(harness, chatId).reply_markup).map((button) => button.text);
    expect(labels(user.id)).toContain("🌐 Tıl / Язык");
    await harness.send(messageUpdate(user, "/subscribe daily 09:00"));
    await harness.send(messageUpdate(user, "/settings"));
    expect(labels(user.id)).toContain("🌐 Tıl / Язык");
    expect(labels(user.id)).not.toContain("🌐 Tıl / İazyk");
  });
});
