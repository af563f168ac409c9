import { randomUUID } from "node:crypto";
import { Api } from "grammy";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createContentLibrary } from "../src/content/library.js";
import { createNoticesApi } from "../src/digest/notices.js";
import { owedDigests } from "../src/digest/digest-jobs.js";
import { Redis } from "ioredis";
import { queueDelivery } from "../src/digest/delivery.js";
import { createDigestQueue, DIGESTS_IN_FLIGHT, jobIdOf, type DigestQueue } from "../src/digest/queue.js";
import { localSendBudget, type Clock, type SendBudget } from "../src/telegram/send-budget.js";
import { createApiCapabilities } from "../src/telegram/capabilities.js";
import { tick } from "../src/digest/tick.js";
import { createI18n, translatorFor } from "../src/i18n.js";
import { createLogger, type Logger } from "../src/logger.js";
import { createDigestRenderer, type DigestRenderer } from "../src/render/digest.js";
import { openRedisStore } from "../src/store/redis.js";
import { HOLDER_STOPPED, type PendingDelivery, type Store } from "../src/store/types.js";
import type { DigestFinished } from "../src/digest/deliver-one.js";
import { startFakeTelegram, type FakeTelegram } from "./support/fake-telegram.js";
import { describeDeliveryContract, type DeliveryDriver } from "./support/delivery-contract.js";
import { claimOne } from "./support/decisions.js";
import { digestMessages, digestSends } from "./support/digests.js";
import { shownText } from "./support/keyboard.js";
import { TEST_TOKEN } from "./support/harness.js";
import { NO_REDIS_MESSAGE, redisForTests } from "./support/redis-server.js";

const content = bundledContent();

const redis = await redisForTests();
afterAll(async () => redis?.stop());

const i18n = createI18n();
const translators = { kk: translatorFor(i18n, "kk"), ru: translatorFor(i18n, "ru") };
/** One scheduler tick at `at` that enqueues what it owes on `queue` (a job a page), as the scheduler does in Redis mode. */
function tickInto(queue: DigestQueue, store: Store, at: Date, digests: DigestRenderer = renderer) {
  return tick({
    store,
    now: at,
    contentMark: () => digests.contentMark,
    afterPage: (decisions) => queue.enqueuePage(owedDigests(decisions)),
  });
}

/** Attempts the store counts against a chat's digest of 5 Sep 2025 (its delivery's claims that counted). */
async function attemptsInStore(prefix: string, chatId: number): Promise<number> {
  const client = new Redis(redis!.url);
  try {
    const id = await client.get(`${prefix}:dk:${chatId}:d2025-09-05`);
    const stored = id === null ? null : await client.get(`${prefix}:d:${id}`);
    return stored === null ? 0 : (JSON.parse(stored) as { attempts: number }).attempts;
  } finally {
    client.disconnect();
  }
}

const renderer = createDigestRenderer(content, translators);
const DUE = new Date("2025-09-05T05:00:00Z"); // 10:00 in Almaty: a 09:00 daily digest is owed

/** A chat's digest as the sweep finds it waiting in the queue, due since `since`. */
const waiting = (chatId: number, period: string, since = DUE): PendingDelivery => ({
  chatId,
  threadId: null,
  period,
  nextAttemptAt: since,
});

type Rig = { fake: FakeTelegram; store: Store; queue: DigestQueue; prefix: string };
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await closeRig(rig);
});
async function closeRig(rig: Rig) {
  await rig.queue.close();
  await rig.store.close();
  await rig.fake.close();
}

type RigOptions = {
  attempts?: number;
  renderer?: DigestRenderer;
  sendBudget?: SendBudget;
  logger?: Logger;
  /** The store the queue is given, built on the rig's own. */
  storeFor?: (store: Store) => Store;
  onFinished?: DigestFinished;
};

