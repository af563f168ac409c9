import { Writable } from "node:stream";
import { Api, BotError, HttpError } from "grammy";
import type { Update } from "grammy/types";
import nodeFetch from "node-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { BotContext } from "../src/bot/context.js";
import { bundledContent } from "../src/content/index.js";
import { tellTopicStopped } from "../src/digest/deliver-one.js";
import { tick } from "../src/digest/tick.js";
import { createLogger } from "../src/logger.js";
import { encodeCallback } from "../src/render/callback-data.js";
import type { Store } from "../src/store/types.js";
import { localSendBudget, NO_LIMITS, type RateLimits } from "../src/telegram/send-budget.js";
import { asPaidBroadcast, sendAsPaidBroadcasts } from "../src/telegram/paid-broadcast.js";
import { botTransformers } from "../src/telegram/transformers.js";
import { startFakeTelegram } from "./support/fake-telegram.js";
import { startHarness, TEST_TOKEN, type Harness } from "./support/harness.js";
import { lastMessageIn, shownText } from "./support/keyboard.js";
import { callbackUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

/**
 * Replies and digests share one send budget against a fake Bot API that enforces the same limits and answers 429
 * with retry_after 2 beyond them: replies go first, none is dropped for flood control, and answering a button
 * press never waits behind a message.
 */

/** Friday 5 Sep 2025, 10:00 in Almaty: a 09:00 daily digest is owed. */
const NOW = new Date("2025-09-05T05:00:00Z");

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

type Logged = Record<string, any>;
async function setUp(limits: RateLimits, options: { replyDeadlineMs?: number } = {}) {
  const logged: Logged[] = [];
  const lines = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logged.push(JSON.parse(line) as Logged);
      done();
    },
  });
  const harness = await startHarness({
    now: () => NOW,
    logger: createLogger("info", [], lines),
    bot: { rateLimits: limits, ...(options.replyDeadlineMs ? { replyDeadlineMs: options.replyDeadlineMs } : {}) },
  });
  harnesses.push(harness);
  /** As the runner delivers an update: a failed update goes to the bot's error handler. */
  const receive = async (update: Update) => {
    try {
      await harness.send(update);
    } catch (error) {
      if (!(error instanceof BotError)) throw error;
      await harness.bot.errorHandler(error as BotError<BotContext>);
    }
  };
  const failedUpdates = () => logged.filter((line) => line.msg === "update failed");
  return { harness, logged, receive, failedUpdates };
}

/**
 * setUp, with the fake Bot API holding to the same limits (429 with retry_after 2 beyond them) and a digest owed to
 * each of `subscribers`.
 */
async function setUpWithDigestsOwed(limits: RateLimits, subscribers: number[]) {
  const setup = await setUp(limits);
  setup.harness.fake.limitRate({ ...limits, retryAfter: 2 });
  await subscribeChats(setup.harness.store, subscribers);
  await tick({ store: setup.harness.store, now: NOW, contentMark: () => setup.harness.deps.edition().digests.contentMark });
  return setup;
}

async function subscribeChats(store: Store, chatIds: number[]) {
  for (const chatId of chatIds) {
    await store.saveSubscription({
      chatId,
      chatKind: chatId < 0 ? "supergroup" : "private",
      language: "ru",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: null,
    });
  }
}

/** The digest sender on the bot's budget, as main.ts builds it (an Api of its own). */
const digestSender = (harness: Harness) => harness.digestSender();

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);
/** A digest is one rich message (its HTML is what it shows). */
const isDigest = (text: string | undefined) => text?.includes("🗞 Дайджест") ?? false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIMITS: RateLimits = { perSecond: 100, perGroupPerMinute: 20, privateChatBurst: 3 };

