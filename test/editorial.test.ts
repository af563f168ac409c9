import { rmSync } from "node:fs";
import { join } from "node:path";
import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveContent } from "../src/content/live.js";
import { refToPayload, type SectionRef } from "../src/render/refs.js";
import {
  addFixtureVisit,
  BUNDLED_FILE,
  editContentFile,
  FIXTURE_FILE,
  readContentFile,
  writeContentFile,
  startContentHarness,
  type ContentHarness,
} from "./support/content-folder.js";
import type { Harness } from "./support/harness.js";
import { callbackButtons, lastMessageIn, pressPrivately, sayPrivately } from "./support/keyboard.js";
import { inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";

const OPERATOR_ID = 424242;
const STALE_BUTTON = "Эта кнопка устарела. Открываю актуальное меню.";
const STALE_LINK = "Раздел по этой ссылке не найден, открываю главное меню.";
const HOME_PROMPT = "Выберите раздел.";

let folder: string;
let live: LiveContent;
let harness: Harness;
let content: ContentHarness;

beforeEach(async () => {
  content = await startContentHarness({ adminIds: [OPERATOR_ID] });
  ({ folder, live, harness } = content);
});
afterEach(() => content.close());

const operator = () => privateUser({ id: OPERATOR_ID, language_code: "ru" });
const reader = () => privateUser({ language_code: "ru" });
type Person = ReturnType<typeof privateUser>;

/** Sends a message and returns the text of the bot's last message in that chat. */
const say = async (user: Person, text: string) => (await sayPrivately(harness, user, text)).text;
/** Presses a section's button on the chat's last message; returns the toast and the screen. */
const press = (user: Person, ref: SectionRef) => pressPrivately(harness, user, { kind: "section", ref });

const labels = (user: Person) => callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.text);

describe("/reload", () => {
  it("answers an operator that nothing changed, then the counts after a change", async () => {
    expect(await say(operator(), "/reload")).toBe("Файлы материалов не изменились.");
    addFixtureVisit(folder);
    expect(await say(operator(), "/reload")).toBe("Материалы перезагружены: опубликовано — 2, черновиков — 0.");
    addFixtureVisit(folder, (text) => text.replace("status: published", "status: draft"));
    expect(await say(operator(), "/reload")).toBe("Материалы перезагружены: опубликовано — 1, черновиков — 1.");
    expect(live.current().library.drafts.map((draft) => draft.id)).toEqual(["fx99"]);
  });

  it("refuses a broken change with the problem at file:line, and readers keep the last good content", async () => {
    const good = live.current();
    editContentFile(folder, BUNDLED_FILE, "status: published", "status: maybe");
    const answer = await say(operator(), "/reload");
    expect(answer).toMatch(/^Изменение материалов не принято: читатели по-прежнему видят предыдущую версию\. Что исправить:\n• /);
    expect(answer).toContain("• visits/china-2025.yaml:6:9 status: ");
    expect(live.current()).toBe(good);
    expect(await say(reader(), "/briefing")).toContain(good.library.latest.title.ru);
  });

  it("lists a content:check problem with its file, line and field", async () => {
    editContentFile(folder, BUNDLED_FILE, "  ru: Китай\n", "  ru: Қытай\n");
    const line =
      readContentFile(folder, BUNDLED_FILE)
        .split("\n")
        .findIndex((text) => text === "  ru: Қытай") + 1;
    const answer = await say(operator(), "/reload");
    expect(answer).toContain(`• visits/china-2025.yaml:${line}:7 place.ru: Russian text contains Kazakh letters`);
  });

  it("is an unknown command to anyone not in ADMIN_IDS, and changes nothing", async () => {
    const before = live.current();
    addFixtureVisit(folder);
    const answer = await say(reader(), "/reload");
    expect(answer).toContain("Команда /reload мне неизвестна.");
    expect(answer).not.toContain("Материалы");
    expect(live.current()).toBe(before);
    expect(await say(reader(), "/preview")).toContain("Команда /preview мне неизвестна.");
  });
});

