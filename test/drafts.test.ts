import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveContent } from "../src/content/live.js";
import { decodeCallback, encodeCallback, type CallbackAction } from "../src/render/callback-data.js";
import { refToPayload, type SectionRef } from "../src/render/refs.js";
import { addFixtureVisit, editContentFile, FIXTURE_FILE, startContentHarness, type ContentHarness } from "./support/content-folder.js";
import type { Harness } from "./support/harness.js";
import { callbackButtons, lastMessageIn, pressPrivately, sayPrivately } from "./support/keyboard.js";
import { inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";

const OPERATOR_ID = 515151;
const DRAFT_NOTE = "📝 Черновик: читатели пока не видят этот брифинг.";
const STALE_BUTTON = "Эта кнопка устарела. Открываю актуальное меню.";
const STALE_LINK = "Раздел по этой ссылке не найден, открываю главное меню.";
/** Words only the fictional draft has (its titles, overview and source all say it is fictional). */
const DRAFT_WORDS = /вымышлен|фикстур/i;
const DRAFT_HOME: SectionRef = { briefingId: "fx99", section: "home" };

let folder: string;
let live: LiveContent;
let harness: Harness;
let content: ContentHarness;

beforeEach(async () => {
  content = await startContentHarness({
    // The fictional visit as a draft: newer than the bundled visit, so it would be the one /briefing opens if it leaked.
    prepare: (copy) => addFixtureVisit(copy, (text) => text.replace("status: published", "status: draft")),
    adminIds: [OPERATOR_ID],
  });
  ({ folder, live, harness } = content);
});
afterEach(() => content.close());

type Person = ReturnType<typeof privateUser>;
const operator = () => privateUser({ id: OPERATOR_ID, language_code: "ru" });
const reader = () => privateUser({ language_code: "ru" });

const say = (user: Person, text: string) => sayPrivately(harness, user, text);
const press = (user: Person, action: CallbackAction) => pressPrivately(harness, user, action);

async function inline(user: Person, query: string) {
  await harness.send(inlineQueryUpdate(user, query));
  return harness.fake.lastCall("answerInlineQuery")!.payload.results as InlineQueryResultArticle[];
}

const buttonsOf = (message: { reply_markup?: unknown }) => callbackButtons(message.reply_markup);
/** The briefing a section button opens (undefined for other buttons). */
const briefingOf = (data: string) => {
  const action = decodeCallback(data);
  return action?.kind === "section" ? action.ref.briefingId : undefined;
};

describe("a draft never reaches readers", () => {
  it("the library keeps it apart", () => {
    const { library } = live.current();
    expect(library.briefings.map((briefing) => briefing.id)).toEqual(["cn25"]);
    expect(library.drafts.map((draft) => draft.id)).toEqual(["fx99"]);
    expect(library.get("fx99")).toBeUndefined();
    expect(live.current().fileOf("fx99")).toBe(FIXTURE_FILE);
  });

  it("not in /briefing, not in the visits list", async () => {
    const user = reader();
    const menu = await say(user, "/briefing");
    expect(menu.text).toContain("Визит Токаева в Китай");
    expect(menu.text).not.toMatch(DRAFT_WORDS);
    expect(buttonsOf(menu).map((button) => button.text)).not.toContain("🗂 Все визиты");
    const { screen } = await press(user, { kind: "visits" });
    expect(buttonsOf(screen).map((button) => button.text)).toEqual(["Визит в Китай, 2025"]);
  });

  it("not in free-text search", async () => {
    const user = reader();
    for (const query of ["вымышленный", "вымышленный визит", "транспорт"]) {
      const answer = await say(user, query);
      const buttons = buttonsOf(answer);
      expect(buttons.length).toBeGreaterThan(0);
      expect(buttons.map((button) => button.text).join("\n")).not.toMatch(DRAFT_WORDS);
      for (const button of buttons) expect(briefingOf(button.callback_data)).not.toBe("fx99");
    }
    expect((await say(user, "вымышленный")).text).toContain("ничего не найдено");
  });

  it("not in inline results, not even by the draft card's own id", async () => {
    const user = reader();
    expect(await inline(user, "вымышленный")).toEqual([]);
    expect(await inline(user, refToPayload({ briefingId: "fx99", section: "ov" }))).toEqual([]);
    const top = await inline(user, "");
    expect(top.length).toBeGreaterThan(0);
    expect(top.every((result) => result.id.startsWith("cn25-"))).toBe(true);
  });

  it("not in digests: a first digest is the published visit, and a draft is nothing new", () => {
    const { digests } = harness.deps.edition();
    const first = digests.render("ru", null, null)!;
    expect(first.text).toContain("Визит в Китай, 2025");
    expect(first.text).not.toMatch(DRAFT_WORDS);
    for (const button of callbackButtons(first.keyboard)) expect(briefingOf(button.callback_data)).not.toBe("fx99");
    // The draft is dated 12 November: had it counted, a chat whose last digest covered 5 September would get it.
    expect(digests.contentMark).toBe("2025-09-05");
    expect(digests.render("ru", null, "2025-09-05")).toBeUndefined();
  });

  it("a button or a deep link to it is stale for a reader", async () => {
    const user = reader();
    await say(user, "/briefing");
    for (const ref of [DRAFT_HOME, { briefingId: "fx99", section: "sc", itemId: "fxtr" } as const]) {
      const { toast, screen } = await press(user, { kind: "section", ref });
      expect(toast).toBe(STALE_BUTTON);
      expect(screen.text).toContain("Визит Токаева в Китай");
      expect(screen.text).not.toMatch(DRAFT_WORDS);
    }
    const linked = await say(user, `/start ${refToPayload({ briefingId: "fx99", section: "ov" })}`);
    expect(linked.text).toContain(STALE_LINK);
    expect(linked.text).not.toMatch(DRAFT_WORDS);
    // Choosing a language with the draft as the section to open next lands on the published menu.
    const { screen } = await press(user, { kind: "language", language: "ru", then: { briefingId: "fx99", section: "ov" } });
    expect(screen.text).toContain("Визит Токаева в Китай");
    expect(screen.text).not.toMatch(DRAFT_WORDS);
  });
});

describe("operators read drafts", () => {
  it("/preview lists the draft, and its screens are marked as a draft", async () => {
    const user = operator();
    const preview = await say(user, "/preview");
    expect(preview.text).toBe("Черновики (видны только операторам):");
    expect(buttonsOf(preview)).toEqual([
      expect.objectContaining({ text: "📝 Вымышленный визит", callback_data: encodeCallback({ kind: "section", ref: DRAFT_HOME }) }),
    ]);

    const home = await press(user, { kind: "section", ref: DRAFT_HOME });
    expect(home.toast).toBeUndefined();
    expect(home.screen.text.startsWith(DRAFT_NOTE)).toBe(true);
    expect(home.screen.text).toContain("Вымышленный визит (тестовая фикстура)");

    // Deeper screens of the draft, through the draft's own buttons, carry the note too.
    const overview = encodeCallback({ kind: "section", ref: { briefingId: "fx99", section: "ov" } });
    expect(buttonsOf(home.screen).map((button) => button.callback_data)).toContain(overview);
    for (const ref of [
      { briefingId: "fx99", section: "ov" },
      { briefingId: "fx99", section: "sc", itemId: "fxen" },
    ] satisfies SectionRef[]) {
      const { screen } = await press(user, { kind: "section", ref });
      expect(screen.text.startsWith(DRAFT_NOTE)).toBe(true);
      expect(screen.text).toMatch(DRAFT_WORDS);
    }
    // The operator's /briefing is still what readers get.
    const menu = await say(user, "/briefing");
    expect(menu.text).toContain("Визит Токаева в Китай");
    expect(menu.text).not.toContain(DRAFT_NOTE);
  });

  it("publishing it (status: published, reload) shows it to readers", async () => {
    editContentFile(folder, FIXTURE_FILE, "status: draft", "status: published");
    await harness.send(messageUpdate(operator(), "/reload"));
    expect(lastMessageIn(harness, OPERATOR_ID).text).toBe("Материалы перезагружены: опубликовано — 2, черновиков — 0.");

    const user = reader();
    const menu = await say(user, "/briefing");
    expect(menu.text).toContain("Вымышленный визит (тестовая фикстура)");
    expect(menu.text).not.toContain(DRAFT_NOTE);
    expect(buttonsOf(menu).map((button) => button.text)).toContain("🗂 Все визиты");
    const { toast, screen } = await press(user, { kind: "section", ref: { briefingId: "fx99", section: "sc", itemId: "fxtr" } });
    expect(toast).toBeUndefined();
    expect(screen.text).toContain("Транспорт и логистика (вымышленный)");
    expect((await inline(user, "вымышленный")).length).toBeGreaterThan(0);
    const found = await say(user, "вымышленный");
    expect(buttonsOf(found).some((button) => briefingOf(button.callback_data) === "fx99")).toBe(true);
    expect(harness.deps.edition().digests.render("ru", null, "2025-09-05")!.text).toContain("Вымышленный визит");
    expect((await say(operator(), "/preview")).text).toBe("Черновиков нет.");
  });
});