/** A fresh queue (its own prefix) and store on the test Redis, against a fake Bot API of its own. */
async function buildRig(options: RigOptions = {}): Promise<Rig> {
  const prefix = `t-${randomUUID()}`;
  const fake = await startFakeTelegram();
  const store = await openRedisStore({ url: redis!.url, prefix: `${prefix}:`, now: () => DUE });
  const api = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
  const sendBudget = options.sendBudget ?? localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
  const logger = options.logger ?? createLogger("silent");
  const queue = createDigestQueue({
    redisUrl: redis!.url,
    prefix,
    api,
    notices: createNoticesApi(TEST_TOKEN, { apiRoot: fake.apiRoot }, { budget: sendBudget, logger }),
    store: options.storeFor ? options.storeFor(store) : store,
    renderer: () => options.renderer ?? renderer,
    capabilities: createApiCapabilities({ logger }),
    sendBudget,
    logger,
    now: () => DUE,
    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
    ...(options.onFinished ? { onFinished: options.onFinished } : {}),
  });
  return { fake, store, queue, prefix };
}

async function rig(options: RigOptions = {}): Promise<Rig> {
  const created = await buildRig(options);
  rigs.push(created);
  return created;
}

/** The queue has nothing waiting or running (twice in a row: BullMQ's counts are read one state at a time). */
async function settled(queue: DigestQueue): Promise<void> {
  const idle = async () => {
    const counts = await queue.counts();
    return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0;
  };
  await until(async () => {
    if (!(await idle())) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    return idle();
  });
}

/** The BullMQ worker on Redis as main.ts runs it in Redis mode, for the shared delivery suite. */
const bullmqDriver: DeliveryDriver = {
  async open({ logger, maxAttempts, storeFor, fastClock }) {
    // A clock that jumps ahead when asked to sleep: the budget's waits cost no real time.
    let at = Date.now();
    const jumping: Clock = { now: () => at, sleep: async (ms) => void (at += ms) };
    const limits = { perSecond: 1000, perGroupPerMinute: 20 };
    const { fake, store, queue, prefix } = await buildRig({
      logger,
      sendBudget: fastClock ? localSendBudget(limits, jumping) : localSendBudget(limits),
      ...(maxAttempts !== undefined ? { attempts: maxAttempts } : {}),
      ...(storeFor ? { storeFor } : {}),
    });
    return {
      fake,
      store,
      // A page's digests go in the instance's lanes, DIGESTS_IN_FLIGHT at a time.
      inFlight: DIGESTS_IN_FLIGHT,
      async deliverDue() {
        await tickInto(queue, store, DUE);
        queue.start();
        await settled(queue);
      },
      async retryWaiting() {
        for (const job of await queue.queue.getJobs(["delayed"])) await job.promote();
        await settled(queue);
      },
      attemptsCounted: (chatId) => attemptsInStore(prefix, chatId),
      close: () => closeRig({ fake, store, queue, prefix: "" }),
    };
  },
};

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