describe("one send budget for replies and digests", () => {
  it("300 digests due and 20 people sending /briefing: every reply and every digest delivered, no 429 drawn", async () => {
    const subscribers = range(5_000_001, 300).map((chatId, index) => (index % 10 === 9 ? -chatId : chatId));
    const { harness, receive, failedUpdates } = await setUpWithDigestsOwed(LIMITS, subscribers);
    const broadcast = digestSender(harness).drain();
    const readers = range(0, 20).map(() => privateUser({ language_code: "ru" }));
    await sleep(200);
    await Promise.all(readers.map((reader) => receive(messageUpdate(reader, "/briefing"))));
    expect(await broadcast).toMatchObject({ sent: 300, failed: 0, retried: 0 });

    for (const reader of readers) expect(lastMessageIn(harness, reader.id).text).toContain(content.latest.title.ru);
    for (const chatId of subscribers)
      expect(harness.fake.messages(chatId).filter((message) => isDigest(shownText(message)))).toHaveLength(1);
    expect(failedUpdates()).toEqual([]);
    // Requests reach the fake with the machine's scheduling jitter: at most one may land in its previous second.
    expect(harness.fake.tooManyRequests()).toBeLessThanOrEqual(1);
  });

  it("300 people subscribing while 300 digests go out: all 300 confirmations delivered", async () => {
    const { harness, receive, failedUpdates } = await setUpWithDigestsOwed(LIMITS, range(6_000_001, 300));
    const broadcast = digestSender(harness).drain();
    const people = range(0, 300).map(() => privateUser({ language_code: "ru" }));
    await Promise.all(people.map((person) => receive(messageUpdate(person, "/subscribe daily 09:00"))));
    expect(await broadcast).toMatchObject({ sent: 300 });

    for (const person of people) expect(lastMessageIn(harness, person.id).text).toContain("Подписка оформлена");
    expect(failedUpdates()).toEqual([]);
    expect(harness.fake.tooManyRequests()).toBeLessThanOrEqual(1);
  });

  it("the limit squeezed to 5 a second with retry_after 2: no reply dropped, and another reader's button press is answered at once", async () => {
    const { harness, receive, failedUpdates } = await setUp({ perSecond: 30, perGroupPerMinute: 20 });
    // Someone with a briefing on screen, shown before the squeeze.
    const presser = privateUser({ language_code: "ru" });
    await receive(messageUpdate(presser, "/briefing"));
    const screen = lastMessageIn(harness, presser.id);

    // Telegram suddenly allows far less than the bot expects.
    harness.fake.limitRate({ perSecond: 5, retryAfter: 2 });
    const crowd = range(0, 30).map(() => privateUser({ language_code: "ru" }));
    const owed = Promise.all(crowd.map((person) => receive(messageUpdate(person, "/help"))));
    await harness.fake.waitFor(() => harness.fake.tooManyRequests() > 0);

    // The budget is closed for retry_after now; a button press elsewhere is still answered without waiting.
    const pressed = Date.now();
    const visits = encodeCallback({ kind: "visits" });
    const press = receive(callbackUpdate(presser, visits, { chat_id: presser.id, message_id: screen.message_id }));
    const answer = await harness.fake.waitFor((call) => call.method === "answerCallbackQuery");
    expect(answer.at - pressed).toBeLessThan(500);

    await sleep(4000);
    harness.fake.limitRate({ perSecond: 1000 });
    await Promise.all([owed, press]);
    for (const person of crowd) expect(lastMessageIn(harness, person.id).text).toContain("/subscribe");
    expect(lastMessageIn(harness, presser.id).message_id).toBe(screen.message_id);
    expect(failedUpdates()).toEqual([]);
  });

  it("one person flooding the bot gets answers a second apart; another reader and the digests go on meanwhile", async () => {
    const limits: RateLimits = { perSecond: 30, perGroupPerMinute: 20, privateChatBurst: 3 };
    const subscribers = range(9_000_001, 20);
    const { harness, receive, failedUpdates } = await setUpWithDigestsOwed(limits, subscribers);

    const flooder = privateUser({ language_code: "ru" });
    const flood = Promise.all(range(0, 6).map(() => receive(messageUpdate(flooder, "/help"))));
    // The flooder's burst is spent; their fourth answer waits for the chat's next second.
    await harness.fake.waitFor(() => harness.fake.messages(flooder.id).length === 3);
    const other = privateUser({ language_code: "ru" });
    await receive(messageUpdate(other, "/help"));
    const broadcast = await digestSender(harness).drain();
    expect(broadcast).toMatchObject({ sent: 20 });
    // The other reader and all 20 digests were served while the flooder still waited for answers.
    expect(harness.fake.messages(flooder.id).length).toBeLessThan(6);
    expect(lastMessageIn(harness, other.id).text).toContain("/subscribe");

    await flood;
    const answers = harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === flooder.id);
    expect(answers).toHaveLength(6);
    // After the burst, about one a second: never two within the same second to that chat.
    for (let index = 3; index < answers.length; index++) expect(answers[index]!.at - answers[index - 1]!.at).toBeGreaterThanOrEqual(900);
    expect(failedUpdates()).toEqual([]);
    expect(harness.fake.tooManyRequests()).toBe(0);
  });

  it("past the deadline a reply is given up: logged with the update id and method, never its text", async () => {
    const { harness, logged, receive, failedUpdates } = await setUp(NO_LIMITS, { replyDeadlineMs: 1500 });
    const user = privateUser({ language_code: "ru" });
    const flood = { error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } };
    harness.fake.failNext("sendMessage", flood, { when: (payload) => payload.chat_id === user.id, times: 5 });
    const update = messageUpdate(user, "/help");
    await receive(update);
    expect(failedUpdates()).toEqual([
      expect.objectContaining({
        update_id: update.update_id,
        err: expect.objectContaining({ type: "ReplyNotSentError", method: "sendMessage", chatId: user.id }),
      }),
    ]);
    expect(logged).toContainEqual(expect.objectContaining({ msg: "reply given up", method: "sendMessage", chat_id: user.id }));
    expect(JSON.stringify(logged)).not.toContain("/subscribe");
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
  });
});

