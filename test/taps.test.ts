import { Api } from "grammy";
import type { User } from "grammy/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createLogger } from "../src/logger.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { briefingRefs } from "../src/render/refs.js";
import { deliverReplies } from "../src/telegram/retry.js";
import { localSendBudget, TELEGRAM_LIMITS, type RateLimits, type SendSlot } from "../src/telegram/send-budget.js";
import { botTransformers } from "../src/telegram/transformers.js";
import { startFakeTelegram, type Call, type FakeTelegram } from "./support/fake-telegram.js";
import { startHarness, TEST_TOKEN, type Harness } from "./support/harness.js";
import { lastMessageIn } from "./support/keyboard.js";
import { callbackUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

/**
 * A reader paging quickly through a briefing in a private chat, with Telegram's pacing (a burst of 3, then one
 * message a second, edits included) in the bot's send budget and in the fake Bot API: every press is answered
 * without waiting behind the screens, screens replaced while they wait are never sent, and the last tap's screen is
 * the one that stays. Order and counts only: figures come from `npm run bench`.
 */

const harnesses: Harness[] = [];
const fakes: FakeTelegram[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TAPS = 12;
/** Twelve places in the bundled briefing, each a different screen. */
const TAP_DATA = briefingRefs(content.latest)
  .slice(0, TAPS)
  .map((ref) => encodeCallback({ kind: "section", ref }));

async function pacedHarness(limits: RateLimits = TELEGRAM_LIMITS) {
  const harness = await startHarness({ bot: { rateLimits: limits } });
  harnesses.push(harness);
  harness.fake.limitRate({ perSecond: limits.perSecond, perGroupPerMinute: limits.perGroupPerMinute, privateChatBurst: 3, retryAfter: 2 });
  return harness;
}

/** The screen each tap draws, as the bot draws it when nothing paces it: one press at a time, each awaited. */
async function screensOfTaps(): Promise<string[]> {
  const harness = await startHarness();
  harnesses.push(harness);
  const reader = privateUser({ language_code: "ru" });
  await harness.send(messageUpdate(reader, "/briefing"));
  const { message_id } = lastMessageIn(harness, reader.id);
  const screens: string[] = [];
  for (const data of TAP_DATA) {
    await harness.send(callbackUpdate(reader, data, { chat_id: reader.id, message_id }));
    screens.push(lastMessageIn(harness, reader.id).text);
  }
  return screens;
}

/** `reader` taps the twelve buttons on `messageId` 10 ms apart, without waiting for the bot: as a thumb does. */
async function tapQuickly(harness: Harness, reader: User, messageId: number): Promise<string[]> {
  const handled: Promise<void>[] = [];
  const ids: string[] = [];
  for (const data of TAP_DATA) {
    const update = callbackUpdate(reader, data, { chat_id: reader.id, message_id: messageId });
    ids.push(update.callback_query!.id);
    handled.push(harness.send(update));
    await sleep(10);
  }
  await Promise.all(handled);
  return ids;
}

describe("taps never wait", () => {
  it("12 quick taps in a private chat: every press answered before a later screen is sent, only the newest waiting screen sent, the last tap's screen stays", async () => {
    const screens = await screensOfTaps();
    expect(new Set(screens).size).toBe(TAPS);
    const harness = await pacedHarness();
    const reader = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(reader, "/briefing"));
    const { message_id } = lastMessageIn(harness, reader.id);
    harness.fake.reset();

    const ids = await tapQuickly(harness, reader, message_id);

    const calls = harness.fake.calls;
    const answers = calls.filter((call) => call.method === "answerCallbackQuery");
    expect(answers.map((call) => call.payload.callback_query_id).sort()).toEqual([...ids].sort());
    const edits = calls.filter((call) => call.method === "editMessageText");
    const tapOf = (edit: Call) => screens.indexOf(edit.payload.text as string);
    const tapsShown = edits.map(tapOf);
    // Each edit is a tap's screen, in tap order, ending with the last tap's; the screens replaced while they waited
    // for the chat's next slot were never sent (3 go in the burst, one after it).
    expect(tapsShown.every((tap) => tap >= 0)).toBe(true);
    expect(tapsShown).toEqual([...tapsShown].sort((a, b) => a - b));
    expect(tapsShown.at(-1)).toBe(TAPS - 1);
    expect(edits.length).toBeLessThanOrEqual(4);
    // A press is answered before any screen of its tap or a later one is sent: no answer waits behind a screen.
    ids.forEach((id, tap) => {
      const answered = calls.findIndex((call) => call.method === "answerCallbackQuery" && call.payload.callback_query_id === id);
      const laterScreen = calls.findIndex((call) => call.method === "editMessageText" && tapOf(call) >= tap);
      expect(answered).toBeLessThan(laterScreen);
    });
    expect(lastMessageIn(harness, reader.id).text).toBe(screens[TAPS - 1]);
    expect(harness.fake.tooManyRequests()).toBe(0);
  });

  it("a press behind an update of its chat that waits for its slot is answered ahead of it, once, without the handler's text", async () => {
    const harness = await pacedHarness();
    const reader = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(reader, "/briefing"));
    const { message_id } = lastMessageIn(harness, reader.id);
    // The burst is spent: the next message waits about a second for its slot, holding the chat's order meanwhile.
    await harness.send(messageUpdate(reader, "/help"));
    await harness.send(messageUpdate(reader, "/help"));
    harness.fake.reset();
    const held = harness.send(messageUpdate(reader, "/help"));
    const stale = callbackUpdate(reader, "junk:forged", { chat_id: reader.id, message_id });
    const pressed = harness.send(stale);
    await Promise.all([held, pressed]);

    const calls = harness.fake.calls;
    const answers = calls.filter((call) => call.method === "answerCallbackQuery");
    expect(answers).toHaveLength(1);
    expect(answers[0]!.payload).toEqual({ callback_query_id: stale.callback_query!.id });
    const helpSent = calls.findIndex((call) => call.method === "sendMessage");
    expect(calls.indexOf(answers[0]!)).toBeLessThan(helpSent);
    // The press is still handled, in its turn: the stale button's screen comes after the /help it waited for.
    expect(calls.findIndex((call) => call.method === "editMessageText")).toBeGreaterThan(helpSent);
    expect(harness.fake.tooManyRequests()).toBe(0);
  });

  it("a press its handler answers at once keeps the handler's text (a stale button's)", async () => {
    const harness = await pacedHarness();
    const reader = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(reader, "/briefing"));
    const { message_id } = lastMessageIn(harness, reader.id);
    await harness.send(callbackUpdate(reader, "junk:forged", { chat_id: reader.id, message_id }));
    await sleep(300);
    const answers = harness.fake.callsTo("answerCallbackQuery");
    expect(answers).toHaveLength(1);
    expect(answers[0]!.payload.text).toContain("устарела");
  });
});

