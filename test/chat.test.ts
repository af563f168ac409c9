import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { decodeCallback, encodeCallback } from "../src/render/callback-data.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, lastMessageIn, pressIn, shownText } from "./support/keyboard.js";
import { callbackUpdate, groupChat, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const briefing = content.latest;

const buttons = callbackButtons;
const lastMessage = (chatId: number) => lastMessageIn(harness, chatId);
const press = (user: ReturnType<typeof privateUser>, chatId: number, data: string | RegExp) => pressIn(harness, user, chatId, data);

describe("first contact and language", () => {
  it("greets a kk user in Kazakh with the main menu", async () => {
    const user = privateUser({ language_code: "kk", first_name: "Айгерім" });
    await harness.send(messageUpdate(user, "/start"));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain("Сәлеметсіз бе, Айгерім!");
    expect(reply.text).toContain(briefing.title.kk);
    expect(buttons(reply.reply_markup).map((b) => b.text)).toContain("📅 Күндер бойынша");
  });

  it("greets a ru user in Russian", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/start"));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain("Здравствуйте");
    expect(reply.text).toContain(briefing.title.ru);
  });

  it("offers anyone else a bilingual picker, stores the choice and opens the menu in that language", async () => {
    const user = privateUser({ language_code: "en" });
    await harness.send(messageUpdate(user, "/start"));
    const picker = lastMessage(user.id);
    expect(picker.text).toContain("Тілді таңдаңыз");
    expect(picker.text).toContain("Выберите язык");

    await press(user, user.id, encodeCallback({ kind: "language", language: "kk" }));
    expect((await harness.store.getUser(user.id))?.language).toBe("kk");
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toBe("Тіл сақталды: қазақша (кирилл).");
    const menu = lastMessage(user.id);
    expect(menu.message_id).toBe(picker.message_id);
    expect(menu.text).toContain(briefing.title.kk);

    // The stored choice wins over Telegram's language from now on.
    await harness.send(messageUpdate(user, "/briefing"));
    expect(harness.fake.lastCall("sendMessage")!.payload.text).toContain(briefing.title.kk);
  });

  it("/language switches a kk user to Russian", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/language"));
    await press(user, user.id, encodeCallback({ kind: "language", language: "ru" }));
    expect((await harness.store.getUser(user.id))?.language).toBe("ru");
    expect(lastMessage(user.id).text).toContain(briefing.title.ru);
  });
});

describe("navigation", () => {
  it("edits one message through every section and back, answering every press", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing"));
    const menuId = lastMessage(user.id).message_id;
    const sections = buttons(lastMessage(user.id).reply_markup).filter((b) => decodeCallback(b.callback_data)?.kind === "section");
    expect(sections.length).toBe(9);

    for (const section of sections) {
      await press(user, user.id, section.callback_data);
      const screen = lastMessage(user.id);
      expect(screen.message_id).toBe(menuId);
      expect(shownText(screen)).toContain("Источник: BAQ.KZ");
      await press(user, user.id, `v1:s:${briefing.id}:home`);
      expect(lastMessage(user.id).text).toContain(briefing.title.ru);
    }
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(sections.length * 2);
  });

  it("walks a list with next/previous, wrapping around, and Back returns to the list", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/sectors"));
    const first = briefing.sectors[0]!;
    await press(user, user.id, `v1:s:${briefing.id}:sc:${first.id}`);
    expect(lastMessage(user.id).text).toContain(first.title.kk);

    const next = buttons(lastMessage(user.id).reply_markup).find((b) => b.text.includes("▶"))!;
    await press(user, user.id, next.callback_data);
    expect(lastMessage(user.id).text).toContain(briefing.sectors[1]!.title.kk);
    const previous = buttons(lastMessage(user.id).reply_markup).find((b) => b.text.includes("◀"))!;
    await press(user, user.id, previous.callback_data);
    await press(user, user.id, buttons(lastMessage(user.id).reply_markup).find((b) => b.text.includes("◀"))!.callback_data);
    expect(lastMessage(user.id).text).toContain(briefing.sectors.at(-1)!.title.kk);

    await press(user, user.id, buttons(lastMessage(user.id).reply_markup).find((b) => b.text.startsWith("⬅"))!.callback_data);
    expect(lastMessage(user.id).text).toContain(briefing.sectors[0]!.summary.kk.slice(0, 20));
  });

  it("shows quotes verbatim in Kazakh and, in Russian, marked as a translation with the original", async () => {
    const kk = privateUser({ language_code: "kk" });
    const ru = privateUser({ language_code: "ru" });
    const quote = briefing.quotes[0]!;
    for (const user of [kk, ru]) {
      await harness.send(messageUpdate(user, "/quotes"));
      await press(user, user.id, `v1:s:${briefing.id}:qt:${quote.id}`);
    }
    expect(shownText(lastMessage(kk.id))).toContain(quote.textKk.replace(/&/g, "&amp;"));
    const russian = shownText(lastMessage(ru.id));
    expect(russian).toContain(quote.translationRu);
    expect(russian).toContain("Перевод с казахского");
    expect(russian).toContain(quote.textKk);
  });
});

