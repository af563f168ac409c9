import { randomUUID } from "node:crypto";
import { Api } from "grammy";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createContentLibrary } from "../src/content/library.js";
import { createNoticesApi } from "../src/digest/notices.js";
import { createDigestQueue, jobIdOf, owedDigests, type DigestQueue } from "../src/digest/queue.js";
import { localSendBudget, type SendBudget } from "../src/telegram/send-budget.js";
import { tick } from "../src/digest/tick.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { createDigestRenderer, type DigestRenderer } from "../src/render/digest.js";
import { openRedisStore } from "../src/store/redis.js";
import type { Store } from "../src/store/types.js";
import { startFakeTelegram, type FakeTelegram } from "./support/fake-telegram.js";
import { TEST_TOKEN } from "./support/harness.js";
import { NO_REDIS_MESSAGE, redisForTests } from "./support/redis-server.js";

const content = bundledContent();

const redis = await redisForTests();
afterAll(async () => redis?.stop());

const i18n = createI18n();
const translators = { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") };
/** One scheduler tick at `at` that enqueues what it owes on `queue`, as the scheduler does in Redis mode. */
function tickInto(queue: DigestQueue, store: Store, at: Date, digests: DigestRenderer = renderer) {
  return tick(
    store,
    at,
    () => digests.contentMark,
    undefined,
    undefined,
    (decisions) => queue.enqueue(owedDigests(decisions)),
  );
}

const renderer = createDigestRenderer(content, translators);
const DUE = new Date("2025-09-05T05:00:00Z"); // 10:00 in Almaty: a 09:00 daily digest is owed

type Rig = { fake: FakeTelegram; store: Store; queue: DigestQueue; prefix: string };
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.queue.close();
    await rig.store.close();
    await rig.fake.close();
  }
});

async function rig(options: { attempts?: number; renderer?: DigestRenderer; limiter?: SendBudget } = {}): Promise<Rig> {
  const prefix = `t-${randomUUID()}`;
  const fake = await startFakeTelegram();
  const store = await openRedisStore({ url: redis!.url, prefix: `${prefix}:`, now: () => DUE });
  const api = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
  const limiter = options.limiter ?? localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
  const logger = createLogger("silent");
  const queue = createDigestQueue({
    redisUrl: redis!.url,
    prefix,
    api,
    notices: createNoticesApi(TEST_TOKEN, { apiRoot: fake.apiRoot }, { budget: limiter, logger }),
    store,
    renderer: () => options.renderer ?? renderer,
    limiter,
    logger,
    now: () => DUE,
    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
  });
  const created = { fake, store, queue, prefix };
  rigs.push(created);
  return created;
}

