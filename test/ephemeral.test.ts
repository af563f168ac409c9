import { Writable } from "node:stream";
import type { User } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { createLogger } from "../src/logger.js";
import { checkRichHtml } from "../src/render/rich-limits.js";
import { CYRILLIC, toLatin } from "../src/shared/latin.js";
import { isRightToLeft, SCRIPTS } from "../src/shared/locale.js";
import { COUNTED_METHODS } from "../src/telegram/retry.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, lastEphemeralIn, lastMessageIn, pressEphemeral, pressIn, shownText } from "./support/keyboard.js";
import { callbackUpdate, forumChat, groupChat, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const section = (key: "home" | "ov" | "fg" | "qt", itemId?: string) =>
  encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: key, ...(itemId ? { itemId } : {}) } });
const FULL = encodeCallback({ kind: "full", briefingId: briefing.id });
/** Text without tags: what a reader sees. */
const visible = (html: string) => html.replace(/<[^>]*>/g, "");
/** A group with the bot (fictional test data). */
const group = groupChat(-1003330001, "Test group");

let harness: Harness;
afterEach(async () => harness.close());

/** A member reading in kk, kk-Latin (their choice in the bot) or ru. */
async function memberReading(reading: "kk" | "kkl" | "ru"): Promise<User> {
  const user = privateUser({ language_code: reading === "ru" ? "ru" : "kk" });
  if (reading === "kkl") {
    await harness.send(messageUpdate(user, "/language"));
    await pressIn(harness, user, user.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
  }
  return user;
}

/** The briefing's menu posted in the group, as everyone there sees it. */
async function sharedMenu(by: User, chat = group, threadId?: number) {
  await harness.send(messageUpdate(by, "/briefing@visit_briefing_bot", { chat, ...(threadId === undefined ? {} : { threadId }) }));
  return lastMessageIn(harness, chat.id);
}

/** Calls to the fake with ephemeral_message_parameters, and the methods called since `from`. */
const ephemeralSends = () => harness.fake.calls.filter((call) => call.payload.ephemeral_message_parameters !== undefined);
const methodsSince = (from: number) => harness.fake.calls.slice(from).map((call) => call.method);

describe("navigation in a group opens the member's own ephemeral screen", () => {
  it.each(["kk", "kkl", "ru"] as const)(
    "%s: a press opens it in place of the shared message, and presses on it edit it",
    async (reading) => {
      harness = await startHarness();
      const member = await memberReading(reading);
      const shared = await sharedMenu(member);
      const locale = reading === "ru" ? "ru" : "kk";
      const script = reading === "kkl" ? toLatin : (text: string) => text;

      await pressIn(harness, member, group.id, section("fg"));
      const press = harness.fake.lastCall("answerCallbackQuery")!.payload;
      const sent = harness.fake.lastCall("sendRichMessage")!.payload;
      expect(sent.chat_id).toBe(group.id);
      expect(sent.ephemeral_message_parameters).toEqual({
        receiver_user_id: member.id,
        callback_query_id: press.callback_query_id,
        replace_callback_query_message: true,
      });
      expect(sent.rich_message.is_rtl).toBe(false);
      const screen = lastEphemeralIn(harness, group.id, member);
      expect(screen.rich_html).toContain(`<td><b>${script(briefing.figures[0]!.value[locale])}</b></td>`);
      expect(checkRichHtml(screen.rich_html!)).toEqual([]);
      // Everyone else still sees the menu as it was posted; nobody else got a screen.
      expect(harness.fake.messages(group.id)).toEqual([shared]);
      expect(harness.fake.callsTo("editMessageText").filter((call) => call.payload.chat_id === group.id)).toHaveLength(0);
      expect(harness.fake.ephemeralMessages(group.id, member.id + 1)).toEqual([]);

      // A press on the ephemeral screen edits it: Home (plain HTML), then the whole briefing (rich).
      await pressEphemeral(harness, member, group.id, section("home"));
      const edit = harness.fake.lastCall("editEphemeralMessageText")!.payload;
      expect(edit).toMatchObject({ chat_id: group.id, receiver_user_id: member.id, ephemeral_message_id: screen.ephemeral_message_id });
      expect(edit.parse_mode).toBe("HTML");
      const home = lastEphemeralIn(harness, group.id, member);
      expect(home.text).toContain(script(briefing.title[locale]));
      await pressEphemeral(harness, member, group.id, FULL);
      const whole = lastEphemeralIn(harness, group.id, member);
      expect(whole.rich_html).toContain(`<h1>${script(briefing.title[locale])}</h1>`);
      expect(harness.fake.lastCall("editEphemeralMessageText")!.payload.rich_message.is_rtl).toBe(false);
      if (reading === "kkl") expect(CYRILLIC.test(visible(whole.rich_html!))).toBe(false);

      // One ephemeral message, edited twice; the shared message untouched; every press answered.
      expect(harness.fake.ephemeralMessages(group.id, member.id)).toHaveLength(1);
      expect(ephemeralSends()).toHaveLength(1);
      expect(harness.fake.messages(group.id)).toEqual([shared]);
      expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(reading === "kkl" ? 4 : 3);
    },
  );

  it("in a forum topic, the ephemeral screen goes to the topic of the press", async () => {
    harness = await startHarness();
    const forum = forumChat(-1003330002, "Test forum");
    const member = privateUser({ language_code: "ru" });
    const shared = await sharedMenu(member, forum, 7);
    expect(shared.message_thread_id).toBe(7);
    await pressIn(harness, member, forum.id, section("ov"));
    const sent = harness.fake.lastCall("sendMessage")!.payload;
    expect(sent.message_thread_id).toBe(7);
    expect(sent.ephemeral_message_parameters.receiver_user_id).toBe(member.id);
    expect(lastEphemeralIn(harness, forum.id, member).text).toContain(briefing.overview.text.ru.slice(0, 40));
  });

  it("the other-language view and paging are navigation too; the same screen twice is no error", async () => {
    const logged: string[] = [];
    const lines = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    harness = await startHarness({ logger: createLogger("warn", [], lines) });
    const member = privateUser({ language_code: "kk" });
    await sharedMenu(member);
    await pressIn(harness, member, group.id, section("qt"));
    await pressEphemeral(harness, member, group.id, section("qt", briefing.quotes[0]!.id));
    const view = callbackButtons(lastEphemeralIn(harness, group.id, member).reply_markup).find((button) => button.text.includes("🔁"))!;
    await pressEphemeral(harness, member, group.id, view.callback_data);
    expect(shownText(lastEphemeralIn(harness, group.id, member))).toContain(briefing.quotes[0]!.translationRu.slice(0, 30));
    // A double tap on its button back: Telegram answers the second edit "message is not modified", nothing wrong.
    const back = callbackButtons(lastEphemeralIn(harness, group.id, member).reply_markup)[0]!.callback_data;
    const { ephemeral_message_id } = lastEphemeralIn(harness, group.id, member);
    const tap = () => harness.send(callbackUpdate(member, back, { chat_id: group.id, message_id: 0, ephemeral_message_id }));
    await tap();
    await tap();
    expect(harness.fake.callsTo("editEphemeralMessageText")).toHaveLength(4);
    expect(harness.fake.ephemeralMessages(group.id, member.id)).toHaveLength(1);
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(5);
    expect(logged.join("")).not.toMatch(/not modified/);
  });

  it("an ephemeral screen that can no longer be edited is followed by a new one beside the shared message", async () => {
    harness = await startHarness();
    const member = privateUser({ language_code: "ru" });
    await sharedMenu(member);
    await pressIn(harness, member, group.id, section("ov"));
    harness.fake.failNext("editEphemeralMessageText", { error_code: 400, description: "Bad Request: message to edit not found" });
    await pressEphemeral(harness, member, group.id, section("home"));
    const sent = harness.fake.lastCall("sendMessage")!.payload;
    expect(sent.ephemeral_message_parameters.receiver_user_id).toBe(member.id);
    expect(sent.ephemeral_message_parameters.replace_callback_query_message).toBeUndefined();
    expect(harness.fake.ephemeralMessages(group.id, member.id)).toHaveLength(2);
  });

  it("settings in a group stay shared: the language picker edits the message everyone sees", async () => {
    harness = await startHarness();
    const admin = privateUser({ language_code: "ru" });
    harness.fake.setMemberStatus(group.id, admin.id, "administrator");
    await harness.send(messageUpdate(admin, "/language", { chat: group }));
    await pressIn(harness, admin, group.id, encodeCallback({ kind: "language", language: "kk" }));
    expect(harness.fake.callsTo("editMessageText")).toHaveLength(1);
    expect(ephemeralSends()).toHaveLength(0);
  });

  it("a private chat has no ephemeral screens: the pressed message is edited", async () => {
    harness = await startHarness();
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing"));
    await pressIn(harness, user, user.id, section("fg"));
    expect(ephemeralSends()).toHaveLength(0);
    expect(harness.fake.callsTo("editMessageText")).toHaveLength(1);
  });

  it("EPHEMERAL_MESSAGES=off: the shared message is edited, as for everyone", async () => {
    harness = await startHarness({ bot: { ephemeralMessages: "off" } });
    const member = privateUser({ language_code: "kk" });
    const shared = await sharedMenu(member);
    await pressIn(harness, member, group.id, section("fg"));
    expect(ephemeralSends()).toHaveLength(0);
    expect(lastMessageIn(harness, group.id).message_id).toBe(shared.message_id);
    expect(lastMessageIn(harness, group.id).rich_html).toContain(briefing.figures[0]!.value.kk);
    expect(harness.deps.capabilities.snapshot()).toEqual({ rich_messages: true, ephemeral_messages: false });
  });
});

describe("a Bot API server without ephemeral messages", () => {
  it("answers the same press by editing the shared message, then edits it straight away", async () => {
    harness = await startHarness();
    harness.fake.withoutEphemeralMessages();
    const member = privateUser({ language_code: "ru" });
    const shared = await sharedMenu(member);
    const before = harness.fake.calls.length;
    await pressIn(harness, member, group.id, section("fg"));
    // One refused call (the ephemeral send), then the shared message edited: the press is not lost.
    expect(methodsSince(before)).toEqual(["answerCallbackQuery", "sendRichMessage", "editMessageText"]);
    const screen = lastMessageIn(harness, group.id);
    expect(screen.message_id).toBe(shared.message_id);
    expect(screen.rich_html).toContain(briefing.figures[0]!.value.ru);
    expect(harness.deps.capabilities.snapshot()).toEqual({ rich_messages: true, ephemeral_messages: false });

    const next = harness.fake.calls.length;
    await pressIn(harness, member, group.id, section("home"));
    expect(methodsSince(next)).toEqual(["answerCallbackQuery", "editMessageText"]);
    expect(ephemeralSends()).toHaveLength(1);
  });

  it("a plain screen falls back the same way (rich messages off)", async () => {
    harness = await startHarness({ bot: { richMessages: "off" } });
    harness.fake.withoutEphemeralMessages();
    const member = privateUser({ language_code: "kk" });
    await sharedMenu(member);
    const before = harness.fake.calls.length;
    await pressIn(harness, member, group.id, section("ov"));
    expect(methodsSince(before)).toEqual(["answerCallbackQuery", "sendMessage", "editMessageText"]);
    expect(lastMessageIn(harness, group.id).text).toContain(briefing.overview.text.kk.slice(0, 40));
  });

  it("a press on an ephemeral screen when editEphemeralMessageText is unknown gets the screen as a new message", async () => {
    harness = await startHarness();
    const member = privateUser({ language_code: "ru" });
    await sharedMenu(member);
    await pressIn(harness, member, group.id, section("ov"));
    harness.fake.withoutEphemeralMessages();
    const before = harness.fake.calls.length;
    await pressEphemeral(harness, member, group.id, section("home"));
    expect(methodsSince(before)).toEqual(["answerCallbackQuery", "editEphemeralMessageText", "sendMessage"]);
    expect(harness.fake.lastCall("sendMessage")!.payload.ephemeral_message_parameters).toBeUndefined();
    expect(harness.deps.capabilities.snapshot().ephemeral_messages).toBe(false);
  });
});

describe("ephemeral messages and the rules every message follows", () => {
  it("an ephemeral edit takes its slot of the send budget like any edit", () => {
    expect(COUNTED_METHODS.test("editEphemeralMessageText")).toBe(true);
    expect(COUNTED_METHODS.test("sendMessage")).toBe(true);
  });

  it("only the Arabic script reads right to left: is_rtl is set for it alone", () => {
    expect(SCRIPTS.filter(isRightToLeft)).toEqual(["arab"]);
  });

  it("the fake refuses ephemeral parameters Telegram would refuse", async () => {
    harness = await startHarness();
    const send = (parameters: unknown) =>
      fetch(`${harness.fake.apiRoot}/bot123456:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz012/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: group.id, text: "x", ephemeral_message_parameters: parameters }),
      }).then((response) => response.status);
    expect(await send({ receiver_user_id: "7" })).toBe(400);
    expect(await send({ receiver_user_id: 7, callback_query_id: 5 })).toBe(400);
    expect(await send({ receiver_user_id: 7, callback_query_id: "5" })).toBe(200);
    expect(harness.fake.ephemeralMessages(group.id, 7)).toHaveLength(1);
    expect(harness.fake.messages(group.id)).toHaveLength(0);
  });
});
