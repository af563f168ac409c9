/* eslint-disable @typescript-eslint/no-explicit-any --
   Log lines are arbitrary JSON objects that the cases read fields of. */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type Logger } from "../../src/logger.js";
import type { Store } from "../../src/store/types.js";
import { digestMessages, digestSends, sentText } from "./digests.js";
import type { FakeTelegram } from "./fake-telegram.js";

/**
 * What digest delivery must do, whichever path delivers (the SQLite outbox sender, the BullMQ worker on Redis): both
 * run deliverOne, and this suite holds each to the same outcomes. A driver opens a rig per case.
 */
export type DeliveryRig = {
  fake: FakeTelegram;
  /** The rig's own store (never the one a case made go away). */
  store: Store;
  /** Requests the path has in flight at once (its workers). */
  inFlight: number;
  /** One tick at 10:00 Almaty on 5 Sep 2025 and the delivery of what it owes; resolves once nothing is being sent. */
  deliverDue: () => Promise<void>;
  /** Time passes: deliveries put back or waiting for a retry are due, and are delivered as deliverDue does. */
  retryWaiting: () => Promise<void>;
  /** Attempts counted against the chat's digest of the day (the outbox row's, or the job's). */
  attemptsCounted: (chatId: number) => Promise<number>;
  close: () => Promise<void>;
};

export type RigOptions = {
  /** The delivery's logger (the suite reads what it logs). */
  logger: Logger;
  /** Attempts before a digest fails for good. */
  maxAttempts?: number;
  /** The store the delivery is given, built on the rig's own (a case makes it go away). */
  storeFor?: (store: Store) => Store;
  /** The send budget's clock jumps ahead when asked to sleep: 429 waits cost no real time. */
  fastClock?: boolean;
};

export type DeliveryDriver = { open: (options: RigOptions) => Promise<DeliveryRig> };

/** The digest of the day is owed at 09:00 Almaty; deliverDue ticks after it. */
const daily = { frequency: "daily" as const, weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" };
const TOO_MANY = { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } };
/** A digest is one rich message on a current server (the fake's default); the HTML digest answers on an older one. */
const DIGEST = "sendRichMessage";

/**
 * A store that goes away at the first call of `method` (that call and every other throws, and healthy() says false,
 * as ioredis does while Redis restarts) and comes back `ms` later.
 */