describe("after a reload", () => {
  it("an old button and a deep link to a removed sector say so and show the menu", async () => {
    const user = reader();
    const agro: SectionRef = { briefingId: "cn25", section: "sc", itemId: "agro" };
    await say(user, "/briefing");
    expect((await press(user, agro)).screen.text).toContain("Агросектор и цифровые технологии");

    editContentFile(folder, BUNDLED_FILE, / {2}- id: agro\n[\s\S]*?(?= {2}- id: humanit\n)/, "");
    expect(live.reload().status).toBe("reloaded");
    expect(live.current().library.latest.sectors.map((sector) => sector.id)).not.toContain("agro");

    const { toast, screen } = await press(user, agro);
    expect(toast).toBe(STALE_BUTTON);
    expect(screen.text).toContain("Визит Токаева в Китай");
    expect(screen.text).toContain(HOME_PROMPT);

    const linked = await say(user, `/start ${refToPayload(agro)}`);
    expect(linked).toContain(STALE_LINK);
    expect(linked).toContain(HOME_PROMPT);
    expect(linked).not.toContain("Агросектор");
  });

  it("an old button and a deep link to a removed briefing say so and show the current menu", async () => {
    addFixtureVisit(folder);
    expect(live.reload().status).toBe("reloaded");
    const user = reader();
    const fixture: SectionRef = { briefingId: "fx99", section: "ov" };
    expect(await say(user, `/start ${refToPayload(fixture)}`)).toContain("всего лишь тестовая фикстура");

    rmSync(join(folder, FIXTURE_FILE));
    expect(live.reload().status).toBe("reloaded");
    const { toast, screen } = await press(user, fixture);
    expect(toast).toBe(STALE_BUTTON);
    expect(screen.text).toContain("Визит Токаева в Китай");
    expect(screen.text).not.toContain("фикстура");

    const linked = await say(user, `/start ${refToPayload(fixture)}`);
    expect(linked).toContain(STALE_LINK);
    expect(linked).toContain("Визит Токаева в Китай");
  });

  it("screens, free-text search and inline results use the new content at once (no render or search cache outlives it)", async () => {
    const user = reader();
    // Fill every cache first: screens, search, inline results.
    expect(await say(user, "/briefing")).toContain("Визит Токаева в Китай");
    expect(await say(user, "/sectors")).toContain("Транспорт и логистика");
    await say(user, "Транскаспийский");
    expect(labels(user)).toContain("Транспорт и логистика");
    await harness.send(inlineQueryUpdate(user, "Транскаспийский"));

    editContentFile(folder, BUNDLED_FILE, "  ru: Визит Токаева в Китай\n", "  ru: Визит Токаева в КНР\n");
    editContentFile(folder, BUNDLED_FILE, "      ru: Транспорт и логистика\n", "      ru: Транспорт и склады\n");
    expect(live.reload().status).toBe("reloaded");

    expect(await say(user, "/briefing")).toContain("Визит Токаева в КНР");
    const sectors = await say(user, "/sectors");
    expect(sectors).toContain("Транспорт и склады");
    expect(sectors).not.toContain("Транспорт и логистика");
    expect(labels(user)).toContain("Транспорт и склады");
    await say(user, "Транскаспийский");
    expect(labels(user)).toContain("Транспорт и склады");
    expect(labels(user)).not.toContain("Транспорт и логистика");
    await harness.send(inlineQueryUpdate(user, "Транскаспийский"));
    const titles = (harness.fake.lastCall("answerInlineQuery")!.payload.results as InlineQueryResultArticle[]).map(
      (result) => result.title,
    );
    expect(titles).toContain("Транспорт и склады · Визит в Китай, 2025");
    expect(titles.join("\n")).not.toContain("Транспорт и логистика");
  });
});