/** The digests a chat holds, each with what it shows (a rich digest's HTML) as its text. */
const digestsTo = (fake: FakeTelegram, chatId: number) =>
  digestMessages(fake, chatId).map((message) => ({ ...message, text: shownText(message) }));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!redis)("digests through the BullMQ queue", () => {
  it("a page's digests enqueued again each as a job of its own (the sweep's) go out once", async () => {
    const { fake, store, queue } = await rig();
    const chats = Array.from({ length: 20 }, (_, index) => 7000 + index);
    await subscribe(store, chats);
    await tickInto(queue, store, DUE);
    await queue.enqueue(chats.map((chatId) => waiting(chatId, "d2025-09-05")));
    queue.start();
    await until(() => chats.every((chatId) => digestsTo(fake, chatId).length === 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const chatId of chats) expect(digestsTo(fake, chatId)).toHaveLength(1);
    expect((await store.stats(new Date(0))).deliveries.sent).toBe(20);
  });

  it("closing while digests wait for their slot (the budget closed by a long 429) ends at once; they go back and are sent later, once", async () => {
    const held = localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
    await held.closeFor(60);
    const { fake, store, queue, prefix } = await rig({ sendBudget: held });
    await subscribe(store, [7501, 7502]);
    await tickInto(queue, store, DUE);
    queue.start();
    // Both claimed by the page's job (a claim counts an attempt until the delivery is put back).
    await until(async () => (await attemptsInStore(prefix, 7501)) + (await attemptsInStore(prefix, 7502)) === 2);
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(digestSends(fake)).toHaveLength(0);

    const sendBudget = localSendBudget({ perSecond: 1000, perGroupPerMinute: 20 });
    const logger = createLogger("silent");
    const next = createDigestQueue({
      redisUrl: redis!.url,
      prefix,
      api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot }),
      notices: createNoticesApi(TEST_TOKEN, { apiRoot: fake.apiRoot }, { budget: sendBudget, logger }),
      store,
      renderer: () => renderer,
      capabilities: createApiCapabilities({ logger }),
      sendBudget,
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

  it("instant: one digest per chat and content change; a digest's job id is free of ':' although the mark is a timestamp", async () => {
    // The content as it is now, as live reload serves it: the energy sector updated, its mark a UTC timestamp.
    let live: DigestRenderer = renderer;
    let mark = renderer.contentMark;
    const current: DigestRenderer = {
      get contentMark() {
        return mark;
      },
      render: (...args) => live.render(...args),
      renderRich: (...args) => live.renderRich(...args),
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

    // Each tick's page was one job.
    expect((await queue.queue.getJobs(["completed"])).map((job) => job.name)).toEqual(["page", "page"]);
    expect(jobIdOf({ chatId: 7401, period: "i2025-09-06T10:30:00Z" })).toBe("7401_i2025-09-06T10%3A30%3A00Z");
    expect(jobIdOf({ chatId: 7401, period: "d2025-09-05" })).toBe("7401_d2025-09-05");
    // No change: nothing owed; the same change enqueued again by a sweep finds it sent: no second message.
    expect((await tickAt(new Date(DUE.getTime() + 120_000))).queued).toBe(0);
    await queue.enqueue([waiting(7401, "i2025-09-06T10:30:00Z")]);
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

  it("a digest's job whose attempts BullMQ counted beyond the store's fails its delivery for good with its last one", async () => {
    // The first claim fails (a store that answers, with an error): an attempt of the job, none of the delivery's.
    let claimFails = true;
    const storeFor = (own: Store): Store =>
      new Proxy(own, {
        get(target, name: keyof Store) {
          if (name !== "claimDeliveriesFor") return Reflect.get(target, name) as unknown;
          return async (...args: Parameters<Store["claimDeliveriesFor"]>) => {
            if (claimFails) {
              claimFails = false;
              throw new Error("ERR the store refused this claim (a test's)");
            }
            return target.claimDeliveriesFor(...args);
          };
        },
      });
    const { fake, store, queue } = await rig({ attempts: 2, storeFor });
    await subscribe(store, [7601]);
    await tick({ store, now: DUE, contentMark: () => renderer.contentMark });
    fake.failNext("sendRichMessage", { error_code: 500, description: "Internal Server Error" }, { times: 10 });
    await queue.enqueue([waiting(7601, "d2025-09-05")]);
    queue.start();
    await until(async () => (await queue.queue.getJobs(["delayed"])).length === 1);
    for (const job of await queue.queue.getJobs(["delayed"])) await job.promote();
    await until(async () => (await queue.counts()).failed === 1);
    // The job's second attempt was its last: the delivery failed for good rather than staying "sending" with no job.
    expect(digestSends(fake, 7601)).toHaveLength(1);
    expect((await store.stats(new Date(0))).deliveries.failed).toBe(1);
  });

  it("a page's job that fails (a failed attempt not recorded) is run again by BullMQ: its own digest is taken again, the sent one not", async () => {
    // The store refuses twice to record a failed attempt (an error from a store that answers): the digest's failed
    // attempt, then its crash, go unrecorded, and the page's job fails.
    let refusals = 2;
    const storeFor = (own: Store): Store =>
      new Proxy(own, {
        get(target, name: keyof Store) {
          // A sent digest is recorded slowly: a page's job that failed before its other digests settled would show it.
          if (name === "markSent")
            return async (...args: Parameters<Store["markSent"]>) => {
              await new Promise((resolve) => setTimeout(resolve, 300));
              return target.markSent(...args);
            };
          if (name !== "markAttemptFailed") return Reflect.get(target, name) as unknown;
          return async (...args: Parameters<Store["markAttemptFailed"]>) => {
            if (refusals > 0) {
              refusals--;
              throw new Error("ERR the store refused this record (a test's)");
            }
            return target.markAttemptFailed(...args);
          };
        },
      });
    const { fake, store, queue } = await rig({ storeFor });
    await subscribe(store, [7701, 7702]);
    fake.failNext(
      "sendRichMessage",
      { error_code: 500, description: "Internal Server Error" },
      { when: (payload) => payload.chat_id === 7701 },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    // The page's job failed once both its digests settled, and waits for BullMQ's backoff.
    await until(async () => (await queue.queue.getJobs(["delayed"])).length === 1);
    expect(digestsTo(fake, 7702)).toHaveLength(1);
    expect((await store.stats(new Date(0))).deliveries.sent).toBe(1);
    const [page] = await queue.queue.getJobs(["delayed"]);
    expect(page!.name).toBe("page");
    await page!.promote();
    await until(() => digestsTo(fake, 7701).length === 1);
    await until(async () => (await store.stats(new Date(0))).deliveries.sent === 2);
    // Its second run took its own delivery still sending, and left the sent one alone.
    expect(digestSends(fake, 7701)).toHaveLength(2);
    expect(digestSends(fake, 7702)).toHaveLength(1);
    expect((await queue.queue.getJobs(["completed"])).map((job) => job.name)).toEqual(["page"]);
  });

  it("a digest put back whose job was lost is enqueued by the sweep, although a sweep's job ran for it before", async () => {
    const { fake, store, queue } = await rig();
    await subscribe(store, [7901]);
    await tick({ store, now: DUE, contentMark: () => renderer.contentMark });
    // A sweep found it waiting, due since DUE; by the time the sweep's job runs, its page's job holds it.
    const held = await claimOne(store, { chatId: 7901, period: "d2025-09-05" }, "page job", DUE);
    await queue.enqueue([waiting(7901, "d2025-09-05")]);
    queue.start();
    await until(async () => (await queue.queue.getJobCounts("completed")).completed === 1);
    expect((await queue.queue.getJobs(["completed"]))[0]!.returnvalue).toBe("not owed");
    // The page's job puts it back to wait for a 429 and stops before it enqueues the digest's own job (a crash).
    const putBackTo = new Date(DUE.getTime() + 30_000);
    await store.putBack(held!.id, putBackTo, "Too Many Requests: retry after 30");
    await queueDelivery(queue, { store }).afterTick(new Date(putBackTo.getTime() + 5 * 60_000));
    await until(() => digestsTo(fake, 7901).length === 1);
    await settled(queue);
    expect(digestSends(fake, 7901)).toHaveLength(1);
    expect((await store.stats(new Date(0))).deliveries.sent).toBe(1);
  });

  it("digests held by a job that will never run again are put back by the tick's sweep, or failed at their last attempt", async () => {
    const told: Parameters<DigestFinished>[] = [];
    const { fake, store, queue, prefix } = await rig({ onFinished: (...finished) => told.push(finished) });
    await subscribe(store, [7801, 7802, 7803, 7804]);
    await tick({ store, now: DUE, contentMark: () => renderer.contentMark });
    // Holders: a job BullMQ no longer has, one that finishes at once, and one waiting an hour (alive).
    await queue.queue.add("page", { digests: [] }, { jobId: "finished-page" });
    await queue.queue.add("digest", { chatId: 7803, period: "d2025-09-05" }, { jobId: "waiting-holder", delay: 3_600_000 });
    const key = (chatId: number) => ({ chatId, period: "d2025-09-05" });
    await claimOne(store, key(7801), "lost-page", DUE);
    await claimOne(store, key(7802), "finished-page", DUE);
    await claimOne(store, key(7803), "waiting-holder", DUE);
    // 7804's every try stopped with its job: its fifth claim was its last attempt.
    for (let attempt = 0; attempt < 5; attempt++) await claimOne(store, key(7804), "lost-page", DUE);
    queue.start();
    await until(async () => (await queue.queue.getJobState("finished-page")) === "completed");
    const sweep = queueDelivery(queue, { store });
    await sweep.afterTick(DUE);
    await until(() => digestsTo(fake, 7801).length === 1);
    expect((await store.stats(new Date(0))).deliveries).toMatchObject({ sent: 1, failed: 1 });
    // The one failed for good is counted and told, as any digest's last failed attempt is.
    expect(told.filter(([outcome]) => outcome === "failed")).toEqual([["failed", { chatId: 7804, error: HOLDER_STOPPED }]]);
    // A job that finished moments ago keeps its deliveries: it may still be running where it lost its lock.
    expect((await store.heldDeliveries(10)).map((held) => held.chatId)).toEqual([7802, 7803]);
    const client = new Redis(redis!.url);
    await client.hset(`${prefix}:digests:finished-page`, "finishedOn", Date.now() - 6 * 60_000);
    client.disconnect();
    await sweep.afterTick(DUE);
    await until(() => digestsTo(fake, 7802).length === 1);
    await settled(queue);
    expect((await store.heldDeliveries(10)).map((held) => held.chatId)).toEqual([7803]);
    expect([7801, 7802, 7803, 7804].map((chatId) => digestSends(fake, chatId).length)).toEqual([1, 1, 0, 0]);
    // Put back once: the next sweep finds nothing to do.
    expect(await queue.releaseStranded(10)).toEqual({ released: [], failed: [] });
  });

  it("forum topics: one digest per topic, each sent to its topic; a deleted topic stops only its own", async () => {
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
      "sendRichMessage",
      { error_code: 400, description: "Bad Request: message thread not found" },
      { when: (payload) => payload.message_thread_id === 32, times: 10 },
    );
    await tickInto(queue, store, DUE);
    queue.start();
    // Two digests, and the notice the group gets in its General topic once the gone topic's subscription stopped.
    await until(() => digestsTo(fake, forum).length === 2 && fake.messages(forum).length === 3);
    const digests = digestSends(fake, forum);
    expect(digests.map((call) => call.payload.message_thread_id ?? null).sort()).toEqual([31, 32, null]);
    // A group's digests go without sound unless asked otherwise.
    for (const digest of digests) expect(digest.payload.disable_notification).toBe(true);
    expect(await store.getSubscription(forum, 32)).toMatchObject({ status: "stopped", stopReason: "topic_deleted" });
    expect((await store.getSubscription(forum, 31))?.status).toBe("active");
    expect((await store.getSubscription(forum))?.status).toBe("active");
    // The group hears it once, in its General topic.
    const notices = fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === forum);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload.message_thread_id).toBeUndefined();

    // The page was one job, and the gone topic's digest was not passed on to a job of its own.
    expect((await queue.queue.getJobs(["completed", "failed", "delayed", "waiting"])).map((job) => job.name)).toEqual(["page"]);
    expect(jobIdOf({ chatId: forum, threadId: 32, period: "d2025-09-05" })).toBe(`${forum}_t32_d2025-09-05`);
    expect(jobIdOf({ chatId: forum, threadId: null, period: "d2025-09-05" })).toBe(`${forum}_d2025-09-05`);
  });
});

if (redis) describeDeliveryContract("BullMQ queue (Redis)", bullmqDriver);
else console.warn(NO_REDIS_MESSAGE);
