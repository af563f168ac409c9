import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveContent } from "../src/content/live.js";
import { decodeCallback, type CallbackAction } from "../src/render/callback-data.js";
import { refToPayload } from "../src/render/refs.js";
import { addFixtureVisit, editContentFile, FIXTURE_FILE, startContentHarness, type ContentHarness } from "./support/content-folder.js";
import type { Harness } from "./support/harness.js";
import { callbackButtons, cardText, pressPrivately, sayPrivately } from "./support/keyboard.js";
import { inlineQueryUpdate, privateUser } from "./support/updates.js";

// Two published visits side by side: the bundled China 2025 briefing and the fictional fixture (test/fixtures).
let folder: string;
let live: LiveContent;
let harness: Harness;
let content: ContentHarness;

beforeEach(async () => {
  content = await startContentHarness({ prepare: (copy) => addFixtureVisit(copy) });
  ({ folder, live, harness } = content);
});
afterEach(() => content.close());

type Person = ReturnType<typeof privateUser>;
const FIXTURE_TITLE = "Вымышленный визит (тестовая фикстура)";
const BUNDLED_TITLE = "Визит Токаева в Китай";

const say = (user: Person, text: string) => sayPrivately(harness, user, text);
const press = async (user: Person, action: CallbackAction) => (await pressPrivately(harness, user, action)).screen;

async function inline(user: Person, query: string) {
  await harness.send(inlineQueryUpdate(user, query));
  return harness.fake.lastCall("answerInlineQuery")!.payload.results as InlineQueryResultArticle[];
}

const labels = (message: { reply_markup?: unknown }) => callbackButtons(message.reply_markup).map((button) => button.text);
const briefingOf = (data: string) => {
  const action = decodeCallback(data);
  return action?.kind === "section" ? action.ref.briefingId : undefined;
};

describe("two visits", () => {
  it("/briefing opens the visit with the latest start date, in either language", async () => {
    const menu = await say(privateUser({ language_code: "ru" }), "/briefing");
    expect(menu.text).toContain(FIXTURE_TITLE);
    expect(menu.text).not.toContain(BUNDLED_TITLE);
    expect((await say(privateUser({ language_code: "kk" }), "/briefing")).text).toContain("Ойдан шығарылған сапар (тестке арналған үлгі)");
  });

  it("the newest is chosen by dates.start, not by file name or publication date", async () => {
    // Older start date, later publication: the bundled visit becomes the newest.
    editContentFile(folder, FIXTURE_FILE, "start: 2025-11-10", "start: 2024-11-10");
    expect(live.reload().status).toBe("reloaded");
    expect((await say(privateUser({ language_code: "ru" }), "/briefing")).text).toContain(BUNDLED_TITLE);
  });

  it("the main menu has 'all visits', which lists both, newest first, and opens either", async () => {
    const user = privateUser({ language_code: "ru" });
    const menu = await say(user, "/start");
    expect(labels(menu)).toContain("🗂 Все визиты");
    const list = await press(user, { kind: "visits" });
    expect(list.text).toContain("Все визиты:");
    expect(labels(list)).toEqual(["Вымышленный визит", "Визит в Китай, 2025"]);
    expect(callbackButtons(list.reply_markup).map((button) => briefingOf(button.callback_data))).toEqual(["fx99", "cn25"]);
    const bundled = await press(user, { kind: "section", ref: { briefingId: "cn25", section: "home" } });
    expect(bundled.text).toContain(BUNDLED_TITLE);
    expect(labels(bundled)).toContain("🗂 Все визиты");
  });

  it("free-text search finds sections of both visits, each labelled with its visit", async () => {
    const user = privateUser({ language_code: "ru" });
    const found = await say(user, "транспорт");
    const buttons = callbackButtons(found.reply_markup);
    const fixture = buttons.find((button) => briefingOf(button.callback_data) === "fx99");
    const bundled = buttons.find((button) => briefingOf(button.callback_data) === "cn25" && button.text.startsWith("Транспорт"));
    expect(fixture?.text).toMatch(/ · Вымышленный визит$/);
    expect(bundled?.text).toBe("Транспорт и логистика · Визит в Китай, 2025");
  });

  it("inline mode finds cards of both visits; the fictional one's card names its visit and its source", async () => {
    const user = privateUser({ language_code: "ru" });
    const results = await inline(user, "транспорт");
    const ids = results.map((result) => result.id);
    expect(ids).toContain("fx99-sc-fxtr.ru");
    expect(ids).toContain("cn25-sc-transp.ru");
    const card = results.find((result) => result.id === "fx99-sc-fxtr.ru")!;
    expect(card.title).toBe("Транспорт и логистика (вымышленный) · Вымышленный визит");
    const text = cardText(card);
    expect(text).toContain("Тестовая фикстура, вымышленный источник");
    expect(text).not.toContain("BAQ.KZ");
  });

  it("deep links name their visit: each opens its own visit's section", async () => {
    const user = privateUser({ language_code: "ru" });
    for (const [ref, expected] of [
      [{ briefingId: "fx99", section: "sc", itemId: "fxtr" }, "Транспорт и логистика (вымышленный)"],
      [{ briefingId: "cn25", section: "sc", itemId: "transp" }, "Транспорт и логистика"],
    ] as const) {
      const [card] = await inline(user, refToPayload(ref));
      const link = new URL((card!.reply_markup!.inline_keyboard[0]![0] as { url: string }).url);
      expect(link.searchParams.get("start")).toBe(refToPayload(ref));
      const opened = await say(user, `/start ${link.searchParams.get("start")!}`);
      expect(opened.text).toContain(`<b>${expected}</b>`);
      const sourceName = ref.briefingId === "fx99" ? "Тестовая фикстура" : "BAQ.KZ";
      expect(opened.text).toContain(`Источник: ${sourceName}`);
    }
  });
});
