import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { CYRILLIC, toLatin } from "../src/shared/latin.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, cardText, lastMessageIn, pressIn, shownText } from "./support/keyboard.js";
import { groupChat, inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const sector = briefing.sectors[0]!;
const sectorRef = { briefingId: briefing.id, section: "sc" as const, itemId: sector.id };
const quote = briefing.quotes[0]!;
const quoteRef = { briefingId: briefing.id, section: "qt" as const, itemId: quote.id };
/** Text without tags: what a reader sees. */
const visible = (html: string) => html.replace(/<[^>]*>/g, "");

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => harness.close());

async function latinReader() {
  const user = privateUser({ language_code: "kk" });
  await harness.send(messageUpdate(user, "/language"));
  const picker = lastMessageIn(harness, user.id);
  // Four choices, each named in itself.
  expect(callbackButtons(picker.reply_markup).map((button) => button.text)).toEqual([
    "Қазақша (кирилл)",
    "Qazaqşa (latyn)",
    "قازاقشا (توتە)",
    "Русский",
  ]);
  await pressIn(harness, user, user.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
  return user;
}

describe("Kazakh in Latin", () => {
  it("is a third choice, stored, and applies to every screen and reply", async () => {
    const user = await latinReader();
    expect(await harness.store.getUser(user.id)).toMatchObject({ language: "kk", script: "latn" });
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toBe(toLatin("Тіл сақталды: қазақша (латын)."));

    await harness.send(messageUpdate(user, "/sectors"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: sectorRef }));
    const card = lastMessageIn(harness, user.id);
    expect(card.text).toContain(toLatin(sector.title.kk));
    expect(CYRILLIC.test(visible(card.text))).toBe(false);
    // Labels are Latin too, except the deliberately bilingual 🌐 button, which is not on a card.
    for (const button of callbackButtons(card.reply_markup)) expect(CYRILLIC.test(button.text)).toBe(false);

    await harness.send(messageUpdate(user, "/help"));
    expect(CYRILLIC.test(lastMessageIn(harness, user.id).text)).toBe(false);
    await harness.send(messageUpdate(user, "kelisim"));
    const search = lastMessageIn(harness, user.id);
    expect(CYRILLIC.test(search.text)).toBe(false);
    expect(callbackButtons(search.reply_markup).length).toBeGreaterThan(1);
  });

  it("shows a card in the other language with one tap, and the reader's own with one more", async () => {
    const user = await latinReader();
    await harness.send(messageUpdate(user, "/sectors"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: sectorRef }));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "view", ref: sectorRef, reading: { locale: "ru", script: "cyrl" } }));
    const russian = lastMessageIn(harness, user.id);
    expect(russian.text).toContain(sector.title.ru);
    expect(callbackButtons(russian.reply_markup).map((button) => button.text)).toEqual([toLatin("↩ Қазақша (латын)")]);
    // The choice did not change.
    expect(await harness.store.getUser(user.id)).toMatchObject({ language: "kk", script: "latn" });
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: sectorRef }));
    expect(lastMessageIn(harness, user.id).text).toContain(toLatin(sector.title.kk));
  });

  it("marks a quote as transliterated, with the Cyrillic original one tap away", async () => {
    const user = await latinReader();
    await harness.send(messageUpdate(user, "/quotes"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: quoteRef }));
    const latin = shownText(lastMessageIn(harness, user.id));
    expect(latin).toContain(toLatin(quote.textKk));
    expect(latin).toContain(toLatin("Кирилл жазуынан латын әліпбиіне транслитерация"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "view", ref: quoteRef, reading: { locale: "kk", script: "cyrl" } }));
    expect(lastMessageIn(harness, user.id).text).toContain(quote.textKk);
  });

  it("gives Russian readers a button to the Kazakh card, in Cyrillic", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/sectors"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "section", ref: sectorRef }));
    const button = await pressIn(
      harness,
      user,
      user.id,
      encodeCallback({ kind: "view", ref: sectorRef, reading: { locale: "kk", script: "cyrl" } }),
    );
    expect(button.text).toBe("🔁 На казахском");
    expect(lastMessageIn(harness, user.id).text).toContain(sector.title.kk);
  });

  it("echoes a search query exactly as typed, escaped, inside interface text in Latin", async () => {
    const user = await latinReader();
    await harness.send(messageUpdate(user, "Шаймерденова <b>"));
    const found = harness.fake.lastCall("sendMessage")!.payload;
    expect(found.text).toBe(`${toLatin("«")}Шаймерденова &lt;b&gt;${toLatin("» бойынша табылған бөлімдер:")}`);
    expect(callbackButtons(found.reply_markup)[0]!.text).toBe(toLatin("Сарапшы пікірі: Гүлнар Шаймергенова"));
    await harness.send(messageUpdate(user, "Жапонияға"));
    const nothing = harness.fake.lastCall("sendMessage")!.payload.text as string;
    expect(nothing.startsWith(`${toLatin("«")}Жапонияға${toLatin("» бойынша ештеңе табылмады.")}`)).toBe(true);
    expect(nothing.replace("Жапонияға", "")).not.toMatch(CYRILLIC);
  });

  it("answers inline queries with Latin cards, and offers the top card's Russian twin", async () => {
    const user = await latinReader();
    await harness.send(inlineQueryUpdate(user, "kelisim"));
    const { results } = harness.fake.lastCall("answerInlineQuery")!.payload as { results: InlineQueryResultArticle[] };
    const [top, twin] = results;
    const text = cardText;
    expect(top!.id).toMatch(/\.kkl$/);
    expect(CYRILLIC.test(visible(text(top!)) + top!.title + top!.description)).toBe(false);
    expect(twin!.id).toBe(top!.id.replace(/\.kkl$/, ".ru"));
    expect(twin!.title.startsWith("[Русский]")).toBe(true);
    expect(text(twin!)).toContain("Источник");
  });

  it("sends digests in Latin to a Latin reader, and /digest too", async () => {
    const user = await latinReader();
    await harness.send(messageUpdate(user, "/subscribe daily 09:00"));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ language: "kk", script: "latn" });
    await harness.send(messageUpdate(user, "/digest"));
    const digest = lastMessageIn(harness, user.id);
    expect(shownText(digest)).toContain(toLatin(briefing.shortTitle.kk));
    expect(CYRILLIC.test(visible(shownText(digest)))).toBe(false);
  });

  it("the first Latin choice in a group becomes the group's", async () => {
    const user = privateUser({ language_code: "kk" });
    const group = groupChat();
    await harness.send(messageUpdate(user, "/language", { chat: group }));
    await pressIn(harness, user, group.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
    expect(await harness.store.getChat(group.id)).toMatchObject({ language: "kk", script: "latn" });
  });
});
