import { Writable } from "node:stream";
import { BotError } from "grammy";
import type { Chat, Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../src/bot/context.js";
import { bundledContent } from "../src/content/index.js";
import { tick } from "../src/digest/tick.js";
import { createLogger } from "../src/logger.js";
import { encodeCallback } from "../src/render/callback-data.js";
import type { Store } from "../src/store/types.js";
import { startHarness, type Harness } from "./support/harness.js";
import { lastMessageIn } from "./support/keyboard.js";
import { callbackUpdate, messageUpdate, privateUser } from "./support/updates.js";
import { digestSends } from "./support/digests.js";

const content = bundledContent();

/**
 * Chat replies — the bot's own Api and every dialogue's Api — share the digest sender's classification of send
 * failures: flood closes the send budget, gone stops the chat's subscription, migrated moves it, other reaches
 * bot.catch. Each class is answered by the fake Bot API to a real reply.
 */

/** A fixed clock: Friday 5 Sep 2025, 10:00 in Almaty, so a 09:00 daily digest is owed. */
const NOW = new Date("2025-09-05T05:00:00Z");

let harness: Harness;
let logged: Record<string, any>[];
beforeEach(async () => {
  logged = [];
  const lines = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logged.push(JSON.parse(line));
      done();
    },
  });
  harness = await startHarness({ now: () => NOW, logger: createLogger("info", [], lines) });
});
afterEach(async () => {
  await harness.close();
});

/** As the runner delivers an update: a failed update goes to the bot's error handler (bot.catch). */
async function receive(update: Update): Promise<void> {
  try {
    await harness.send(update);
  } catch (error) {
    if (!(error instanceof BotError)) throw error;
    await harness.bot.errorHandler(error as BotError<BotContext>);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FLOOD = { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } };

async function subscribe(store: Store, chatId: number, chatKind: "private" | "group" | "supergroup" = "private") {
  await store.saveSubscription({
    chatId,
    chatKind,
    language: "ru",
    schedule: { frequency: "daily", weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
    sectors: null,
    createdBy: null,
  });
}

/** A digest sender on the bot's send budget, as the backend builds it (an Api of its own, without the replies' transformers). */
const digestSender = () => harness.digestSender();

const failedUpdates = () => logged.filter((line) => line.msg === "update failed");

describe("chat replies: each class of send failure", () => {
  it("flood (429 retry_after): the send budget closes for retry_after, and the reply still arrives", async () => {
    const user = privateUser({ language_code: "ru" });
    harness.fake.failNext("sendMessage", FLOOD, { when: (payload) => payload.chat_id === user.id });
    const handled = receive(messageUpdate(user, "/help"));
    const refused = await harness.fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === user.id);
    // The 429 is back at the bot by now; anyone else who sends waits until retry_after has passed.
    await sleep(150);
    await harness.deps.sendBudget.acquire(987_654, "digest");
    expect(Date.now() - refused.at).toBeGreaterThanOrEqual(950);

    await handled;
    const attempts = harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === user.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(lastMessageIn(harness, user.id).text).toContain("/subscribe");
    expect(failedUpdates()).toHaveLength(0);
  });

  it("migrated (400 migrate_to_chat_id): the group's subscription moves to the supergroup", async () => {
    const user = privateUser({ language_code: "ru" });
    const group: Chat.GroupChat = { id: -4101, type: "group", title: "Old group" };
    await subscribe(harness.store, group.id, "group");
    harness.fake.failNext(
      "sendMessage",
      {
        error_code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat",
        parameters: { migrate_to_chat_id: -1004101 },
      },
      { when: (payload) => payload.chat_id === group.id },
    );
    await receive(messageUpdate(user, "/help", { chat: group }));
    expect(harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === group.id)).toHaveLength(1);
    expect(await harness.store.getSubscription(group.id)).toBeUndefined();
    expect(await harness.store.getSubscription(-1004101)).toMatchObject({ chatId: -1004101, status: "active" });
  });

  it("gone (403 blocked): the chat's active subscription stops with reason 'blocked'", async () => {
    const user = privateUser({ language_code: "ru" });
    await subscribe(harness.store, user.id);
    harness.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      {
        when: (payload) => payload.chat_id === user.id,
      },
    );
    await receive(messageUpdate(user, "/start"));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "stopped", stopReason: "blocked" });
    // Nothing more is sent into a chat that refuses the bot.
    expect(harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === user.id)).toHaveLength(1);
    // Not an error: one info line that names the chat and the reason, and never the text that was refused.
    expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
    const told = logged.find((entry) => entry.msg === "reply not delivered: chat is gone");
    expect(told).toMatchObject({ level: 30, chat_id: user.id, method: "sendMessage", reason: "blocked" });
    const sentText = String(harness.fake.callsTo("sendMessage")[0]!.payload.text);
    expect(JSON.stringify(logged)).not.toContain(sentText.slice(0, 40));
  });

  it("gone (403 kicked): a paused group subscription stops with reason 'removed'", async () => {
    const user = privateUser({ language_code: "ru" });
    const group: Chat.SupergroupChat = { id: -1004202, type: "supergroup", title: "Group" };
    await subscribe(harness.store, group.id, "supergroup");
    await harness.store.pauseSubscription(group.id);
    harness.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" },
      {
        when: (payload) => payload.chat_id === group.id,
      },
    );
    await receive(messageUpdate(user, "/help", { chat: group }));
    expect(await harness.store.getSubscription(group.id)).toMatchObject({ status: "stopped", stopReason: "removed" });
  });

  it("other (500 on a button's answer): bot.catch logs it with the update id and still answers the button", async () => {
    const user = privateUser({ language_code: "ru" });
    await subscribe(harness.store, user.id);
    harness.fake.failNext("answerCallbackQuery", { error_code: 500, description: "Internal Server Error" });
    const press = callbackUpdate(user, encodeCallback({ kind: "section", ref: { briefingId: content.latest.id, section: "home" } }), {
      chat_id: user.id,
      message_id: 1,
    });
    await receive(press);

    const answers = harness.fake.callsTo("answerCallbackQuery");
    expect(answers).toHaveLength(2);
    expect(answers.map((call) => call.payload.callback_query_id)).toEqual([press.callback_query!.id, press.callback_query!.id]);
    expect(failedUpdates()).toEqual([
      expect.objectContaining({
        level: 50,
        update_id: press.update_id,
        err: expect.objectContaining({ message: expect.stringContaining("Internal Server Error") }),
      }),
    ]);
    // Not a reason to touch the subscription or hold anyone back.
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "active" });
    const started = Date.now();
    await harness.deps.sendBudget.acquire(987_655, "digest");
    expect(Date.now() - started).toBeLessThan(100);
  });

  it("other (400 bad request on a reply): logged with the update id, the subscription untouched", async () => {
    const user = privateUser({ language_code: "ru" });
    await subscribe(harness.store, user.id);
    harness.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: can't parse entities: Unexpected end tag at byte offset 12" },
      {
        when: (payload) => payload.chat_id === user.id,
      },
    );
    const update = messageUpdate(user, "/help");
    await receive(update);
    expect(failedUpdates()).toEqual([
      expect.objectContaining({
        update_id: update.update_id,
        err: expect.objectContaining({ message: expect.stringContaining("can't parse entities") }),
      }),
    ]);
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "active" });
    expect(harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === user.id)).toHaveLength(1);
  });
});