describe("reload while updates are in flight", () => {
  /** Versions of the content that differ in what every answer shows: a word in titles, and one or two visits. */
  const WORDS = ["альфа", "бета", "гамма", "дельта", "омега", "сигма", "каппа", "лямбда"];

  it("every answer comes whole from one version of the content", async () => {
    const bundled = readContentFile(folder, BUNDLED_FILE);
    const versionText = (word: string) =>
      bundled
        .replace("  ru: Визит Токаева в Китай\n", `  ru: Визит Токаева в Китай, редакция ${word}\n`)
        .replace("      ru: Транспорт и логистика\n", `      ru: Транспорт ${word}\n`);
    const versionOf = (text: string): number => {
      const found = WORDS.flatMap((word, index) => (new RegExp(`(редакция|Транспорт) ${word}(?![а-я])`).test(text) ? [index] : []));
      expect(found, text).toHaveLength(1);
      return found[0]!;
    };
    /** Odd versions carry the fictional second visit, so the "all visits" button and search labels tell them apart. */
    const twoVisits = (version: number) => version % 2 === 1;
    const FIXTURE_SECTOR = "Транспорт и логистика (вымышленный) · Вымышленный визит";

    type Sent = {
      kind: "briefing" | "sectors" | "search" | "inline";
      user: Person;
      inlineId?: string;
      sentAt: number;
      done: Promise<void>;
    };
    const sent: Sent[] = [];
    for (let version = 0; version < WORDS.length; version++) {
      writeContentFile(folder, BUNDLED_FILE, versionText(WORDS[version]!));
      // The fixture, made older than the bundled visit here, so /briefing keeps opening the bundled one.
      if (twoVisits(version)) addFixtureVisit(folder, (text) => text.replace("start: 2025-11-10", "start: 2024-11-10"));
      else rmSync(join(folder, FIXTURE_FILE), { force: true });
      expect(live.reload().status).toBe("reloaded");
      for (const kind of ["briefing", "sectors", "search", "inline"] as const) {
        for (let copy = 0; copy < 3; copy++) {
          const user = reader();
          const command = kind === "briefing" ? "/briefing" : kind === "sectors" ? "/sectors" : "транспорт";
          const update = kind === "inline" ? inlineQueryUpdate(user, command) : messageUpdate(user, command);
          sent.push({
            kind,
            user,
            sentAt: version,
            done: harness.send(update),
            ...(update.inline_query ? { inlineId: update.inline_query.id } : {}),
          });
        }
      }
      // Let the updates already started get part of the way (HTTP to the fake Bot API) before the next version.
      await new Promise((resolve) => setTimeout(resolve, 2 + (version % 3) * 4));
    }
    await Promise.all(sent.map((entry) => entry.done));

    const seen = new Set<number>();
    for (const { kind, user, inlineId, sentAt } of sent) {
      let version: number;
      if (kind === "inline") {
        const call = harness.fake.callsTo("answerInlineQuery").find((candidate) => candidate.payload.inline_query_id === inlineId)!;
        const titles = (call.payload.results as InlineQueryResultArticle[]).map((result) => result.title);
        version = versionOf(titles.join("\n"));
        expect(titles).toContain(`Транспорт ${WORDS[version]} · Визит в Китай, 2025`);
        expect(titles.includes(FIXTURE_SECTOR), titles.join("\n")).toBe(twoVisits(version));
      } else {
        const message = lastMessageIn(harness, user.id);
        const buttons = callbackButtons(message.reply_markup).map((button) => button.text);
        if (kind === "briefing") {
          version = versionOf(message.text);
          expect(buttons.includes("🗂 Все визиты"), message.text).toBe(twoVisits(version));
        } else if (kind === "sectors") {
          version = versionOf(message.text);
          expect(buttons).toContain(`Транспорт ${WORDS[version]}`);
        } else {
          version = versionOf(buttons.join("\n"));
          // The "· visit" suffix comes from the library, the hits from the search index: both of one version.
          const own = twoVisits(version) ? `Транспорт ${WORDS[version]} · Визит в Китай, 2025` : `Транспорт ${WORDS[version]}`;
          expect(buttons).toContain(own);
          expect(buttons.includes(FIXTURE_SECTOR), buttons.join("\n")).toBe(twoVisits(version));
        }
      }
      // An update never reads a version older than the one in place when it arrived.
      expect(version).toBeGreaterThanOrEqual(sentAt);
      seen.add(version);
    }
    // The run really did overlap reloads: answers came from several versions.
    expect(seen.size).toBeGreaterThan(2);
  });
});