describe("bad input", () => {
  it.each([
    ["forged", "v1:s:cn25:zz"],
    ["unknown item", encodeCallback({ kind: "section", ref: { briefingId: "cn25", section: "sc", itemId: "nope" } })],
    ["unknown briefing", encodeCallback({ kind: "section", ref: { briefingId: "old1", section: "home" } })],
    ["old format", "sector_transport"],
    ["empty-ish", "v1"],
  ])("a %s button is answered with a note and the current menu", async (_kind, data) => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/figures"));
    const message = lastMessage(user.id);
    await harness.send(callbackUpdate(user, data, { chat_id: user.id, message_id: message.message_id }));
    const answer = harness.fake.lastCall("answerCallbackQuery")!.payload;
    expect(answer.text).toBe("Эта кнопка устарела. Открываю актуальное меню.");
    expect(answer.text.length).toBeLessThanOrEqual(200);
    expect(lastMessage(user.id).text).toContain(briefing.title.ru);
  });

  it("a button on a message that can no longer be edited gets a fresh message", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(callbackUpdate(user, `v1:s:${briefing.id}:fg`, { chat_id: user.id, message_id: 999 }));
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(1);
    expect(shownText(lastMessage(user.id))).toContain(briefing.figures[0]!.value.ru);
  });

  it("pressing the same button twice is a quiet no-op, not an error", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing"));
    await press(user, user.id, `v1:s:${briefing.id}:ov`);
    await press(user, user.id, `v1:s:${briefing.id}:home`);
    const menu = lastMessage(user.id);
    expect(menu.text).toContain(briefing.title.ru);
    await harness.send(callbackUpdate(user, `v1:s:${briefing.id}:home`, { chat_id: user.id, message_id: menu.message_id }));
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(3);
    // The second press asks for the screen already shown: Telegram answers "message is not modified", and the
    // person sees no note, no new message and the same menu.
    expect(harness.fake.lastCall("editMessageText")!.payload.text).toBe(menu.text);
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toBeUndefined();
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
    expect(harness.fake.messages(user.id)).toHaveLength(1);
    expect(lastMessage(user.id)).toEqual(menu);
  });

  it("an unknown command gets a localized list of commands", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/weather"));
    const text = harness.fake.lastCall("sendMessage")!.payload.text as string;
    expect(text).toContain("/weather командасын білмеймін");
    expect(text).toContain("/briefing");
  });

  it("free text finds sections, typed without Kazakh letters too", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "келисим"));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain("«келисим» бойынша табылған бөлімдер");
    expect(buttons(reply.reply_markup).map((b) => b.callback_data)).toContain(`v1:s:${briefing.id}:ag`);
  });

  it("free text with no match gets a hint and a way back to the menu", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "<script>zzzqqq</script>"));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.text).toContain("ничего не найдено");
    expect(reply.text).toContain("&lt;script&gt;");
    expect(buttons(reply.reply_markup)[0]!.callback_data).toBe(`v1:s:${briefing.id}:home`);
  });
});

describe("groups", () => {
  it("answers /briefing@bot compactly in the sender's language and ignores other bots' commands", async () => {
    const group = groupChat();
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/briefing@visit_briefing_bot", { chat: group }));
    const reply = harness.fake.lastCall("sendMessage")!.payload;
    expect(reply.chat_id).toBe(group.id);
    expect(reply.text).toContain(briefing.title.kk);
    expect(reply.text).not.toContain("Бөлімді таңдаңыз");
    expect(reply.reply_markup.inline_keyboard[0]).toHaveLength(3);

    harness.fake.reset();
    await harness.send(messageUpdate(user, "/weather@other_bot", { chat: group }));
    await harness.send(messageUpdate(user, "just chatting", { chat: group }));
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(0);
  });

  it("uses the group's language for members who have not chosen one", async () => {
    const group = groupChat(-1009876543210);
    const admin = privateUser({ language_code: "ru" });
    harness.fake.setMemberStatus(group.id, admin.id, "administrator");
    await harness.send(messageUpdate(admin, "/language", { chat: group }));
    await press(admin, group.id, encodeCallback({ kind: "language", language: "kk" }));
    expect((await harness.store.getChat(group.id))?.language).toBe("kk");

    const member = privateUser({ language_code: "en" });
    await harness.send(messageUpdate(member, "/figures", { chat: group }));
    expect(harness.fake.lastCall("sendRichMessage")!.payload.rich_message.html).toContain("Негізгі сандар");
  });
});