describe("dialogues get the bot's transformers", () => {
  it("flood inside the /subscribe dialogue (429 on its edit) pauses digest delivery for retry_after", async () => {
    const digestChat = 9101;
    await subscribe(harness.store, digestChat);
    expect((await tick({ store: harness.store, now: NOW, contentMark: () => harness.deps.edition().digests.contentMark })).queued).toBe(1);

    const user = privateUser({ language_code: "ru" });
    await receive(messageUpdate(user, "/subscribe"));
    const prompt = lastMessageIn(harness, user.id);
    expect(prompt.text).toContain("Как часто его присылать?");
    expect(harness.fake.callsTo("editMessageText")).toHaveLength(0);

    // The dialogue answers the press and shows its next step by editing the prompt: Telegram refuses that edit.
    harness.fake.failNext("editMessageText", FLOOD, { when: (payload) => payload.chat_id === user.id });
    const daily = encodeCallback({ kind: "dialog", answer: { step: "frequency", frequency: "daily" } });
    const handled = receive(callbackUpdate(user, daily, { chat_id: user.id, message_id: prompt.message_id }));
    const refused = await harness.fake.waitFor((call) => call.method === "editMessageText" && call.payload.chat_id === user.id);
    await sleep(150);

    // A digest run started right after waits for the flood gate the dialogue closed.
    expect(await digestSender().drain()).toMatchObject({ sent: 1 });
    const [digest] = digestSends(harness.fake, digestChat);
    expect(digest!.at - refused.at).toBeGreaterThanOrEqual(950);

    // The dialogue itself waited the 429 out too (its turn in the send budget), and went on to its next step.
    await handled;
    const edits = harness.fake.callsTo("editMessageText").filter((call) => call.payload.chat_id === user.id);
    expect(edits).toHaveLength(2);
    expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(950);
    expect(lastMessageIn(harness, user.id).text).toContain("Часовой пояс: Казахстан (UTC+5)");
    expect(failedUpdates()).toHaveLength(0);

    // The next step replays the dialogue, recorded 429 included: Telegram said it once, so the gate stays open.
    await sleep(1100);
    const nine = encodeCallback({ kind: "dialog", answer: { step: "time", minuteOfDay: 9 * 60 } });
    const started = Date.now();
    await receive(callbackUpdate(user, nine, { chat_id: user.id, message_id: prompt.message_id }));
    expect(lastMessageIn(harness, user.id).text).toContain("Какие направления включить?");
    const acquireStarted = Date.now();
    await harness.deps.sendBudget.acquire(digestChat, "digest");
    expect(Date.now() - acquireStarted).toBeLessThan(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(failedUpdates()).toHaveLength(0);
  });
});
