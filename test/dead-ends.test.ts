/**
 * Fewer dead ends (issue #18), in Kazakh and Russian: the menu and every card lead to the digest, answers that are no
 * screen of the briefing lead back to its menu, /cancel with nothing open says so, and the note after subscribing
 * says when the first digest comes.
 */
import type { Update, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { decodeCallback, encodeCallback, type CallbackAction } from "../src/render/callback-data.js";
import { briefingRefs } from "../src/render/refs.js";
import { startHarness, type Harness } from "./support/harness.js";
import { recordDecision } from "./support/decisions.js";
import { callbackButtons, lastMessageIn, type ShownMessage } from "./support/keyboard.js";
import { callbackUpdate, groupChat, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const homeData = encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: "home" } });
const subscribeData = encodeCallback({ kind: "settings", choice: { field: "subscribe" } });
const settingsData = encodeCallback({ kind: "settings" });

const TEXT = {
  kk: {
    subscribe: "🔔 Дайджестке жазылу",
    settings: "⚙️ Дайджест баптаулары",
    mainMenu: "🏠 Басты мәзір",
    dialog: "Дайджестке жазылу. Оны қаншалықты жиі жіберейін?",
    nothingToCancel: "Болдырмайтын ештеңе жоқ",
    adminsOnly: "Бұл топтың дайджестін тек оның әкімшілері баптай алады.",
  },
  ru: {
    subscribe: "🔔 Подписаться на дайджест",
    settings: "⚙️ Настройки дайджеста",
    mainMenu: "🏠 Главное меню",
    dialog: "Подписка на дайджест. Как часто его присылать?",
    nothingToCancel: "Отменять нечего",
    adminsOnly: "Дайджест этой группы могут настраивать только её администраторы.",
  },
} as const;
type Language = keyof typeof TEXT;
const LANGUAGES: Language[] = ["kk", "ru"];

let harness: Harness;
beforeEach(async () => {
  // Friday 5 September 2025, 12:00 in Kazakhstan (UTC+5).
  harness = await startHarness({ now: () => new Date("2025-09-05T07:00:00Z") });
});
afterEach(async () => harness.close());

const say = async (user: User, text: string, chat?: ReturnType<typeof groupChat>): Promise<ShownMessage> => {
  await harness.send(messageUpdate(user, text, chat ? { chat } : {}));
  return lastMessageIn(harness, chat?.id ?? user.id);
};
async function press(user: User, data: string | CallbackAction, chatId = user.id): Promise<ShownMessage> {
  const message = lastMessageIn(harness, chatId);
  const wire = typeof data === "string" ? data : encodeCallback(data);
  await harness.send(callbackUpdate(user, wire, { chat_id: chatId, message_id: message.message_id }));
  return lastMessageIn(harness, chatId);
}
const buttonsOf = (message: ShownMessage) => callbackButtons(message.reply_markup);
const toast = () => harness.fake.lastCall("answerCallbackQuery")!.payload.text as string | undefined;

function stickerUpdate(user: User): Update {
  return {
    update_id: 900_000_001,
    message: {
      message_id: 900_000_001,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: "private", first_name: user.first_name },
      from: user,
      sticker: { file_id: "x", file_unique_id: "x", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
    },
  };
}

