import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { checkRichHtml } from "../src/render/rich-limits.js";
import { CYRILLIC, toLatin } from "../src/shared/latin.js";
import { BOT_INFO, startHarness, type Harness } from "./support/harness.js";
import { cardText, readerIn } from "./support/keyboard.js";
import { groupChat, guestMessageUpdate, inlineQueryUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const visible = (html: string) => html.replace(/<[^>]*>/g, "");
/** A group the bot is not a member of (fictional test data), where a member summons it in guest mode. */
const strangersGroup = groupChat(-1005550003, "Test group without the bot");
type Article = InlineQueryResultArticle & { input_message_content: Record<string, any> };

let harness: Harness;
afterEach(async () => harness.close());

async function ask(user: ReturnType<typeof privateUser>, query: string) {
  await harness.send(inlineQueryUpdate(user, query));
  return harness.fake.lastCall("answerInlineQuery")!.payload.results as Article[];
}

async function askAsGuest(user: ReturnType<typeof privateUser>, query: string) {
  await harness.send(guestMessageUpdate(user, `@${BOT_INFO.username} ${query}`, strangersGroup));
  return harness.fake.lastCall("answerGuestQuery")!.payload.result as Article;
}

describe("rich inline cards", () => {
  it.each(["kk", "kkl", "ru"] as const)("%s: every card is rich (heading, text, source footer), the twin too", async (reading) => {
    harness = await startHarness();
    const user = await readerIn(harness, reading);
    const locale = reading === "ru" ? "ru" : "kk";
    const script = reading === "kkl" ? toLatin : (text: string) => text;
    const results = await ask(user, "");
    for (const result of results) {
      expect(result.input_message_content.message_text).toBeUndefined();
      expect(result.input_message_content.rich_message).toMatchObject({ skip_entity_detection: true, is_rtl: false });
      expect(checkRichHtml(cardText(result))).toEqual([]);
      expect(cardText(result)).toMatch(/^<h2>[^<]+<\/h2>.*<footer>[^<]*BAQ\.KZ[^<]*<\/footer>$/);
    }
    const [top, twin] = results;
    // The heading says what the card is and of which visit, in the reader's script.
    const heading = /^<h2>([^<]+)<\/h2>/.exec(cardText(top!))![1]!;
    expect(heading.endsWith(` · ${script(briefing.shortTitle[locale])}`)).toBe(true);
    expect(cardText(top!)).toContain(`<p>${script(briefing.overview.text[locale])}</p>`);
    expect(cardText(twin!)).toContain(`<p>${locale === "kk" ? briefing.overview.text.ru : script(briefing.overview.text.kk)}</p>`);
    if (reading === "kkl") expect(CYRILLIC.test(visible(cardText(top!)))).toBe(false);
  });

  it("a quote's card is the quote alone, verbatim in Kazakh, marked as a translation in Russian", async () => {
    harness = await startHarness();
    const quote = briefing.quotes[0]!;
    const [kk] = await ask(privateUser({ language_code: "kk" }), `${briefing.id}-qt-${quote.id}`);
    expect(cardText(kk!)).toContain(`<aside>${quote.textKk.replace(/&/g, "&amp;")}<cite>`);
    const [ru] = await ask(privateUser({ language_code: "ru" }), `${briefing.id}-qt-${quote.id}`);
    expect(cardText(ru!)).toContain(`<aside>${quote.translationRu}<cite>`);
    expect(cardText(ru!)).toContain("<i>Перевод с казахского</i></cite>");
  });

  it("RICH_MESSAGES=off: today's HTML cards", async () => {
    harness = await startHarness({ bot: { richMessages: "off" } });
    const results = await ask(privateUser({ language_code: "ru" }), "");
    for (const result of results) {
      expect(result.input_message_content).toMatchObject({ parse_mode: "HTML" });
      expect(result.input_message_content.rich_message).toBeUndefined();
    }
  });

  it("a server that refuses rich results gets the same query answered with HTML at once, and HTML from then on", async () => {
    harness = await startHarness();
    harness.fake.withoutRichMessages();
    const user = privateUser({ language_code: "kk" });
    await harness.send(inlineQueryUpdate(user, "келісім"));
    const answers = harness.fake.callsTo("answerInlineQuery");
    expect(answers).toHaveLength(2);
    expect(answers[0]!.payload.inline_query_id).toBe(answers[1]!.payload.inline_query_id);
    expect(answers[0]!.payload.results[0].input_message_content.rich_message).toBeDefined();
    expect(answers[1]!.payload.results[0].input_message_content.parse_mode).toBe("HTML");
    expect(answers[1]!.payload.results.map((result: Article) => result.id)).toEqual(
      answers[0]!.payload.results.map((result: Article) => result.id),
    );
    expect(harness.deps.capabilities.snapshot().rich_messages).toBe(false);

    await harness.send(inlineQueryUpdate(user, "келісім"));
    expect(harness.fake.callsTo("answerInlineQuery")).toHaveLength(3);
    expect(harness.fake.lastCall("answerInlineQuery")!.payload.results[0].input_message_content.parse_mode).toBe("HTML");
  });
});

describe("rich guest answers", () => {
  it.each(["kk", "kkl", "ru"] as const)("%s: the guest's card is the same rich card inline mode offers first", async (reading) => {
    harness = await startHarness();
    const user = await readerIn(harness, reading);
    const locale = reading === "ru" ? "ru" : "kk";
    const script = reading === "kkl" ? toLatin : (text: string) => text;
    const card = await askAsGuest(user, locale === "ru" ? "соглашения" : "келісімдер");
    expect(card.input_message_content.rich_message).toMatchObject({ is_rtl: false });
    expect(cardText(card)).toContain(`<details><summary>${script(briefing.agreements.items[0]!.title[locale])}</summary>`);
    expect(checkRichHtml(cardText(card))).toEqual([]);
    const [first] = await ask(user, locale === "ru" ? "соглашения" : "келісімдер");
    expect(card).toEqual(first);
  });

  it("a server that refuses the rich result gets the HTML card for the same guest query", async () => {
    harness = await startHarness();
    harness.fake.withoutRichMessages();
    await askAsGuest(privateUser({ language_code: "ru" }), "соглашения");
    const answers = harness.fake.callsTo("answerGuestQuery");
    expect(answers).toHaveLength(2);
    expect(answers[0]!.payload.guest_query_id).toBe(answers[1]!.payload.guest_query_id);
    expect(answers[1]!.payload.result.input_message_content.message_text).toContain(briefing.agreements.items[0]!.title.ru);
  });
});
