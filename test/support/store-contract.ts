import { describe, expect, it } from "vitest";
import type { Schedule } from "../../src/shared/schedule.js";
import type { Store } from "../../src/store/types.js";
import { claimOne, recordDecision } from "./decisions.js";

/**
 * What every Store must do, whatever engine is behind it. Written with `await` on every call so that an
 * asynchronous engine can run the same suite. `open(now)` gives a fresh, empty store whose clock is `now`;
 * `reopen` (optional) gives a second handle on the same data, as after a restart; `alongside` (optional) a second
 * handle open at the same time, as a second instance has (without it, the races run on the one store); `raceRounds`
 * how many rounds each race runs (DEFAULT_RACE_ROUNDS unless given).
 */
export type StoreFactory = {
  open: (now: () => Date) => Promise<Store>;
  reopen?: (store: Store, now: () => Date) => Promise<Store>;
  alongside?: (store: Store, now: () => Date) => Promise<Store>;
  raceRounds?: number;
};

/** Rounds of each race: enough for a read-then-write to lose hundreds of times, few enough for a fast suite. */
const DEFAULT_RACE_ROUNDS = 300;

const daily = (minuteOfDay: number, timezone = "Asia/Almaty"): Schedule => ({ frequency: "daily", weekday: null, minuteOfDay, timezone });
const instant = (minuteOfDay = 540, timezone = "Asia/Almaty"): Schedule => ({ frequency: "instant", weekday: null, minuteOfDay, timezone });
const period = (key: string, dueAt: string) => ({ key, dueAt: new Date(dueAt), endsAt: new Date(Date.parse(dueAt) + 86_400_000) });

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name}: the store contract`, () => {
    let clock = new Date("2025-09-05T05:00:00Z");
    const now = () => clock;
    const aMinuteOn = () => new Date(clock.getTime() + 60_000);
    const fresh = async () => {
      clock = new Date("2025-09-05T05:00:00Z");
      return factory.open(now);
    };

    it("keeps users and chats with their languages", async () => {
      const store = await fresh();
      await store.touchUser(1);
      expect(await store.getUser(1)).toMatchObject({ id: 1, language: null });
      await store.setUserLanguage(1, "kk");
      await store.touchUser(1);
      expect((await store.getUser(1))?.language).toBe("kk");
      await store.setUserLanguage(2, "ru");
      expect((await store.getUser(2))?.language).toBe("ru");
      expect(await store.getUser(3)).toBeUndefined();
      await store.touchChat({ id: -10, kind: "supergroup", title: "A" });
      await store.setChatLanguage(-10, "kk");
      await store.touchChat({ id: -10, kind: "supergroup", title: "B" });
      expect(await store.getChat(-10)).toMatchObject({ title: "B", language: "kk" });
      expect(await store.healthy()).toBe(true);
      await store.close();
    });

    it("keeps the script of users, chats and subscriptions; deliveries carry it", async () => {
      const store = await fresh();
      await store.touchUser(30);
      expect(await store.getUser(30)).toMatchObject({ language: null, script: "cyrl" });
      await store.saveSubscription({ chatId: 30, chatKind: "private", language: "ru", schedule: daily(540), sectors: null, createdBy: 30 });
      expect((await store.getSubscription(30))?.script).toBe("cyrl");
      await store.setUserLanguage(30, "kk", "latn");
      expect(await store.getUser(30)).toMatchObject({ language: "kk", script: "latn" });
      // The person's private chat follows: their digest is in Latin.
      expect(await store.getSubscription(30)).toMatchObject({ language: "kk", script: "latn" });
      await recordDecision(store, 30, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      expect(await store.claimDeliveries(clock, 5)).toMatchObject([{ chatId: 30, language: "kk", script: "latn" }]);
      // The Arabic script is a script like the others (SQLite: migration 7 admits it).
      await store.setUserLanguage(30, "kk", "arab");
      expect(await store.getSubscription(30)).toMatchObject({ language: "kk", script: "arab" });
      await store.touchChat({ id: -31, kind: "group", title: "A" });
      await store.setChatLanguage(-31, "kk", "arab");
      expect(await store.getChat(-31)).toMatchObject({ language: "kk", script: "arab" });
      // Without a script the choice is Cyrillic again.
      await store.setUserLanguage(30, "ru");
      expect(await store.getUser(30)).toMatchObject({ language: "ru", script: "cyrl" });
      await store.touchChat({ id: -30, kind: "group", title: "G" });
      expect((await store.getChat(-30))?.script).toBe("cyrl");
      await store.saveSubscription({
        chatId: -30,
        chatKind: "group",
        language: "kk",
        script: "latn",
        schedule: daily(540),
        sectors: null,
        createdBy: 30,
      });
      expect((await store.getSubscription(-30))?.script).toBe("latn");
      await store.setChatLanguage(-30, "kk", "latn");
      expect(await store.getChat(-30)).toMatchObject({ language: "kk", script: "latn" });
      await store.updateSubscription(-30, { script: "cyrl" });
      expect((await store.getSubscription(-30))?.script).toBe("cyrl");
      await store.close();
    });

    it("saves, changes, pauses, resumes and stops a subscription; language follows the chat", async () => {
      const store = await fresh();
      const saved = await store.saveSubscription({
        chatId: 5,
        chatKind: "private",
        language: "ru",
        schedule: daily(540),
        sectors: null,
        createdBy: 5,
      });
      expect(saved).toMatchObject({ chatId: 5, status: "active", sectors: null, lastPeriod: null, contentMark: null });
      expect(saved.activeSince).toEqual(clock);
      await store.updateSubscription(5, { schedule: daily(600, "Europe/Moscow"), sectors: ["energy"] });
      expect(await store.getSubscription(5)).toMatchObject({ schedule: daily(600, "Europe/Moscow"), sectors: ["energy"] });
      await store.setUserLanguage(5, "kk");
      expect((await store.getSubscription(5))?.language).toBe("kk");
      await store.pauseSubscription(5);
      expect((await store.getSubscription(5))?.status).toBe("paused");
      clock = new Date("2025-09-06T05:00:00Z");
      await store.resumeSubscription(5);
      expect(await store.getSubscription(5)).toMatchObject({ status: "active", activeSince: clock });
      await store.stopSubscription(5, "blocked");
      expect(await store.getSubscription(5)).toMatchObject({ status: "stopped", stopReason: "blocked" });
      expect(await store.updateSubscription(404, { sectors: null })).toBeUndefined();
      await store.close();
    });

    it("lists the channels a person set up, whatever their status, and deliveries say what kind of chat they go to", async () => {
      const store = await fresh();
      const channel = (chatId: number, createdBy: number) =>
        store.saveSubscription({ chatId, chatKind: "channel", language: "kk", schedule: daily(540), sectors: null, createdBy });
      await channel(-1002, 40);
      await channel(-1001, 40);
      await channel(-1003, 41);
      // A group or the person's own chat is not a channel they manage from here.
      await store.saveSubscription({
        chatId: -50,
        chatKind: "supergroup",
        language: "kk",
        schedule: daily(540),
        sectors: null,
        createdBy: 40,
      });
      await store.saveSubscription({ chatId: 40, chatKind: "private", language: "kk", schedule: daily(540), sectors: null, createdBy: 40 });
      await store.stopSubscription(-1001, "removed");
      expect((await store.channelSubscriptionsOf(40)).map((s) => [s.chatId, s.status])).toEqual([
        [-1002, "active"],
        [-1001, "stopped"],
      ]);
      // Set up again by another admin: it is theirs to manage now.
      await channel(-1002, 41);
      expect((await store.channelSubscriptionsOf(40)).map((s) => s.chatId)).toEqual([-1001]);
      expect((await store.channelSubscriptionsOf(41)).map((s) => s.chatId)).toEqual([-1003, -1002]);
      expect(await store.channelSubscriptionsOf(99)).toEqual([]);

      await recordDecision(store, -1003, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      await recordDecision(store, 40, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      const claimed = await store.claimDeliveries(clock, 5);
      expect(Object.fromEntries(claimed.map((d) => [d.chatId, d.chatKind]))).toEqual({ "-1003": "channel", "40": "private" });
      await recordDecision(store, -1002, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      expect(await claimOne(store, { chatId: -1002, period: "d2025-09-05" }, "job 1", clock)).toMatchObject({
        chatId: -1002,
        chatKind: "channel",
      });
      await store.close();
    });

    it("keeps an empty sector list a list through the digest run's changes", async () => {
      const store = await fresh();
      await store.saveSubscription({ chatId: 14, chatKind: "private", language: "ru", schedule: daily(540), sectors: [], createdBy: 14 });
      await recordDecision(store, 14, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      const [delivery] = await store.claimDeliveries(clock, 5);
      expect(delivery?.sectors).toEqual([]);
      await store.markSent(delivery!.id, 1, "2025-09-05");
      expect((await store.getSubscription(14))?.sectors).toEqual([]);
      expect((await store.updateSubscription(14, { silent: true }))?.sectors).toEqual([]);
      await store.close();
    });

    it("queues one delivery per chat and period, however often it is recorded", async () => {
      const store = await fresh();
      await store.saveSubscription({
        chatId: 6,
        chatKind: "private",
        language: "ru",
        schedule: daily(540),
        sectors: null,
        createdBy: null,
      });
      expect((await store.takeDueSubscriptions(clock, 10, aMinuteOn())).map((s) => s.chatId)).toEqual([6]);
      const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
      const next = new Date("2025-09-06T04:00:00Z");
      await recordDecision(store, 6, owed, next);
      await store.recordDecisions([{ chatId: 6, deliver: owed, nextCheckAt: next }]);
      expect(await store.getSubscription(6)).toMatchObject({ lastPeriod: "d2025-09-05", nextCheckAt: next });
      expect(await store.takeDueSubscriptions(clock, 10, aMinuteOn())).toEqual([]);
      const claimed = await store.claimDeliveries(clock, 10);
      expect(claimed).toHaveLength(1);
      expect(await store.claimDeliveries(clock, 10)).toEqual([]);
      await store.close();
    });

    it("a subscription read before any change is never what is read after it (the digest run, a move, a lost chat)", async () => {
      const store = await fresh();
      await store.touchChat({ id: -12, kind: "group", title: "G" });
      await store.saveSubscription({ chatId: -12, chatKind: "group", language: "ru", schedule: daily(540), sectors: null, createdBy: 1 });
      expect(await store.getSubscription(-12)).toMatchObject({ lastPeriod: null, contentMark: null });
      await recordDecision(store, -12, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      expect(await store.getSubscription(-12)).toMatchObject({ lastPeriod: "d2025-09-05", nextCheckAt: new Date("2025-09-06T04:00:00Z") });
      const [delivery] = await store.claimDeliveries(clock, 5);
      await store.markSent(delivery!.id, 99, "2025-09-05");
      expect((await store.getSubscription(-12))?.contentMark).toBe("2025-09-05");
      await store.setChatLanguage(-12, "kk", "latn");
      expect(await store.getSubscription(-12)).toMatchObject({ language: "kk", script: "latn" });
      expect(await store.getSubscription(-10012)).toBeUndefined();
      await store.moveChat(-12, -10012);
      expect(await store.getSubscription(-12)).toBeUndefined();
      expect(await store.getSubscription(-10012)).toMatchObject({ status: "active", language: "kk" });
      await store.stopChat(-10012, "removed");
      expect(await store.getSubscription(-10012)).toMatchObject({ status: "stopped", stopReason: "removed" });
      await store.close();
    });

    it("takes a delivery through sending to sent and remembers what it covered", async () => {
      const store = await fresh();
      await store.saveSubscription({
        chatId: 7,
        chatKind: "private",
        language: "kk",
        schedule: daily(540),
        sectors: ["agro"],
        createdBy: null,
      });
      await recordDecision(store, 7, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      const [delivery] = await store.claimDeliveries(clock, 5);
      expect(delivery).toMatchObject({ chatId: 7, attempts: 1, language: "kk", sectors: ["agro"], contentMark: null });
      await store.markSent(delivery!.id, 99, "2025-09-05");
      expect((await store.getSubscription(7))?.contentMark).toBe("2025-09-05");
      expect((await store.stats(new Date(0))).deliveries.sent).toBe(1);
      await store.close();
    });

    it("retries, fails and drops deliveries; a dropped one stops the subscription", async () => {
      const store = await fresh();
      for (const chatId of [8, 9]) {
        await store.saveSubscription({ chatId, chatKind: "private", language: "ru", schedule: daily(540), sectors: null, createdBy: null });
        await recordDecision(store, chatId, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      }
      const [first, second] = await store.claimDeliveries(clock, 5);
      // Put back (rate limited): not an attempt.
      await store.putBack(first!.id, new Date(clock.getTime() + 60_000), "flood");
      expect(await store.claimDeliveries(clock, 5)).toEqual([]);
      // Back in the queue, due exactly when the retry was set for.
      expect(await store.pendingDeliveries(new Date(clock.getTime() + 59_999), 5)).toEqual([]);
      expect(await store.pendingDeliveries(new Date(clock.getTime() + 60_000), 5)).toEqual([
        { chatId: first!.chatId, threadId: null, period: "d2025-09-05", nextAttemptAt: new Date(clock.getTime() + 60_000) },
      ]);
      const [again] = await store.claimDeliveries(new Date(clock.getTime() + 60_000), 5);
      expect(again).toMatchObject({ id: first!.id, attempts: 1 });
      // A failed attempt counts: claimed again, it is the second.
      await store.markAttemptFailed(again!.id, new Date(clock.getTime() + 120_000), "Internal Server Error");
      expect(await store.claimDeliveries(new Date(clock.getTime() + 119_999), 5)).toEqual([]);
      const [third] = await store.claimDeliveries(new Date(clock.getTime() + 120_000), 5);
      expect(third).toMatchObject({ id: first!.id, attempts: 2 });
      await store.markFailed(third!.id, "gave up");
      // The drop stopped a running subscription: its caller tells whoever must know.
      expect(await store.markDropped(second!.id, "blocked", "Forbidden: bot was blocked by the user")).toBe(true);
      expect(await store.getSubscription(second!.chatId)).toMatchObject({ status: "stopped", stopReason: "blocked" });
      expect((await store.stats(new Date(0))).deliveries).toMatchObject({ failed: 1, dropped: 1 });
      await store.close();
    });

    it("says whether a drop stopped a running subscription, or found it stopped already by a chat event", async () => {
      const store = await fresh();
      await store.saveSubscription({ chatId: -10, chatKind: "channel", language: "ru", schedule: daily(540), sectors: null, createdBy: 1 });
      await recordDecision(store, -10, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      const [inFlight] = await store.claimDeliveries(clock, 5);
      // The bot's removal arrives while the digest is being sent, then Telegram refuses the digest.
      expect(await store.stopChat(-10, "removed")).toBe(1);
      expect(await store.markDropped(inFlight!.id, "removed", "Forbidden: bot is not a member of the channel chat")).toBe(false);
      expect(await store.getSubscription(-10)).toMatchObject({ status: "stopped", stopReason: "removed" });
      await store.close();
    });

    it("hands one chat's delivery for a period to a queue that asks for it, once finished never again", async () => {
      const store = await fresh();
      await store.saveSubscription({
        chatId: 13,
        chatKind: "private",
        language: "ru",
        schedule: daily(540),
        sectors: null,
        createdBy: null,
      });
      await recordDecision(store, 13, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      expect(await store.pendingDeliveries(clock, 10)).toEqual([
        { chatId: 13, threadId: null, period: "d2025-09-05", nextAttemptAt: clock },
      ]);
      expect(await store.pendingDeliveries(new Date(clock.getTime() - 1), 10)).toEqual([]);
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-04" }, "job 1", clock)).toBeUndefined();
      const first = await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 1", clock);
      expect(first).toMatchObject({ chatId: 13, period: "d2025-09-05", attempts: 1, language: "ru" });
      // Another job naming the same digest (a sweep's, beside a page's) does not take it while it is sending.
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 2", clock)).toBeUndefined();
      // Its holder, run again after a crash, finds it still sending and takes it again.
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 1", clock)).toMatchObject({
        id: first!.id,
        attempts: 2,
      });
      expect(await store.pendingDeliveries(clock, 10)).toEqual([]);
      // Put back (a page's digest passed on to a job of its own), it is any job's to take.
      await store.putBack(first!.id, clock, "Too Many Requests: retry after 5");
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 2", clock)).toMatchObject({ attempts: 2 });
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 1", clock)).toBeUndefined();
      await store.markSent(first!.id, 1, "2025-09-05");
      // A late put-back (a run whose job another took over) does not bring a sent delivery back.
      await store.putBack(first!.id, clock, "Too Many Requests: retry after 5");
      await store.markAttemptFailed(first!.id, clock, "Internal Server Error");
      expect(await store.pendingDeliveries(clock, 10)).toEqual([]);
      expect(await claimOne(store, { chatId: 13, period: "d2025-09-05" }, "job 1", clock)).toBeUndefined();
      expect(await store.claimDeliveries(clock, 5)).toEqual([]);
      await store.close();
    });

    it("claims a page's deliveries in one step for its holder: the owed ones, in the page's order", async () => {
      const store = await fresh();
      const chats = [31, 32, 33, 34];
      for (const chatId of chats) {
        await store.saveSubscription({ chatId, chatKind: "private", language: "ru", schedule: daily(540), sectors: null, createdBy: null });
        await recordDecision(store, chatId, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      }
      const key = (chatId: number) => ({ chatId, period: "d2025-09-05" });
      // Taken by a digest's own job first; the page's job leaves it to that job.
      expect(await claimOne(store, key(32), "digest job", clock)).toMatchObject({ chatId: 32 });
      await store.pauseSubscription(34);
      const page = await store.claimDeliveriesFor([key(33), key(31), key(32), key(34), key(35)], "page job", clock);
      expect(page.map((delivery) => [delivery.chatId, delivery.attempts])).toEqual([
        [33, 1],
        [31, 1],
      ]);
      // The paused subscription's delivery is not wanted any more.
      expect((await store.stats(new Date(0))).deliveries.dropped).toBe(1);
      // The page's job run again after a crash takes its own deliveries again, and only those.
      const again = await store.claimDeliveriesFor(chats.map(key), "page job", clock);
      expect(again.map((delivery) => [delivery.chatId, delivery.attempts])).toEqual([
        [31, 2],
        [33, 2],
      ]);
      expect(await store.claimDeliveriesFor([], "page job", clock)).toEqual([]);
      await store.close();
    });

    it("lists the deliveries held by a queue's jobs and puts back those of a holder that will not run again", async () => {
      const store = await fresh();
      for (const chatId of [41, 42, 43]) {
        await store.saveSubscription({ chatId, chatKind: "private", language: "ru", schedule: daily(540), sectors: null, createdBy: null });
        await recordDecision(store, chatId, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      }
      const key = (chatId: number) => ({ chatId, period: "d2025-09-05" });
      const [first, second] = await store.claimDeliveriesFor([key(41), key(42)], "page job", clock);
      // Claimed by the outbox sender: no holder, and requeueInterrupted's at a restart, not a queue's.
      const [third] = await store.claimDeliveries(clock, 5);
      expect(third).toMatchObject({ chatId: 43 });
      expect(await store.heldDeliveries(10)).toEqual([
        { id: first!.id, chatId: 41, threadId: null, period: "d2025-09-05", holder: "page job" },
        { id: second!.id, chatId: 42, threadId: null, period: "d2025-09-05", holder: "page job" },
      ]);
      expect(await store.heldDeliveries(1)).toHaveLength(1);
      // Another holder's name puts nothing back; a delivery sent meanwhile stays sent.
      const later = new Date(clock.getTime() + 60_000);
      const atLater = { at: later, maxAttempts: 5 };
      expect(await store.releaseHeld([first!.id, second!.id], "sweep job", atLater)).toEqual({ released: [], failed: [] });
      await store.markSent(second!.id, 7, "2025-09-05");
      expect(await store.releaseHeld([first!.id, second!.id], "page job", atLater)).toEqual({ released: [first!.id], failed: [] });
      expect(await store.heldDeliveries(10)).toEqual([]);
      // Back in the queue, due at the given time, any job's to take; its claim stays an attempt.
      expect(await store.pendingDeliveries(clock, 10)).toEqual([]);
      expect(await store.pendingDeliveries(later, 10)).toEqual([
        { chatId: 41, threadId: null, period: "d2025-09-05", nextAttemptAt: later },
      ]);
      expect(await claimOne(store, key(41), "digest job", later)).toMatchObject({ id: first!.id, attempts: 2 });
      // Held by a job stopped at its last attempt: failed for good, not put back again and again.
      expect(await store.releaseHeld([first!.id], "digest job", { at: later, maxAttempts: 2 })).toEqual({
        released: [],
        failed: [first!.id],
      });
      expect(await store.pendingDeliveries(later, 10)).toEqual([]);
      expect(await store.heldDeliveries(10)).toEqual([]);
      expect((await store.stats(new Date(0))).deliveries).toMatchObject({ sent: 1, failed: 1 });
      expect(await store.releaseHeld([], "page job", atLater)).toEqual({ released: [], failed: [] });
      await store.close();
    });

    it("keeps an instant subscription, its unused time and zone, and counts it apart in the statistics", async () => {
      const store = await fresh();
      const saved = await store.saveSubscription({
        chatId: 21,
        chatKind: "private",
        language: "kk",
        schedule: { ...instant(600), weekday: 4 },
        sectors: null,
        createdBy: 21,
      });
      // An instant schedule has no weekday; its time and zone stay for a switch back to daily or weekly.
      expect(saved.schedule).toEqual(instant(600));
      expect(await store.getSubscription(21)).toMatchObject({ schedule: instant(600), status: "active", contentMark: null });
      await store.saveSubscription({ chatId: 22, chatKind: "private", language: "kk", schedule: daily(540), sectors: null, createdBy: 22 });
      expect(await store.updateSubscription(22, { schedule: instant(540, "Europe/Moscow") })).toMatchObject({
        schedule: instant(540, "Europe/Moscow"),
      });
      expect((await store.updateSubscription(22, { schedule: daily(480) }))?.schedule).toEqual(daily(480));
      await store.updateSubscription(22, { schedule: instant() });
      expect((await store.takeDueSubscriptions(clock, 10, aMinuteOn())).map((s) => s.schedule.frequency)).toEqual(["instant", "instant"]);
      expect((await store.stats(new Date(0))).subscribers).toEqual([{ language: "kk", frequency: "instant", status: "active", count: 2 }]);
      await store.close();
    });

    it("an instant delivery per chat and mark; a newer one finishes an older one still waiting, not one being sent", async () => {
      const store = await fresh();
      for (const chatId of [23, 24]) {
        await store.saveSubscription({ chatId, chatKind: "private", language: "ru", schedule: instant(), sectors: null, createdBy: null });
      }
      const instantPeriod = (mark: string) => ({ key: `i${mark}`, dueAt: clock, endsAt: clock });
      const nextTick = new Date(clock.getTime() + 1);
      const first = instantPeriod("2025-09-05T10:30:00Z");
      await store.recordDecisions([
        { chatId: 23, deliver: first, nextCheckAt: nextTick },
        { chatId: 24, deliver: first, nextCheckAt: nextTick },
      ]);
      await recordDecision(store, 23, first, nextTick);
      expect(await store.getSubscription(23)).toMatchObject({ lastPeriod: "i2025-09-05T10:30:00Z", nextCheckAt: nextTick });
      expect(await store.pendingDeliveries(clock, 10)).toEqual([
        { chatId: 23, threadId: null, period: "i2025-09-05T10:30:00Z", nextAttemptAt: clock },
        { chatId: 24, threadId: null, period: "i2025-09-05T10:30:00Z", nextAttemptAt: clock },
      ]);
      // Chat 24's digest is being sent when the content changes again.
      const sending = await claimOne(store, { chatId: 24, period: "i2025-09-05T10:30:00Z" }, "job 1", clock);
      expect(sending).toMatchObject({ chatId: 24, contentMark: null });

      const second = instantPeriod("2025-09-05T10:31:00Z");
      await store.recordDecisions([
        { chatId: 23, deliver: second, nextCheckAt: nextTick },
        { chatId: 24, deliver: second, nextCheckAt: nextTick },
      ]);
      // Chat 23's first one adds nothing to the second: it is finished without a message.
      expect(await claimOne(store, { chatId: 23, period: "i2025-09-05T10:30:00Z" }, "job 1", clock)).toBeUndefined();
      expect((await store.stats(new Date(0))).deliveries).toMatchObject({ empty: 1, sent: 0 });
      await store.markSent(sending!.id, 7, "2025-09-05T10:31:00Z");
      expect((await store.getSubscription(24))?.contentMark).toBe("2025-09-05T10:31:00Z");
      const claimed = await store.claimDeliveries(clock, 10);
      expect(claimed.map((d) => `${d.chatId} ${d.period} ${d.contentMark}`)).toEqual([
        "23 i2025-09-05T10:31:00Z null",
        "24 i2025-09-05T10:31:00Z 2025-09-05T10:31:00Z",
      ]);
      await store.close();
    });

    it("recognises an update id it has seen", async () => {
      const store = await fresh();
      expect(await store.firstSightOfUpdate(1001)).toBe(true);
      expect(await store.firstSightOfUpdate(1001)).toBe(false);
      expect(await store.firstSightOfUpdate(1002)).toBe(true);
      await store.close();
    });

    it("moves a group's subscription and queue to its supergroup id", async () => {
      const store = await fresh();
      await store.touchChat({ id: -11, kind: "group", title: "G" });
      await store.setChatLanguage(-11, "kk");
      await store.saveSubscription({ chatId: -11, chatKind: "group", language: "kk", schedule: daily(540), sectors: null, createdBy: 1 });
      await recordDecision(store, -11, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
      await store.moveChat(-11, -10011);
      expect(await store.getSubscription(-11)).toBeUndefined();
      expect(await store.getSubscription(-10011)).toMatchObject({ chatKind: "supergroup", language: "kk" });
      expect((await store.getChat(-10011))?.language).toBe("kk");
      expect((await store.claimDeliveries(clock, 5))[0]?.chatId).toBe(-10011);
      await store.close();
    });

    it("keeps one subscription per forum topic, apart from the chat's own; each has its own queue and silence", async () => {
      const store = await fresh();
      const forum = -1007;
      const base = { chatId: forum, chatKind: "supergroup" as const, language: "ru" as const, sectors: null, createdBy: 1 };
      await store.saveSubscription({ ...base, schedule: daily(540) });
      await store.saveSubscription({ ...base, threadId: 11, schedule: daily(600), silent: false });
      await store.saveSubscription({ ...base, threadId: 12, schedule: instant() });
      expect(await store.getSubscription(forum)).toMatchObject({ threadId: null, schedule: daily(540), silent: true });
      expect(await store.getSubscription(forum, null)).toMatchObject({ threadId: null });
      expect(await store.getSubscription(forum, 11)).toMatchObject({ threadId: 11, schedule: daily(600), silent: false });
      expect(await store.getSubscription(forum, 12)).toMatchObject({ threadId: 12, schedule: instant() });
      expect(await store.getSubscription(forum, 13)).toBeUndefined();
      // A private chat is not silent unless asked.
      expect(await store.saveSubscription({ ...base, chatId: 70, chatKind: "private", schedule: daily(540) })).toMatchObject({
        silent: false,
      });

      // Changes, pauses and the group's language reach the right ones.
      await store.updateSubscription(forum, { sectors: ["agro"], silent: true }, 11);
      expect(await store.getSubscription(forum, 11)).toMatchObject({ sectors: ["agro"], silent: true });
      expect((await store.getSubscription(forum))?.sectors).toBeNull();
      await store.pauseSubscription(forum, 12);
      expect((await store.getSubscription(forum, 12))?.status).toBe("paused");
      expect((await store.getSubscription(forum))?.status).toBe("active");
      await store.resumeSubscription(forum, 12);
      expect((await store.getSubscription(forum, 12))?.status).toBe("active");
      await store.touchChat({ id: forum, kind: "supergroup", title: "Forum" });
      await store.setChatLanguage(forum, "kk");
      for (const thread of [null, 11, 12]) expect((await store.getSubscription(forum, thread))?.language).toBe("kk");

      // One delivery per topic and period, each claimed with its thread and its silence.
      const subs = await store.takeDueSubscriptions(clock, 10, aMinuteOn());
      expect(subs.filter((s) => s.chatId === forum).map((s) => s.threadId)).toEqual(expect.arrayContaining([null, 11, 12]));
      const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
      const next = new Date("2025-09-06T04:00:00Z");
      await store.recordDecisions([
        { chatId: forum, deliver: owed, nextCheckAt: next },
        { chatId: forum, threadId: 11, deliver: owed, nextCheckAt: next },
      ]);
      await recordDecision(store, forum, owed, next, 11);
      await recordDecision(store, forum, undefined, next, 12);
      expect((await store.pendingDeliveries(clock, 10)).sort((a, b) => (a.threadId ?? 0) - (b.threadId ?? 0))).toEqual([
        { chatId: forum, threadId: null, period: "d2025-09-05", nextAttemptAt: clock },
        { chatId: forum, threadId: 11, period: "d2025-09-05", nextAttemptAt: clock },
      ]);
      const topic = await claimOne(store, { chatId: forum, threadId: 11, period: "d2025-09-05" }, "job 1", clock);
      expect(topic).toMatchObject({ chatId: forum, threadId: 11, language: "kk", sectors: ["agro"], silent: true });
      await store.markSent(topic!.id, 5, "2025-09-05");
      expect((await store.getSubscription(forum, 11))?.contentMark).toBe("2025-09-05");
      expect((await store.getSubscription(forum))?.contentMark).toBeNull();
      const [own] = await store.claimDeliveries(clock, 5);
      expect(own).toMatchObject({ chatId: forum, threadId: null, silent: true });

      // A topic gone stops that topic only; the chat's own delivery and subscription go on.
      expect(await store.markDropped(own!.id, "topic_deleted", "Bad Request: message thread not found")).toBe(true);
      expect(await store.getSubscription(forum)).toMatchObject({ status: "stopped", stopReason: "topic_deleted" });
      expect((await store.getSubscription(forum, 11))?.status).toBe("active");
      await store.stopSubscription(forum, "topic_closed", 12);
      expect(await store.getSubscription(forum, 12)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
      expect((await store.getSubscription(forum, 11))?.status).toBe("active");
      await store.close();
    });

    it("a lost chat stops every topic's subscription and queue; a move takes every topic along", async () => {
      const store = await fresh();
      const base = { chatKind: "supergroup" as const, language: "ru" as const, schedule: daily(540), sectors: null, createdBy: 1 };
      const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
      const next = new Date("2025-09-06T04:00:00Z");
      for (const threadId of [null, 21, 22]) {
        await store.saveSubscription({ ...base, chatId: -1008, threadId });
        await recordDecision(store, -1008, owed, next, threadId);
      }
      await store.stopSubscription(-1008, "unsubscribed", 22);
      // Two were still running; the one that unsubscribed keeps its reason.
      expect(await store.stopChat(-1008, "removed")).toBe(2);
      expect(await store.stopChat(-1008, "removed")).toBe(0);
      expect(await store.getSubscription(-1008)).toMatchObject({ status: "stopped", stopReason: "removed" });
      expect(await store.getSubscription(-1008, 21)).toMatchObject({ status: "stopped", stopReason: "removed" });
      expect(await store.getSubscription(-1008, 22)).toMatchObject({ status: "stopped", stopReason: "unsubscribed" });
      expect(await store.claimDeliveries(clock, 10)).toEqual([]);

      for (const threadId of [null, 31]) {
        await store.saveSubscription({ ...base, chatId: -12, chatKind: "group", threadId });
        await recordDecision(store, -12, owed, next, threadId);
      }
      await store.moveChat(-12, -10012);
      expect(await store.getSubscription(-12)).toBeUndefined();
      expect(await store.getSubscription(-12, 31)).toBeUndefined();
      expect(await store.getSubscription(-10012, 31)).toMatchObject({ chatId: -10012, threadId: 31, chatKind: "supergroup" });
      const moved = await store.claimDeliveries(clock, 10);
      expect(moved.map((d) => [d.chatId, d.threadId]).sort()).toEqual(
        [
          [-10012, 31],
          [-10012, null],
        ].sort(),
      );
      // The moved chat is lost: its topics stop too.
      expect(await store.stopChat(-10012, "removed")).toBe(2);
      await store.close();
    });

    it("keeps small values for plugins (dialogue state)", async () => {
      const store = await fresh();
      expect(await store.keyValue.get("k")).toBeUndefined();
      await store.keyValue.set("k", "v1");
      await store.keyValue.set("k", "v2");
      expect(await store.keyValue.get("k")).toBe("v2");
      await store.keyValue.delete("k");
      expect(await store.keyValue.get("k")).toBeUndefined();
      await store.close();
    });

    describeRaces(factory, now, fresh);

    if (factory.reopen) {
      const reopen = factory.reopen;
      it("keeps everything across a restart; deliveries caught sending go back to the queue", async () => {
        const store = await fresh();
        await store.setUserLanguage(12, "kk", "latn");
        await store.saveSubscription({
          chatId: 12,
          chatKind: "private",
          language: "kk",
          schedule: daily(540),
          sectors: null,
          createdBy: null,
        });
        await recordDecision(store, 12, period("d2025-09-05", "2025-09-05T04:00:00Z"), new Date("2025-09-06T04:00:00Z"));
        await store.claimDeliveries(clock, 5);
        await store.keyValue.set("conversation:12:12", "{}");
        const again = await reopen(store, now);
        expect(await again.getUser(12)).toMatchObject({ language: "kk", script: "latn" });
        expect((await again.getSubscription(12))?.lastPeriod).toBe("d2025-09-05");
        expect(await again.keyValue.get("conversation:12:12")).toBe("{}");
        expect(await again.requeueInterrupted()).toBe(1);
        expect(await again.claimDeliveries(clock, 5)).toHaveLength(1);
        await again.close();
      });
    }
  });
}

/** How many rounds lost each thing checked: every count must stay 0. */
type Losses = Record<string, number>;
const count = (losses: Losses, what: string, lost: boolean) => {
  losses[what] = (losses[what] ?? 0) + (lost ? 1 : 0);
};

/** Runs `step` after `hops` round trips to the store. */
const later = async <T>(store: Store, hops: number, step: () => Promise<T>): Promise<T> => {
  for (let hop = 0; hop < hops; hop++) await store.healthy();
  return step();
};

/**
 * Two instances (two handles on the same data) change the same subscription at the same moment, round after round:
 * each change must survive the other, and a stop must survive a pause or a settings change (stop wins).
 */
function describeRaces(factory: StoreFactory, now: () => Date, fresh: () => Promise<Store>): void {
  const rounds = factory.raceRounds ?? DEFAULT_RACE_ROUNDS;
  const pair = async (): Promise<[Store, Store]> => {
    const first = await fresh();
    return [first, factory.alongside ? await factory.alongside(first, now) : first];
  };
  const closeBoth = async ([a, b]: [Store, Store]) => {
    if (b !== a) await b.close();
    await a.close();
  };
  const group = (chatId: number) =>
    ({ chatId, chatKind: "supergroup", language: "ru", schedule: daily(540), sectors: null, createdBy: 1 }) as const;

  it(`two instances changing different settings of one subscription at once lose neither (${rounds} rounds)`, async () => {
    const [a, b] = await pair();
    const losses: Losses = {};
    for (let round = 0; round < rounds; round++) {
      const chatId = -5000 - round;
      await a.touchChat({ id: chatId, kind: "supergroup", title: "G" });
      await a.saveSubscription(group(chatId));
      await Promise.all([
        a.updateSubscription(chatId, { sectors: ["agro"] }),
        b.setChatLanguage(chatId, "kk", "latn"),
        a.updateSubscription(chatId, { schedule: daily(600) }),
        b.updateSubscription(chatId, { silent: false }),
      ]);
      const stored = await a.getSubscription(chatId);
      count(losses, "sectors", stored?.sectors?.join() !== "agro");
      count(losses, "language", stored?.language !== "kk" || stored.script !== "latn");
      count(losses, "time", stored?.schedule.minuteOfDay !== 600);
      count(losses, "silent", stored?.silent !== false);
    }
    expect(losses).toEqual({ sectors: 0, language: 0, time: 0, silent: 0 });
    await closeBoth([a, b]);
  });

  it(`a settings change during the digest run loses neither the change nor the run's bookkeeping (${rounds} rounds)`, async () => {
    const [a, b] = await pair();
    const losses: Losses = {};
    const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
    for (let round = 0; round < rounds; round++) {
      const chatId = 5000 + round;
      await a.saveSubscription({ ...group(chatId), chatKind: "private" });
      // The run's one-step changes start a few round trips late by turns, to land between a change's steps.
      await Promise.all([
        b.updateSubscription(chatId, { sectors: ["energy"] }),
        later(a, round % 3, () => recordDecision(a, chatId, owed, new Date("2025-09-06T04:00:00Z"))),
      ]);
      const delivery = await claimOne(a, { chatId, period: owed.key }, "job 1", now());
      count(losses, "delivery", delivery?.sectors?.join() !== "energy");
      if (delivery)
        await Promise.all([b.setUserLanguage(chatId, "kk"), later(a, round % 4, () => a.markSent(delivery.id, 1, "2025-09-05"))]);
      const stored = await a.getSubscription(chatId);
      count(losses, "sectors", stored?.sectors?.join() !== "energy");
      count(losses, "language", stored?.language !== "kk");
      count(losses, "lastPeriod", stored?.lastPeriod !== owed.key);
      count(losses, "contentMark", stored?.contentMark !== "2025-09-05");
    }
    expect(losses).toEqual({ delivery: 0, sectors: 0, language: 0, lastPeriod: 0, contentMark: 0 });
    await closeBoth([a, b]);
  });

  it(`two ticks at once take each due subscription once; one never recorded is due again after its hold (${rounds} rounds)`, async () => {
    const [a, b] = await pair();
    const subscribed = Array.from({ length: rounds }, (_, index) => 7000 + index);
    for (const chatId of subscribed) await a.saveSubscription({ ...group(chatId), chatKind: "private" });
    const at = now();
    const heldUntil = new Date(at.getTime() + 60_000);
    const taken: number[] = [];
    for (;;) {
      const pages = await Promise.all([a, b].map((store) => store.takeDueSubscriptions(at, 7, heldUntil)));
      if (pages.every((page) => page.length === 0)) break;
      for (const page of pages) taken.push(...page.map((subscription) => subscription.chatId));
    }
    expect(taken.toSorted((x, y) => x - y)).toEqual(subscribed);
    // Nobody recorded a decision (the ticks stopped): each is due again once its hold ends, not before.
    expect(await a.takeDueSubscriptions(new Date(heldUntil.getTime() - 1), rounds, heldUntil)).toEqual([]);
    expect(await b.takeDueSubscriptions(heldUntil, rounds, new Date(heldUntil.getTime() + 60_000))).toHaveLength(rounds);
    await closeBoth([a, b]);
  });

  it(`two jobs naming one page's digests at once take each once; a holder's put-back and another's claim end in one order (${rounds} rounds)`, async () => {
    const [a, b] = await pair();
    const losses: Losses = {};
    const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
    const tomorrow = new Date("2025-09-06T04:00:00Z");
    for (let round = 0; round < rounds; round++) {
      const chats = [9000 + 3 * round, 9001 + 3 * round, 9002 + 3 * round];
      for (const chatId of chats) await a.saveSubscription({ ...group(chatId), chatKind: "private" });
      await a.recordDecisions(chats.map((chatId) => ({ chatId, deliver: owed, nextCheckAt: tomorrow })));
      const keys = chats.map((chatId) => ({ chatId, period: owed.key }));
      // A page's job and the sweep's jobs for the same digests, in another order, a few round trips apart by turns.
      const [page, sweep] = await Promise.all([
        a.claimDeliveriesFor(keys, "page job", now()),
        later(b, round % 3, () => b.claimDeliveriesFor(keys.toReversed(), "sweep job", now())),
      ]);
      const taken = [...page, ...sweep].map((delivery) => delivery.chatId);
      count(losses, "taken twice", new Set(taken).size !== taken.length);
      count(losses, "not taken", taken.length !== chats.length);
      // The page's holder, gone, is put back by two instances' sweeps at once while the sweep's job asks for the digests.
      const ids = page.map((delivery) => delivery.id);
      const [byA, byB, retaken] = await Promise.all([
        a.releaseHeld(ids, "page job", { at: now(), maxAttempts: 5 }),
        later(b, round % 2, () => b.releaseHeld(ids, "page job", { at: now(), maxAttempts: 5 })),
        later(b, round % 3, () => b.claimDeliveriesFor(keys, "sweep job", now())),
      ]);
      const released = [...byA.released, ...byB.released];
      count(losses, "put back twice", new Set(released).size !== released.length);
      count(
        losses,
        "not put back",
        ids.some((id) => !released.includes(id)),
      );
      const held = (await a.heldDeliveries(rounds * 3)).filter((delivery) => chats.includes(delivery.chatId));
      count(
        losses,
        "held by the page after its put-back",
        held.some((delivery) => delivery.holder === "page job"),
      );
      count(
        losses,
        "taken by the sweep and not held by it",
        retaken.some((delivery) => !held.some((h) => h.id === delivery.id && h.holder === "sweep job")),
      );
    }
    expect(losses).toEqual({
      "taken twice": 0,
      "not taken": 0,
      "put back twice": 0,
      "not put back": 0,
      "held by the page after its put-back": 0,
      "taken by the sweep and not held by it": 0,
    });
    await closeBoth([a, b]);
  });

  it("a change between a tick's take and its record keeps its check at once; the others wait for their decided next check", async () => {
    const [a, b] = await pair();
    const [changed, resumed, unchanged] = [7501, 7502, 7503];
    for (const chatId of [changed, resumed, unchanged]) await a.saveSubscription({ ...group(chatId), chatKind: "private" });
    const at = now();
    const heldUntil = new Date(at.getTime() + 50_000);
    const page = await a.takeDueSubscriptions(at, 10, heldUntil);
    expect(page.map((subscription) => subscription.chatId).toSorted()).toEqual([changed, resumed, unchanged]);
    // Meanwhile, in another instance: a new time for one chat, a pause and a resume for another.
    await b.updateSubscription(changed, { schedule: daily(600) });
    await b.pauseSubscription(resumed);
    await b.resumeSubscription(resumed);
    const tomorrow = new Date(at.getTime() + 86_400_000);
    await a.recordDecisions(
      page.map(({ chatId, threadId }) => ({ chatId, threadId, deliver: undefined, nextCheckAt: tomorrow })),
      heldUntil,
    );
    const dueNext = await b.takeDueSubscriptions(new Date(heldUntil.getTime() + 1), 10, new Date(heldUntil.getTime() + 50_000));
    expect(dueNext.map((subscription) => subscription.chatId).toSorted()).toEqual([changed, resumed]);
    const dueTomorrow = await b.takeDueSubscriptions(tomorrow, 10, new Date(tomorrow.getTime() + 50_000));
    expect(dueTomorrow.map((subscription) => subscription.chatId)).toContain(unchanged);
    await closeBoth([a, b]);
  });

  it(`a stop wins over a pause or a settings change at the same moment; a resume ends in one order or the other (${rounds} rounds)`, async () => {
    const [a, b] = await pair();
    const losses: Losses = {};
    const owed = period("d2025-09-05", "2025-09-05T04:00:00Z");
    const next = new Date("2025-09-06T04:00:00Z");
    const stopped: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Four chats a round: a pause against a refused digest, a settings change against the chat lost, a pause
      // against an unsubscribe, and a resume against the chat lost.
      const [refused, lost, unsubscribed, resumed] = [0, 1, 2, 3].map((offset) => -6000 - round * 4 - offset) as [
        number,
        number,
        number,
        number,
      ];
      for (const chatId of [refused, lost, unsubscribed, resumed]) await a.saveSubscription(group(chatId));
      await recordDecision(a, refused, owed, next);
      const inFlight = await claimOne(a, { chatId: refused, period: owed.key }, "job 1", now());
      await a.pauseSubscription(resumed);
      await Promise.all([
        a.pauseSubscription(refused),
        b.markDropped(inFlight!.id, "blocked", "Forbidden: bot was blocked by the user"),
        b.updateSubscription(lost, { sectors: ["agro"] }),
        a.stopChat(lost, "removed"),
        b.pauseSubscription(unsubscribed),
        a.stopSubscription(unsubscribed, "unsubscribed"),
        b.resumeSubscription(resumed),
        a.stopChat(resumed, "removed"),
      ]);
      const [s1, s2, s3, s4] = await Promise.all([refused, lost, unsubscribed, resumed].map((chatId) => a.getSubscription(chatId)));
      count(losses, "pause over a refused digest", s1?.status !== "stopped" || s1.stopReason !== "blocked");
      count(losses, "settings over a lost chat", s2?.status !== "stopped" || s2.stopReason !== "removed");
      count(losses, "settings change", s2?.sectors?.join() !== "agro");
      count(losses, "pause over unsubscribe", s3?.status !== "stopped" || s3.stopReason !== "unsubscribed");
      // Resumed after the stop (an explicit restart) or stopped after the resume: never a mix of the two.
      const serial = s4?.status === "active" ? s4.stopReason === null : s4?.status === "stopped" && s4.stopReason === "removed";
      count(losses, "resume against a lost chat", !serial);
      stopped.push(refused, lost, unsubscribed);
    }
    // No stopped subscription is left due for the scheduler either.
    const due = new Set(
      (await a.takeDueSubscriptions(new Date("2030-01-01T00:00:00Z"), rounds * 4, new Date("2030-01-01T00:01:00Z"))).map((s) => s.chatId),
    );
    count(
      losses,
      "due after the stop",
      stopped.some((chatId) => due.has(chatId)),
    );
    expect(losses).toEqual({
      "pause over a refused digest": 0,
      "settings over a lost chat": 0,
      "settings change": 0,
      "pause over unsubscribe": 0,
      "resume against a lost chat": 0,
      "due after the stop": 0,
    });
    await closeBoth([a, b]);
  });
}