async function subscribe(store: Store, chatIds: number[], frequency: "daily" | "instant" = "daily") {
  for (const chatId of chatIds) {
    await store.saveSubscription({
      chatId,
      chatKind: chatId < 0 ? "supergroup" : "private",
      language: "ru",
      schedule: { frequency, weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: null,
    });
  }
}

const digestsTo = (fake: FakeTelegram, chatId: number) => fake.messages(chatId).filter((m) => m.text?.includes("🗞 Дайджест"));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!redis)("digests through the BullMQ queue", () => {
  it("one job per chat and period: enqueueing twice sends once", async () => {
    const { fake, store, queue } = await rig();
    const chats = Array.from({ length: 20 }, (_, index) => 7000 + index);
    await subscribe(store, chats);
    await tickInto(queue, store, DUE);
    await queue.enqueue(chats.map((chatId) => ({ chatId, period: "d2025-09-05" })));
    queue.start();
    await until(() => chats.every((chatId) => digestsTo(fake, chatId).length === 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const chatId of chats) expect(digestsTo(fake, chatId)).toHaveLength(1);
    expect((await store.stats(new Date(0))).deliveries.sent).toBe(20);
  });

  it("closing while jobs wait for their slot (the budget closed by a long 429) ends at once; the jobs go back and are sent later, once", async () => {
    const held = localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
    await held.closeFor(60);
    const { fake, store, queue, prefix } = await rig({ limiter: held });
    await subscribe(store, [7501, 7502]);
    await tickInto(queue, store, DUE);
    queue.start();
    await until(async () => (await queue.counts()).active === 2);
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.callsTo("sendMessage")).toHaveLength(0);

    const limiter = localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
    const logger = createLogger("silent");
    const next = createDigestQueue({
      redisUrl: redis!.url,
      prefix,
      api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot }),
      notices: createNoticesApi(TEST_TOKEN, { apiRoot: fake.apiRoot }, { budget: limiter, logger }),
      store,
      renderer: () => renderer,
      limiter,
      logger,
      now: () => DUE,
    });
    try {
      next.start();
      await until(() => [7501, 7502].every((chatId) => digestsTo(fake, chatId).length === 1));
      await until(async () => (await store.stats(new Date(0))).deliveries.sent === 2);
      // Neither the claim nor the job counted the stop as an attempt.
      expect((await next.counts()).failed).toBe(0);
    } finally {
      await next.close();
    }
  });

  it("instant: one job per chat and content change, its id free of ':' although the mark is a timestamp", async () => {
    // The content as it is now, as live reload serves it: the energy sector updated, its mark a UTC timestamp.
    let live: DigestRenderer = renderer;
    let mark = renderer.contentMark;
    const current: DigestRenderer = {
      get contentMark() {
        return mark;
      },
      render: (...args) => live.render(...args),
      topicStopped: (...args) => live.topicStopped(...args),
    };
    const { fake, store, queue } = await rig({ renderer: current });
    await subscribe(store, [7401, 7402], "instant");
    const tickAt = (at: Date) => tickInto(queue, store, at, current);

    expect((await tickAt(DUE)).queued).toBe(2);
    queue.start();
    await until(() => digestsTo(fake, 7401).length === 1 && digestsTo(fake, 7402).length === 1);
    // Recorded as sent too: a digest recorded after the content changes below would take the new mark as its own.
    await until(async () => (await store.stats(new Date(0))).deliveries.sent === 2);

    const updated = structuredClone(content.latest);
    updated.sectors.find((sector) => sector.id === "energy")!.updatedAt = "2025-09-06";
    live = createDigestRenderer(createContentLibrary([updated]), translators);
    mark = "2025-09-06T10:30:00Z";
    expect((await tickAt(new Date(DUE.getTime() + 60_000))).queued).toBe(2);
    await until(() => digestsTo(fake, 7401).length === 2 && digestsTo(fake, 7402).length === 2);
    expect(digestsTo(fake, 7401)[1]!.text).toContain("Новое с прошлого дайджеста");
    expect(digestsTo(fake, 7401)[1]!.text).not.toContain("Обзор");

    const ids = (await queue.queue.getJobs(["completed"])).map((job) => job.id).sort();
    expect(ids).toEqual(["7401_i2025-09-05", "7401_i2025-09-06T10%3A30%3A00Z", "7402_i2025-09-05", "7402_i2025-09-06T10%3A30%3A00Z"]);
    expect(jobIdOf({ chatId: 7401, period: "d2025-09-05" })).toBe("7401_d2025-09-05");
    // No change: nothing owed; the same change enqueued again is the same job, not a second message.
    expect((await tickAt(new Date(DUE.getTime() + 120_000))).queued).toBe(0);
    await queue.enqueue([{ chatId: 7401, period: "i2025-09-06T10:30:00Z" }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(digestsTo(fake, 7401)).toHaveLength(2);
    expect(await store.getSubscription(7401)).toMatchObject({ contentMark: "2025-09-06T10:30:00Z" });
  });

  it("a channel's digest goes out with link buttons into the bot, beside a private chat's with callback buttons", async () => {
    const { fake, store, queue } = await rig();
    const channelId = -1004000000001;
    await subscribe(store, [7100]);
    await store.saveSubscription({
      chatId: channelId,
      chatKind: "channel",
      language: "ru",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: 7100,
    });
    await tickInto(queue, store, DUE);
    queue.start();
    await until(() => digestsTo(fake, channelId).length === 1 && digestsTo(fake, 7100).length === 1);
    const buttonsOf = (chatId: number) =>
      (
        digestsTo(fake, chatId)[0]!.reply_markup as { inline_keyboard: { url?: string; callback_data?: string }[][] }
      ).inline_keyboard.flat();
    expect(buttonsOf(channelId).every((button) => button.url?.startsWith("https://t.me/visit_briefing_bot?start="))).toBe(true);
    expect(buttonsOf(7100).every((button) => button.callback_data !== undefined)).toBe(true);
  });

  it("flood (429 retry_after): the queue waits retry_after and the digest still arrives, once", async () => {
    const { fake, store, queue } = await rig();
    await subscribe(store, [7101, 7102]);
    fake.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      {
        when: (payload) => payload.chat_id === 7101,
      },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    await until(() => digestsTo(fake, 7101).length === 1 && digestsTo(fake, 7102).length === 1);
    const attempts = fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === 7101);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("gone (403 blocked): the subscription stops after one attempt, the job is not retried", async () => {
    const { fake, store, queue } = await rig();
    await subscribe(store, [7201, 7203]);
    fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      {
        when: (payload) => payload.chat_id === 7201,
        times: 10,
      },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    await until(async () => (await store.getSubscription(7201))?.status === "stopped" && digestsTo(fake, 7203).length === 1);
    expect(fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === 7201)).toHaveLength(1);
    expect(await store.getSubscription(7201)).toMatchObject({ status: "stopped", stopReason: "blocked" });
    // UnrecoverableError: failed for good at once, although attempts remain.
    const [job] = await queue.queue.getJobs(["failed"]);
    expect(job).toMatchObject({ data: { chatId: 7201 }, attemptsMade: 1 });
    expect((await store.stats(new Date(0))).deliveries).toMatchObject({ dropped: 1, sent: 1, failed: 0 });
  });

  it("forum topics: one job per topic, each digest sent to its topic; a deleted topic stops only its own", async () => {
    const { fake, store, queue } = await rig();
    const forum = -1007300;
    for (const threadId of [null, 31, 32]) {
      await store.saveSubscription({
        chatId: forum,
        threadId,
        chatKind: "supergroup",
        language: "ru",
        schedule: { frequency: "daily", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" },
        sectors: null,
        createdBy: null,
      });
    }
    fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: message thread not found" },
      { when: (payload) => payload.message_thread_id === 32, times: 10 },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    // Two digests, and the notice the group gets in its General topic once the gone topic's subscription stopped.
    await until(() => digestsTo(fake, forum).length === 2 && fake.messages(forum).length === 3);
    const sends = fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === forum);
    const digests = sends.filter((call) => String(call.payload.text).includes("🗞 Дайджест"));
    expect(digests.map((call) => call.payload.message_thread_id ?? null).sort()).toEqual([31, 32, null]);
    // A group's digests go without sound unless asked otherwise.
    for (const digest of digests) expect(digest.payload.disable_notification).toBe(true);
    expect(await store.getSubscription(forum, 32)).toMatchObject({ status: "stopped", stopReason: "topic_deleted" });
    expect((await store.getSubscription(forum, 31))?.status).toBe("active");
    expect((await store.getSubscription(forum))?.status).toBe("active");
    // The group hears it once, in its General topic.
    const notices = fake
      .callsTo("sendMessage")
      .filter((call) => call.payload.chat_id === forum && !String(call.payload.text).includes("🗞 Дайджест"));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload.message_thread_id).toBeUndefined();

    const ids = (await queue.queue.getJobs(["completed", "failed"])).map((job) => job.id).sort();
    expect(ids).toEqual([`${forum}_d2025-09-05`, `${forum}_t31_d2025-09-05`, `${forum}_t32_d2025-09-05`].sort());
    expect(jobIdOf({ chatId: forum, threadId: null, period: "d2025-09-05" })).toBe(`${forum}_d2025-09-05`);
  });

  it("migrated (400 migrate_to_chat_id): the subscription moves and the digest goes to the supergroup", async () => {
    const { fake, store, queue } = await rig();
    await subscribe(store, [-7202]);
    fake.failNext(
      "sendMessage",
      {
        error_code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat",
        parameters: { migrate_to_chat_id: -1007202 },
      },
      { when: (payload) => payload.chat_id === -7202 },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    await until(() => digestsTo(fake, -1007202).length === 1);
    expect(fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === -7202)).toHaveLength(1);
    expect(await store.getSubscription(-7202)).toBeUndefined();
    expect(await store.getSubscription(-1007202)).toMatchObject({ status: "active" });
    expect((await store.stats(new Date(0))).deliveries).toMatchObject({ sent: 1 });
  });

  it("other (500): BullMQ retries the job; on the last attempt the delivery is marked failed", async () => {
    const { fake, store, queue } = await rig({ attempts: 2 });
    await subscribe(store, [7301, 7302]);
    const serverError = { error_code: 500, description: "Internal Server Error" };
    // 7301 fails once and then goes through; 7302 fails on both attempts.
    fake.failNext("sendMessage", serverError, { when: (payload) => payload.chat_id === 7301 });
    fake.failNext("sendMessage", serverError, { when: (payload) => payload.chat_id === 7302, times: 2 });
    await tickInto(queue, store, DUE);
    queue.start();

    // First attempts failed: both jobs wait for their backoff, and neither delivery is failed yet.
    await until(async () => (await queue.queue.getJobs(["delayed"])).length === 2);
    expect((await store.stats(new Date(0))).deliveries).toMatchObject({ sent: 0, failed: 0 });
    // The backoff is a minute: run the retries now.
    for (const job of await queue.queue.getJobs(["delayed"])) await job.promote();

    await until(async () => digestsTo(fake, 7301).length === 1 && (await queue.queue.getJobs(["failed"])).length === 1);
    const [failed] = await queue.queue.getJobs(["failed"]);
    expect(failed).toMatchObject({ data: { chatId: 7302 }, attemptsMade: 2 });
    for (const chatId of [7301, 7302])
      expect(fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === chatId)).toHaveLength(2);
    expect((await store.stats(new Date(0))).deliveries).toMatchObject({ sent: 1, failed: 1 });
    // A failure of the message, not of the chat: the subscription goes on.
    expect(await store.getSubscription(7302)).toMatchObject({ status: "active" });
  });
});

if (!redis) console.warn(NO_REDIS_MESSAGE);
