import { INLINE_PAGE_SIZE } from "../src/features/inline.js";
import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createContentLibrary } from "../src/content/library.js";
import { visibleLength } from "../src/render/format.js";
import { briefingRefs, refToPayload } from "../src/render/refs.js";
import { checkRichHtml } from "../src/render/rich-limits.js";
import { startHarness, type Harness } from "./support/harness.js";
import { cardText } from "./support/keyboard.js";
import { inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const briefing = content.latest;

async function ask(user: ReturnType<typeof privateUser>, query: string, offset = "") {
  await harness.send(inlineQueryUpdate(user, query, offset));
  return harness.fake.lastCall("answerInlineQuery")!.payload as Record<string, any> & { results: InlineQueryResultArticle[] };
}

/** The answer without the top result's twin in the other language, which comes second on the first page. */
const withoutTwin = <T>(results: T[]) => results.filter((_, index) => index !== 1);

describe("inline mode", () => {
  it("offers the top cards for an empty query in the user's language", async () => {
    const answer = await ask(privateUser({ language_code: "kk" }), "");
    const ids = answer.results.map((result) => result.id);
    expect(ids).toEqual([
      `${briefing.id}-ov.kk`,
      // The top result's twin in the other language, for a mixed group.
      `${briefing.id}-ov.ru`,
      `${briefing.id}-tl.kk`,
      `${briefing.id}-ag.kk`,
      ...briefing.sectors.map((sector) => `${briefing.id}-sc-${sector.id}.kk`),
      `${briefing.id}-qt.kk`,
      `${briefing.id}-fg.kk`,
    ]);
    expect(answer.is_personal).toBe(true);
    expect(answer.results[0]!.input_message_content).toMatchObject({ rich_message: { skip_entity_detection: true, is_rtl: false } });
  });

  it("falls back to Russian, not personal, for people of other languages", async () => {
    const answer = await ask(privateUser({ language_code: "de" }), "");
    expect(answer.results[0]!.id.endsWith(".ru")).toBe(true);
    expect(answer.is_personal).toBe(false);
  });

  it.each([
    ["транскаспий", "ru", "sc-transp"],
    ["инвестиции", "ru", "fg"],
    ["келисим", "kk", "ag"],
    ["Лу Бань", "kk", "ag"],
  ])("%s finds the right card (%s user)", async (query, language, expected) => {
    const answer = await ask(privateUser({ language_code: language }), query);
    const ids = answer.results.map((result) => result.id);
    expect(ids.some((id) => id.startsWith(`${briefing.id}-${expected}`))).toBe(true);
    expect(withoutTwin(ids).every((id) => id.endsWith(`.${language}`))).toBe(true);
    expect(ids[1]).toBe(ids[0]!.replace(/\.(kk|ru)$/, language === "kk" ? ".ru" : ".kk"));
  });

  it("finds the same card for every form of a word, in Kazakh and Russian", async () => {
    const user = privateUser({ language_code: "ru" });
    const top = async (query: string) => (await ask(user, query)).results.map((result) => result.id.replace(/\.(kk|ru)$/, ""))[0];
    const forms = ["инвестиция", "инвестиции", "инвестициялар", "инвестиций", "ИНВЕСТИЦИЯ"];
    const tops = await Promise.all(forms.map(top));
    expect(new Set(tops)).toEqual(new Set([`${briefing.id}-fg`]));
    expect(await top("келісімдер")).toBe(await top("келисимдер"));
    expect(await top("Шаймергенова")).toMatch(/-qt/);
  });

  it("labels cards that only match in the other language", async () => {
    const answer = await ask(privateUser({ language_code: "ru" }), "шеберханасы");
    expect(answer.results.length).toBeGreaterThan(0);
    for (const result of withoutTwin(answer.results)) {
      expect(result.id.endsWith(".kk")).toBe(true);
      expect(result.title.startsWith("[Қазақша]")).toBe(true);
    }
    // The twin of the top card is in the reader's own language, so it carries no label.
    expect(answer.results[1]!.id.endsWith(".ru")).toBe(true);
    expect(answer.results[1]!.title.startsWith("[")).toBe(false);
  });

  it("keeps every card of every briefing within Telegram's limits in both languages", async () => {
    for (const language of ["kk", "ru"]) {
      const user = privateUser({ language_code: language });
      for (const ref of briefingRefs(briefing)) {
        const [card] = (await ask(user, refToPayload(ref))).results;
        const text = cardText(card!);
        expect(card!.id).toBe(`${refToPayload(ref)}.${language}`);
        // A rich card, within the rich limits, and short enough for its HTML fallback too.
        expect(checkRichHtml(text)).toEqual([]);
        expect(visibleLength(text)).toBeLessThanOrEqual(4096);
        expect(card!.description!.length).toBeLessThanOrEqual(120);
      }
    }
  });

  it("builds cards with the source, a deep link back into the bot and a Share button", async () => {
    const answer = await ask(privateUser({ language_code: "ru" }), "");
    expect(answer.results.length).toBeGreaterThan(0);
    for (const result of withoutTwin(answer.results)) {
      expect(checkRichHtml(cardText(result))).toEqual([]);
      expect(cardText(result)).toMatch(/<footer>Источник: BAQ\.KZ[^<]*<\/footer>$/);
      expect(Buffer.byteLength(result.id)).toBeLessThanOrEqual(64);
      const [open, share] = result.reply_markup!.inline_keyboard.flat();
      const payload = result.id.replace(/\.ru$/, "");
      expect(open).toEqual({ text: "Открыть в боте", url: `https://t.me/visit_briefing_bot?start=${payload}` });
      expect(share).toEqual({ text: "📤 Поделиться", switch_inline_query: payload });
    }
    expect(new Set(answer.results.map((result) => result.id)).size).toBe(answer.results.length);
  });

  it("answers junk with an empty list and a button into the bot", async () => {
    const answer = await ask(privateUser({ language_code: "ru" }), "x".repeat(256));
    expect(answer.results).toEqual([]);
    expect(answer.button).toEqual({ text: "Ничего не найдено — открыть бота", start_parameter: "inline" });
  });

  it("answers a repeated query from its kept page for the same reader only: another language or script gets its own", async () => {
    const kazakh = privateUser({ id: 501, language_code: "kk" });
    const latin = privateUser({ id: 502, language_code: "kk" });
    await harness.store.setUserLanguage(latin.id, "kk", "latn");
    const first = await ask(kazakh, "келісім");
    expect(await ask(kazakh, "келісім")).toEqual({ ...first, inline_query_id: expect.any(String) });
    const inLatin = await ask(latin, "келісім");
    expect(inLatin.results.map((result) => result.id)).toEqual(
      first.results.map((result) => (result.id.endsWith(".kk") ? `${result.id}l` : result.id)),
    );
    const russian = await ask(privateUser({ id: 503, language_code: "ru" }), "келісім");
    expect(russian.results[0]!.id.endsWith(".ru")).toBe(true);
  });

  it("pages results with next_offset across briefings living side by side", async () => {
    await harness.close();
    const earlier = { ...structuredClone(briefing), id: "cn24", dates: { ...briefing.dates, start: "2024-08-31" } };
    harness = await startHarness({ library: createContentLibrary([briefing, earlier]) });
    const user = privateUser({ language_code: "ru" });
    const pages = [await ask(user, "Казахстан Китай")];
    while (pages.at(-1)!.next_offset) pages.push(await ask(user, "Казахстан Китай", pages.at(-1)!.next_offset));
    const ids = pages.flatMap((page) => page.results.map((result) => result.id));
    // A page of results, and on the first page the top result's twin.
    expect(pages[0]!.results).toHaveLength(INLINE_PAGE_SIZE + 1);
    expect(pages[0]!.next_offset).toBe(String(INLINE_PAGE_SIZE));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.startsWith("cn24-"))).toBe(true);
    expect(ids.some((id) => id.startsWith("cn25-"))).toBe(true);
  });

  it("a deep link opens the same section as the card, in the user's language", async () => {
    const user = privateUser({ language_code: "kk" });
    const sector = briefing.sectors[1]!;
    const ref = { briefingId: briefing.id, section: "sc" as const, itemId: sector.id };
    const answer = await ask(user, refToPayload(ref));
    expect(answer.results[0]!.id).toBe(`${refToPayload(ref)}.kk`);
    const link = (answer.results[0]!.reply_markup!.inline_keyboard[0]![0] as { url: string }).url;
    const payload = new URL(link).searchParams.get("start")!;

    await harness.send(messageUpdate(user, `/start ${payload}`));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain(sector.title.kk);
    expect(reply.text).toContain(sector.summary.kk.slice(0, 30));
  });

  it("a malformed deep link falls back to the main menu with a note", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/start cn25-zz-???"));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain("Раздел по этой ссылке не найден");
    expect(reply.text).toContain(briefing.title.ru);
  });

  it("every menu screen in the private chat has a Share button that picks a chat", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/sectors"));
    const rows = harness.fake.lastCall("sendMessage")!.payload.reply_markup.inline_keyboard.flat();
    expect(rows).toContainEqual({
      text: "📤 Поделиться",
      switch_inline_query_chosen_chat: {
        query: `${briefing.id}-sc`,
        allow_user_chats: true,
        allow_group_chats: true,
        allow_channel_chats: false,
        allow_bot_chats: false,
      },
    });
  });

  it("ignores messages the bot itself posted through inline mode", async () => {
    const user = privateUser({ language_code: "ru" });
    const update = messageUpdate(user, "Обзор · Визит");
    (update.message as { via_bot?: unknown }).via_bot = { id: 123456, is_bot: true, first_name: "Visit Briefing" };
    await harness.send(update);
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(0);
  });
});