describe("screens replaced while they wait", () => {
  async function pacedApi() {
    const fake = await startFakeTelegram();
    fakes.push(fake);
    fake.limitRate({ perSecond: 30, privateChatBurst: 3, retryAfter: 2 });
    const api = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
    botTransformers({ budget: localSendBudget(TELEGRAM_LIMITS), logger: createLogger("silent") })(api);
    return { api, fake };
  }

  it("of the edits of one message waiting for the chat's slot only the newest is sent; the others resolve like an edit that changes nothing", async () => {
    const { api, fake } = await pacedApi();
    const chatId = 4242;
    const { message_id } = await api.sendMessage(chatId, "screen 0");
    await api.sendMessage(chatId, "other message");
    await api.sendMessage(chatId, "burst spent");
    const edits = ["screen 1", "screen 2", "screen 3"].map((text) => api.editMessageText(chatId, message_id, text));
    const results = await Promise.all(edits);

    expect(results.slice(0, 2)).toEqual([true, true]);
    expect(results[2]).toMatchObject({ message_id, text: "screen 3" });
    expect(fake.callsTo("editMessageText").map((call) => call.payload.text)).toEqual(["screen 3"]);
    expect(fake.messages(chatId)[0]!.text).toBe("screen 3");
    expect(fake.tooManyRequests()).toBe(0);
  });

  it("an edit replaced in the moment its slot came gives the slot back, unsent", async () => {
    // A budget that grants when the test says: the second edit comes while the first one's slot is on its way.
    const grants: ((slot: SendSlot) => void)[] = [];
    const budget = { acquire: () => new Promise<SendSlot>((grant) => grants.push(grant)), closeFor: async () => undefined };
    const deliver = deliverReplies({ budget: budget, logger: createLogger("silent") });
    const sentToTelegram: string[] = [];
    const previous = async (_method: string, payload: { text?: string }) => {
      sentToTelegram.push(payload.text ?? "");
      return { ok: true as const, result: true };
    };
    const edit = (text: string) => deliver(previous as never, "editMessageText", { chat_id: 7, message_id: 1, text }, undefined as never);
    const slots = [1, 2].map(() => ({ sent: vi.fn(), unused: vi.fn() }));

    const first = edit("screen 1");
    await vi.waitFor(() => expect(grants).toHaveLength(1));
    const second = edit("screen 2");
    grants[0]!(slots[0]!);
    expect(await first).toEqual({ ok: true, result: true });
    await vi.waitFor(() => expect(grants).toHaveLength(2));
    grants[1]!(slots[1]!);
    await second;

    expect(sentToTelegram).toEqual(["screen 2"]);
    expect(slots[0]!.unused).toHaveBeenCalledOnce();
    expect(slots[0]!.sent).not.toHaveBeenCalled();
    expect(slots[1]!.sent).toHaveBeenCalledOnce();
  });

  it("an edit of another message, or a new message, is never replaced: each waits its turn and is sent", async () => {
    const { api, fake } = await pacedApi();
    const chatId = 4343;
    const first = await api.sendMessage(chatId, "screen A");
    const second = await api.sendMessage(chatId, "screen B");
    await api.sendMessage(chatId, "burst spent");
    await Promise.all([
      api.editMessageText(chatId, first.message_id, "screen A, edited"),
      api.editMessageText(chatId, second.message_id, "screen B, edited"),
      api.sendMessage(chatId, "a new message"),
    ]);
    expect(fake.callsTo("editMessageText").map((call) => call.payload.text)).toEqual(["screen A, edited", "screen B, edited"]);
    expect(fake.callsTo("sendMessage").at(-1)!.payload.text).toBe("a new message");
    expect(fake.tooManyRequests()).toBe(0);
  });
});