describe("calls that answer nobody", () => {
  it("a 429 on setWebhook or getUpdates comes back as Telegram sent it and closes nothing: messages go on at once", async () => {
    const { harness } = await setUp(LIMITS);
    const FLOOD_5 = { error_code: 429, description: "Too Many Requests: retry after 5", parameters: { retry_after: 5 } };
    harness.fake.failNext("setWebhook", FLOOD_5);
    harness.fake.failNext("getUpdates", FLOOD_5);
    const started = Date.now();
    await expect(harness.bot.api.setWebhook("https://example.org/hook")).rejects.toMatchObject({ error_code: 429 });
    await expect(harness.bot.api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 429 });
    expect(harness.fake.callsTo("setWebhook")).toHaveLength(1);
    // Neither closed the messages' budget (through the transformer or the HTTP client's report).
    await sleep(50);
    await harness.deps.sendBudget.acquire(123, "digest");
    await harness.bot.api.sendMessage(124, "hello");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("the operators' alerts (an Api with digest priority, as main.ts builds it)", () => {
  it("an alert takes its slot behind a reader's reply that asked later, and waits out a 429 instead of being lost", async () => {
    const fake = await startFakeTelegram();
    try {
      const budget = localSendBudget({ perSecond: 1, perGroupPerMinute: 20 });
      const logger = createLogger("silent");
      const replies = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
      botTransformers({ budget, logger })(replies);
      const alerts = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
      botTransformers({ budget, logger, priority: "digest" })(alerts);
      await replies.sendMessage(1, "fills the second");
      const order: string[] = [];
      const alert = alerts.sendMessage(-900, "alert").then(() => order.push("alert"));
      await sleep(20);
      const reply = replies.sendMessage(2, "reply").then(() => order.push("reply"));
      await Promise.all([alert, reply]);
      expect(order).toEqual(["reply", "alert"]);

      fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
      await alerts.sendMessage(-900, "flood alert");
      expect(fake.messages(-900).map((message) => message.text)).toEqual(["alert", "flood alert"]);
    } finally {
      await fake.close();
    }
  });
});

describe("paid broadcasts (PAID_BROADCAST_RATE)", () => {
  it("digests go out with allow_paid_broadcast above the free rate, replies free and first: no 429, nothing lost", async () => {
    const limits: RateLimits = { perSecond: 5, perGroupPerMinute: 20, paidPerSecond: 100 };
    const subscribers = range(8_000_001, 200);
    const { harness, receive, failedUpdates } = await setUpWithDigestsOwed(limits, subscribers);
    const api = new Api(TEST_TOKEN, { apiRoot: harness.fake.apiRoot });
    sendAsPaidBroadcasts(api);
    const sender = harness.digestSender({ api });
    const broadcast = sender.drain();
    const readers = range(0, 10).map(() => privateUser({ language_code: "ru" }));
    await Promise.all(readers.map((reader) => receive(messageUpdate(reader, "/help"))));
    expect(await broadcast).toMatchObject({ sent: 200, failed: 0 });

    const sends = harness.fake.callsTo("sendMessage");
    const digests = harness.fake.callsTo("sendRichMessage").filter((call) => subscribers.includes(Number(call.payload.chat_id)));
    expect(digests.every((call) => call.payload.allow_paid_broadcast === true)).toBe(true);
    const replies = sends.filter((call) => readers.some((reader) => reader.id === call.payload.chat_id));
    expect(replies).toHaveLength(10);
    expect(replies.some((call) => "allow_paid_broadcast" in call.payload)).toBe(false);
    // More digests went out within one second than the free rate allows: they were paid for, one each.
    const busiest = Math.max(...digests.map((call) => digests.filter((other) => other.at >= call.at && other.at < call.at + 1000).length));
    expect(busiest).toBeGreaterThan(limits.perSecond);
    expect(harness.fake.paidMessages()).toBe(200);
    expect(failedUpdates()).toEqual([]);
    expect(harness.fake.tooManyRequests()).toBeLessThanOrEqual(1);
  });
});

describe("paid broadcasts are digests only", () => {
  it("the notice that a forum topic's digest stopped goes out free, beside paid digests", async () => {
    const harness = await startHarness({ now: () => NOW });
    harnesses.push(harness);
    const api = new Api(TEST_TOKEN, { apiRoot: harness.fake.apiRoot });
    sendAsPaidBroadcasts(api);
    // Even on an Api that marks its messages paid, the notice says it is not.
    const notices = new Api(TEST_TOKEN, { apiRoot: harness.fake.apiRoot });
    notices.config.use(asPaidBroadcast);
    botTransformers({ budget: harness.deps.sendBudget, logger: createLogger("silent"), priority: "digest" })(notices);
    const options = { notices, logger: createLogger("silent"), renderer: () => harness.deps.edition().digests };
    await tellTopicStopped(options, { chatId: -1001, threadId: 5, language: "ru", script: "cyrl", silent: false }, -1001, "topic_deleted");
    await api.sendMessage(-1002, "digest");
    const sent = harness.fake.callsTo("sendMessage");
    expect(sent.map((call) => call.payload.allow_paid_broadcast)).toEqual([false, true]);
    expect(harness.fake.paidMessages()).toBe(1);
  });
});

describe("network failures on a reply", () => {
  /** An Api with the bot's transformers whose first `failures` requests of `method` fail with `code` before reaching the fake. */
  async function flakyApi(method: string, code: string, failures = 1) {
    const fake = await startFakeTelegram();
    let left = failures;
    const attempts = { count: 0 };
    const fetch: typeof nodeFetch = (url, init) => {
      const href = typeof url === "string" ? url : "href" in url ? url.href : url.url;
      if (!href.endsWith(`/${method}`)) return nodeFetch(url, init);
      attempts.count++;
      if (left-- > 0) return Promise.reject(Object.assign(new Error(`request failed: ${code}`), { code }));
      return nodeFetch(url, init);
    };
    const api = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot, fetch });
    botTransformers({ budget: localSendBudget(NO_LIMITS), logger: createLogger("silent") })(api);
    return { api, fake, attempts };
  }

  it("a message whose connection was refused is sent again, once", async () => {
    const { api, fake, attempts } = await flakyApi("sendMessage", "ECONNREFUSED");
    try {
      await api.sendMessage(42, "hello");
      expect(attempts.count).toBe(2);
      expect(fake.messages(42)).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it("a message whose connection broke halfway is not sent again (it may have arrived): the error is thrown", async () => {
    const { api, fake, attempts } = await flakyApi("sendMessage", "ECONNRESET");
    try {
      await expect(api.sendMessage(42, "hello")).rejects.toBeInstanceOf(HttpError);
      expect(attempts.count).toBe(1);
      expect(fake.callsTo("sendMessage")).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it("an edit or a button answer is tried again after any network failure: repeating it shows nothing twice", async () => {
    const { api, fake, attempts } = await flakyApi("answerCallbackQuery", "ECONNRESET");
    try {
      await expect(api.answerCallbackQuery("1")).resolves.toBe(true);
      expect(attempts.count).toBe(2);
      expect(fake.callsTo("answerCallbackQuery")).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