describe.each(LANGUAGES)("in %s", (language) => {
  const text = TEXT[language];
  const person = () => privateUser({ language_code: language });

  it("the main menu and every card offer the digest: subscribe, then its settings once subscribed", async () => {
    const user = person();
    const menu = await say(user, "/briefing");
    expect(buttonsOf(menu).find((button) => button.callback_data === subscribeData)?.text).toBe(text.subscribe);
    for (const ref of briefingRefs(briefing)) {
      const card = await press(user, { kind: "section", ref });
      expect(buttonsOf(card).map((button) => button.text)).toContain(text.subscribe);
    }

    // The button on a card opens the subscribe dialogue in that message.
    const dialogue = await press(user, subscribeData);
    expect(dialogue.message_id).toBe(menu.message_id);
    expect(dialogue.text).toContain(text.dialog);
    await press(user, { kind: "dialog", answer: { step: "frequency", frequency: "daily" } });
    await press(user, { kind: "dialog", answer: { step: "time", minuteOfDay: 9 * 60 } });
    await press(user, { kind: "dialog", answer: { step: "ok" } });
    const settings = await press(user, { kind: "dialog", answer: { step: "ok" } });

    // The settings after subscribing lead back to the briefing, whose menu now leads to the settings.
    expect(buttonsOf(settings).find((button) => button.callback_data === homeData)?.text).toBe(text.mainMenu);
    const back = await press(user, homeData);
    expect(back.text).toContain(briefing.title[language]);
    expect(buttonsOf(back).find((button) => button.callback_data === settingsData)?.text).toBe(text.settings);
    expect(buttonsOf(back).map((button) => button.callback_data)).not.toContain(subscribeData);
    const card = await press(user, { kind: "section", ref: { briefingId: briefing.id, section: "fg" } });
    expect(buttonsOf(card).map((button) => button.text)).toContain(text.settings);
    expect((await press(user, settingsData)).text).toContain(text.settings.slice(3));
  });

  it("in a group, the digest button on a card is for administrators, as /subscribe is", async () => {
    const group = groupChat(-100555000111);
    const member = person();
    const admin = person();
    harness.fake.setMemberStatus(group.id, admin.id, "administrator");
    const menu = await say(member, "/briefing@visit_briefing_bot", group);
    expect(buttonsOf(menu).map((button) => button.callback_data)).toContain(subscribeData);
    await press(member, subscribeData, group.id);
    expect(toast()).toBe(text.adminsOnly);
    expect(lastMessageIn(harness, group.id).text).toContain(briefing.title[language]);
    const dialogue = await press(admin, subscribeData, group.id);
    expect(dialogue.text).toContain(text.dialog);
  });

  it("/cancel with no dialogue open says there is nothing to cancel, and leads to the main menu", async () => {
    const user = person();
    const reply = await say(user, "/cancel");
    expect(reply.text).toContain(text.nothingToCancel);
    expect(reply.text).not.toContain("/cancel");
    expect(buttonsOf(reply).map((button) => [button.text, button.callback_data])).toEqual([[text.mainMenu, homeData]]);
  });

  it.each([
    ["/help", (user: User) => say(user, "/help")],
    ["an unknown command", (user: User) => say(user, "/weather")],
    [
      "a sticker",
      async (user: User) => {
        await harness.send(stickerUpdate(user));
        return lastMessageIn(harness, user.id);
      },
    ],
  ])("the answer to %s carries the main menu button, which opens the menu", async (_what, send) => {
    const user = person();
    const reply = await send(user);
    expect(buttonsOf(reply).map((button) => [button.text, button.callback_data])).toEqual([[text.mainMenu, homeData]]);
    expect((await press(user, homeData)).text).toContain(briefing.title[language]);
  });

  it("a cancelled subscribe dialogue leads to the main menu", async () => {
    const user = person();
    await say(user, "/subscribe");
    const cancelled = await press(user, { kind: "dialog", answer: { step: "cancel" } });
    expect(decodeCallback(buttonsOf(cancelled)[0]?.callback_data)).toEqual({
      kind: "section",
      ref: { briefingId: briefing.id, section: "home" },
    });
  });
});

describe("the note after subscribing says when the first digest comes", () => {
  it.each([
    ["ru", "daily 09:00", "Первый дайджест — в течение минуты, дальше ежедневно в 09:00."],
    ["ru", "daily 20:00", "Первый дайджест — сегодня в 20:00, дальше ежедневно в 20:00."],
    ["ru", "weekly mon 09:00", "Первый дайджест — в течение минуты, дальше еженедельно, по понедельникам в 09:00."],
    ["ru", "weekly sat 10:00", "Первый дайджест — завтра в 10:00, дальше еженедельно, по субботам в 10:00."],
    ["ru", "weekly sun 10:00", "Первый дайджест — в воскресенье в 10:00, дальше еженедельно, по воскресеньям в 10:00."],
    ["kk", "daily 09:00", "Алғашқы дайджест — бір минут ішінде, кейінгілері — күн сайын, сағат 09:00."],
    ["kk", "daily 20:00", "Алғашқы дайджест — бүгін, сағат 20:00, кейінгілері — күн сайын, сағат 20:00."],
    ["kk", "weekly sun 10:00", "Алғашқы дайджест — жексенбі күні, сағат 10:00, кейінгілері — апта сайын, жексенбі күні, сағат 10:00."],
  ] as const)("%s, /subscribe %s", async (language, args, note) => {
    const user = privateUser({ language_code: language });
    const reply = await say(user, `/subscribe ${args}`);
    expect(reply.text).toContain(note);
  });

  it("says tomorrow when today's digest was already sent", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe daily 09:00");
    // The scheduler owed today's digest (as a tick records it); subscribing again the same day owes no second one.
    const today = { key: "d2025-09-05", dueAt: new Date("2025-09-05T04:00:00Z"), endsAt: new Date("2025-09-05T19:00:00Z") };
    await recordDecision(harness.store, user.id, today, new Date("2025-09-06T04:00:00Z"));
    const again = await say(user, "/subscribe daily 09:00");
    expect(again.text).toContain("Первый дайджест — завтра в 09:00, дальше ежедневно в 09:00.");
  });
});