export function storeAwayAt(store: Store, method: keyof Store, ms: number): Store {
  let backAt = 0;
  return new Proxy(store, {
    get(target, name: keyof Store) {
      const member: unknown = Reflect.get(target, name);
      if (name === "healthy") return async () => Date.now() >= backAt && target.healthy();
      if (typeof member !== "function") return member;
      return async (...args: unknown[]) => {
        if (name === method && backAt === 0) backAt = Date.now() + ms;
        if (Date.now() < backAt) throw new Error("Connection is closed.");
        return (member as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

export function describeDeliveryContract(name: string, driver: DeliveryDriver): void {
  describe(`${name}: the delivery contract`, () => {
    const rigs: DeliveryRig[] = [];
    afterEach(async () => {
      for (const rig of rigs.splice(0)) await rig.close();
    });
    let logged: Record<string, any>[] = [];
    async function open(options: Omit<RigOptions, "logger"> = {}): Promise<DeliveryRig> {
      logged = [];
      const lines = new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n")) if (line.trim()) logged.push(JSON.parse(line) as Record<string, any>);
          done();
        },
      });
      const rig = await driver.open({ ...options, logger: createLogger("info", [], lines) });
      rigs.push(rig);
      return rig;
    }
    const subscribe = async (store: Store, chatIds: number[], threadId: number | null = null) => {
      for (const chatId of chatIds) {
        const chatKind = chatId < 0 ? "supergroup" : "private";
        await store.saveSubscription({ chatId, threadId, chatKind, language: "ru", schedule: daily, sectors: null, createdBy: null });
      }
    };
    const sendsTo = (fake: FakeTelegram, chatId: number) => digestSends(fake, chatId);
    const digestsIn = (fake: FakeTelegram, chatId: number) => digestMessages(fake, chatId);
    const deliveries = async (store: Store) => (await store.stats(new Date(0))).deliveries;
    const linesSaying = (msg: string) => logged.filter((line) => line.msg === msg);

    it("rich: the digest is one rich message (what is new, the figures table, the source), with its buttons", async () => {
      const { fake, store, deliverDue } = await open();
      await subscribe(store, [901]);
      await deliverDue();
      const [digest] = fake.callsTo(DIGEST).filter((call) => call.payload.chat_id === 901);
      expect(digest).toBeDefined();
      const payload = digest!.payload as { rich_message: { is_rtl?: boolean }; reply_markup: { inline_keyboard: unknown[][] } };
      expect(payload.rich_message).toMatchObject({ skip_entity_detection: true });
      expect(payload.rich_message.is_rtl).toBe(false);
      const html = sentText(digest!);
      expect(html).toMatch(/^<h2>🗞 Дайджест · /);
      expect(html).toContain("<table");
      expect(html).toMatch(/<footer>Источник: BAQ\.KZ/);
      expect(payload.reply_markup.inline_keyboard.flat().length).toBeGreaterThan(1);
      expect(fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === 901)).toHaveLength(0);
      expect(await deliveries(store)).toMatchObject({ sent: 1, failed: 0 });
    });

    it("a server without rich messages: the same delivery goes out as the HTML digest at once, no attempt lost", async () => {
      const { fake, store, inFlight, deliverDue } = await open();
      fake.withoutRichMessages();
      const chats = [911, 912, 913, 914, 915, 916];
      await subscribe(store, chats);
      await deliverDue();
      for (const chatId of chats) {
        expect(digestsIn(fake, chatId)).toHaveLength(1);
        expect(digestsIn(fake, chatId)[0]!.text).toContain("🗞 Дайджест");
      }
      // Learnt from the first refusal: only the requests already on their way asked for rich messages.
      expect(fake.callsTo(DIGEST).length).toBeGreaterThanOrEqual(1);
      expect(fake.callsTo(DIGEST).length).toBeLessThanOrEqual(inFlight);
      expect(await deliveries(store)).toMatchObject({ sent: chats.length, failed: 0, dropped: 0 });
      expect(linesSaying("digest failed, will retry")).toEqual([]);
    });

    it("429 once on a rich send: every sender waits retry_after, then the rich digest goes out, once", async () => {
      const { fake, store, inFlight, deliverDue } = await open();
      const chats = Array.from({ length: 12 }, (_, index) => 1001 + index);
      await subscribe(store, chats);
      fake.failNext(DIGEST, TOO_MANY, { when: (payload) => payload.chat_id === 1004 });
      await deliverDue();
      for (const chatId of chats) expect(digestsIn(fake, chatId)).toHaveLength(1);
      expect(fake.callsTo("sendMessage")).toHaveLength(0);
      const [refused, again] = sendsTo(fake, 1004);
      expect(again!.at - refused!.at).toBeGreaterThanOrEqual(950);
      // Only requests already on their way when the 429 came back may overlap the pause.
      const duringPause = digestSends(fake).filter((call) => call.at > refused!.at + 50 && call.at < refused!.at + 950);
      expect(duringPause.length).toBeLessThanOrEqual(inFlight - 1);
      expect(await deliveries(store)).toMatchObject({ sent: 12, failed: 0, dropped: 0 });
    });

    it("429 again and again: after 5 waits the digest goes back for later, without an attempt, and goes out then", async () => {
      const { fake, store, deliverDue, retryWaiting, attemptsCounted } = await open({ fastClock: true });
      await subscribe(store, [1101]);
      fake.failNext(DIGEST, TOO_MANY, { when: (payload) => payload.chat_id === 1101, times: 6 });
      await deliverDue();
      // The first try and five more, each after the budget waited out retry_after.
      expect(sendsTo(fake, 1101)).toHaveLength(6);
      expect(await deliveries(store)).toMatchObject({ sent: 0, failed: 0, dropped: 0 });
      expect(await attemptsCounted(1101)).toBe(0);
      expect(await store.getSubscription(1101)).toMatchObject({ status: "active" });
      expect(linesSaying("digest refused with 429 again and again: queued for later")).toEqual([
        expect.objectContaining({ chat_id: 1101, retry_after: 1 }),
      ]);

      await retryWaiting();
      expect(digestsIn(fake, 1101)).toHaveLength(1);
      expect(await deliveries(store)).toMatchObject({ sent: 1, failed: 0 });
    });

    it("403 (blocked): one attempt, the subscription stops, logged, never tried again", async () => {
      const { fake, store, deliverDue, retryWaiting, attemptsCounted } = await open();
      await subscribe(store, [3001, 3002]);
      const blocked = { error_code: 403, description: "Forbidden: bot was blocked by the user" };
      fake.failNext(DIGEST, blocked, { when: (payload) => payload.chat_id === 3001, times: 100 });
      await deliverDue();
      expect(sendsTo(fake, 3001)).toHaveLength(1);
      expect(digestsIn(fake, 3002)).toHaveLength(1);
      expect(await store.getSubscription(3001)).toMatchObject({ status: "stopped", stopReason: "blocked" });
      expect(await deliveries(store)).toMatchObject({ sent: 1, dropped: 1, failed: 0 });
      expect(await attemptsCounted(3001)).toBe(1);
      expect(linesSaying("chat is gone: subscription stopped")).toEqual([expect.objectContaining({ chat_id: 3001, reason: "blocked" })]);
      await retryWaiting();
      expect(sendsTo(fake, 3001)).toHaveLength(1);
    });

    it("chat migrated: the subscription moves once, logged, and the digest goes to the supergroup", async () => {
      const { fake, store, deliverDue } = await open();
      await subscribe(store, [-4001]);
      await store.touchChat({ id: -4001, kind: "group", title: "Old group" });
      await store.setChatLanguage(-4001, "kk");
      const upgraded = {
        error_code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat",
        parameters: { migrate_to_chat_id: -1004001 },
      };
      fake.failNext(DIGEST, upgraded, { when: (payload) => payload.chat_id === -4001 });
      await deliverDue();
      expect(sendsTo(fake, -4001)).toHaveLength(1);
      expect(digestsIn(fake, -1004001)).toHaveLength(1);
      expect(await store.getSubscription(-4001)).toBeUndefined();
      expect(await store.getSubscription(-1004001)).toMatchObject({ status: "active", language: "kk" });
      expect((await store.getChat(-1004001))?.language).toBe("kk");
      expect(await deliveries(store)).toMatchObject({ sent: 1, failed: 0 });
      expect(linesSaying("group became a supergroup: subscription moved")).toEqual([
        expect.objectContaining({ from: -4001, to: -1004001 }),
      ]);
      // The period was delivered: the moved subscription is not owed it again.
      await deliverDue();
      expect(digestsIn(fake, -1004001)).toHaveLength(1);
    });

    it("topic closed: only that topic's digest stops, logged, and the group is told once in its General topic", async () => {
      const { fake, store, deliverDue } = await open();
      const forum = -1007300;
      for (const threadId of [null, 31, 32]) await subscribe(store, [forum], threadId);
      const closed = { error_code: 400, description: "Bad Request: TOPIC_CLOSED" };
      fake.failNext(DIGEST, closed, { when: (payload) => payload.message_thread_id === 32, times: 10 });
      await deliverDue();
      await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === forum);
      const digests = sendsTo(fake, forum);
      expect(digests.map((call) => (call.payload.message_thread_id as number | undefined) ?? null).sort()).toEqual([31, 32, null]);
      expect(digestsIn(fake, forum)).toHaveLength(2);
      expect(await store.getSubscription(forum, 32)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
      expect((await store.getSubscription(forum, 31))?.status).toBe("active");
      expect((await store.getSubscription(forum))?.status).toBe("active");
      const notices = fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === forum);
      expect(notices).toHaveLength(1);
      expect(notices[0]!.payload.message_thread_id).toBeUndefined();
      expect(linesSaying("forum topic is gone: its subscription stopped")).toEqual([
        expect.objectContaining({ chat_id: forum, thread_id: 32, reason: "topic_closed" }),
      ]);
    });

    it("5xx: retried with backoff, then failed for good after the last attempt; the subscription goes on", async () => {
      const { fake, store, deliverDue, retryWaiting, attemptsCounted } = await open({ maxAttempts: 3 });
      await subscribe(store, [5001, 5002]);
      const serverError = { error_code: 500, description: "Internal Server Error" };
      fake.failNext(DIGEST, serverError, { when: (payload) => payload.chat_id === 5001 });
      fake.failNext(DIGEST, serverError, { when: (payload) => payload.chat_id === 5002, times: 100 });
      await deliverDue();
      // Both wait for their backoff; neither is failed yet.
      expect(await deliveries(store)).toMatchObject({ sent: 0, failed: 0 });
      await retryWaiting();
      expect(digestsIn(fake, 5001)).toHaveLength(1);
      await retryWaiting();
      expect(sendsTo(fake, 5001)).toHaveLength(2);
      expect(sendsTo(fake, 5002)).toHaveLength(3);
      expect(await attemptsCounted(5002)).toBe(3);
      expect(await deliveries(store)).toMatchObject({ sent: 1, failed: 1 });
      expect(await store.getSubscription(5002)).toMatchObject({ status: "active" });
      expect(
        linesSaying("digest failed, will retry")
          .map((line) => line.chat_id as number)
          .sort(),
      ).toEqual([5001, 5002, 5002]);
      expect(linesSaying("digest failed for good")).toEqual([expect.objectContaining({ chat_id: 5002, attempts: 3 })]);
      await retryWaiting();
      expect(sendsTo(fake, 5002)).toHaveLength(3);
    });

    it("store away and back: a digest sent while the store is away is recorded once it answers, and sent once", async () => {
      const { fake, store, deliverDue, retryWaiting } = await open({ storeFor: (own) => storeAwayAt(own, "markSent", 1200) });
      await subscribe(store, [6001]);
      await deliverDue();
      expect(await deliveries(store)).toMatchObject({ sent: 1, failed: 0 });
      expect((await store.getSubscription(6001))?.contentMark).not.toBeNull();
      expect(linesSaying("digest delivery crashed")).toEqual([]);
      await retryWaiting();
      expect(sendsTo(fake, 6001)).toHaveLength(1);
    });
  });
}
