import Database from "better-sqlite3";
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createContentLibrary, type ContentLibrary } from "../src/content/library.js";
import { localSendBudget, type Clock } from "../src/telegram/send-budget.js";
import { type SenderOptions } from "../src/digest/sender.js";
import { tick } from "../src/digest/tick.js";
import { createDigestRenderer } from "../src/render/digest.js";
import type { Store } from "../src/store/types.js";
import { describeDeliveryContract, type DeliveryDriver } from "./support/delivery-contract.js";
import { digestMessages, digestSends } from "./support/digests.js";
import { shownText } from "./support/keyboard.js";
import { startHarness, TEST_TOKEN, type Harness } from "./support/harness.js";

const content = bundledContent();

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close().catch(() => undefined);
});

const LIMITS = { perSecond: 30, perGroupPerMinute: 20 };
/** 10:00 in Almaty on Friday 5 Sep 2025: a 09:00 daily digest is owed. */
const DUE = new Date("2025-09-05T05:00:00Z");

/** A fixed clock: Friday 5 Sep 2025, 10:00 in Almaty (05:00 UTC). */
let clock = new Date("2025-09-05T05:00:00Z");
const now = () => clock;

async function setUp(options: { perSecond?: number; library?: ContentLibrary; databasePath?: string; fake?: Harness["fake"] } = {}) {
  clock = options.databasePath ? clock : new Date("2025-09-05T05:00:00Z");
  const harness = await startHarness({
    now,
    ...(options.library ? { library: options.library } : {}),
    ...(options.databasePath ? { databasePath: options.databasePath } : {}),
    ...(options.fake ? { fake: options.fake } : {}),
    bot: { rateLimits: { perSecond: options.perSecond ?? 30, perGroupPerMinute: 20 } },
  });
  harnesses.push(harness);
  return harness;
}

/** The Api digests go out on, as in main.ts: the fake's, without the replies' transformers. */
const deliveryApi = (harness: Harness) => new Api(TEST_TOKEN, { apiRoot: harness.fake.apiRoot });

function senderFor(harness: Harness, overrides: Partial<SenderOptions> = {}) {
  return harness.digestSender({
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    ...overrides,
  });
}

/**
 * Subscribes chats at 09:00 Almaty daily (already passed at the fixed clock), in the given language; or, with
 * `frequency` "instant", to digests as soon as the content changes.
 */
async function subscribe(
  store: Store,
  chatIds: number[],
  language: "kk" | "ru" = "ru",
  sectors: string[] | null = null,
  frequency: "daily" | "instant" = "daily",
) {
  for (const chatId of chatIds) {
    await store.saveSubscription({
      chatId,
      chatKind: chatId < 0 ? "supergroup" : "private",
      language,
      schedule: { frequency, weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
      sectors,
      createdBy: null,
    });
  }
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);
const digestsTo = (harness: Harness, chatId: number) => digestSends(harness.fake, chatId);
/** What each digest a chat holds shows (a rich digest's HTML). */
const deliveredTo = (harness: Harness, chatId: number) =>
  digestMessages(harness.fake, chatId).map((message) => ({ text: shownText(message) }));

/** The China briefing with sectors updated after the first digests went out (sector id → its updatedAt). */
function libraryWithUpdatedSectors(updates: Record<string, string>): ContentLibrary {
  const copy = structuredClone(content.latest);
  for (const [sectorId, updatedAt] of Object.entries(updates)) copy.sectors.find((entry) => entry.id === sectorId)!.updatedAt = updatedAt;
  return createContentLibrary([copy]);
}
const libraryWithUpdatedSector = (sectorId: string, updatedAt: string) => libraryWithUpdatedSectors({ [sectorId]: updatedAt });

/** Later than any backoff the cases wait for. */
const HOURS_LATER = 3 * 60 * 60 * 1000;

/** The SQLite outbox sender as main.ts runs it, on the bot's send budget, for the shared delivery suite. */
const outboxDriver: DeliveryDriver = {
  async open({ logger, maxAttempts, storeFor, fastClock }) {
    const harness = await startHarness({ now: () => DUE, bot: { rateLimits: LIMITS } });
    // Ahead of real time by `ahead`; with fastClock, a clock that jumps when asked to sleep (429 waits cost no time).
    let ahead = 0;
    let at = Date.now();
    const clock: Clock = fastClock
      ? { now: () => at, sleep: async (ms) => void (at += ms) }
      : { now: () => Date.now() + ahead, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
    const sender = harness.digestSender({
      clock,
      logger,
      ...(fastClock ? { sendBudget: localSendBudget(LIMITS, clock) } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(storeFor ? { store: storeFor(harness.store) } : {}),
    });
    const db = new Database(harness.databasePath, { readonly: true });
    return {
      fake: harness.fake,
      store: harness.store,
      inFlight: 3,
      async deliverDue() {
        await tick({ store: harness.store, now: DUE, contentMark: () => harness.deps.edition().digests.contentMark });
        await sender.drain();
      },
      async retryWaiting() {
        if (fastClock) at += HOURS_LATER;
        else ahead += HOURS_LATER;
        await sender.drain();
      },
      async attemptsCounted(chatId) {
        const row = db.prepare<[number], { attempts: number }>("SELECT attempts FROM deliveries WHERE chat_id = ?").get(chatId);
        return row?.attempts ?? 0;
      },
      async close() {
        await sender.stop();
        db.close();
        await harness.close();
      },
    };
  },
};
describeDeliveryContract("SQLite outbox", outboxDriver);

describe("digest content", () => {
  it("first digest: overview, key figures and the chosen sectors' headlines; then nothing when nothing is new", async () => {
    const harness = await setUp();
    await subscribe(harness.store, [501], "ru", ["energy"]);
    await subscribe(harness.store, [502], "kk");
    expect(await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark })).toEqual({
      checked: 2,
      queued: 2,
    });
    expect(await senderFor(harness).drain()).toMatchObject({ sent: 2 });

    const ru = deliveredTo(harness, 501)[0]!;
    expect(ru.text).toContain("Обзор");
    expect(ru.text).toContain("более $27 млрд");
    expect(ru.text).toContain("Энергетика и производство");
    expect(ru.text).not.toContain("Агросектор");
    const kk = deliveredTo(harness, 502)[0]!;
    expect(kk.text).toContain("🗞 Дайджест · ");
    expect(kk.text).toContain("Агросектор және цифрлық технология");

    // The next day: a new period, but no new content — the delivery is recorded and nothing is sent.
    clock = new Date("2025-09-06T05:00:00Z");
    expect((await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark })).queued).toBe(
      2,
    );
    expect(await senderFor(harness).drain()).toMatchObject({ sent: 0, empty: 2 });
    expect(digestsTo(harness, 501)).toHaveLength(1);
  });

  it("later digests carry only what changed since the chat's previous digest, for its sectors", async () => {
    const first = await setUp();
    await subscribe(first.store, [601], "ru", ["energy"]);
    await subscribe(first.store, [602], "ru", ["agro"]);
    await tick({ store: first.store, now: now(), contentMark: () => first.deps.edition().digests.contentMark });
    await senderFor(first).drain();
    await first.store.close();

    // A content update ships: the energy sector is revised.
    clock = new Date("2025-09-06T05:00:00Z");
    const updated = libraryWithUpdatedSector("energy", "2025-09-06");
    const second = await setUp({ library: updated, databasePath: first.databasePath, fake: first.fake });
    await tick({ store: second.store, now: now(), contentMark: () => second.deps.edition().digests.contentMark });
    const result = await senderFor(second, { renderer: () => createDigestRenderer(updated, second.deps.translators) }).drain();
    expect(result).toMatchObject({ sent: 1, empty: 1 });
    const later = deliveredTo(second, 601)[1]!;
    expect(later.text).toContain("Новое с прошлого дайджеста");
    expect(later.text).toContain("Энергетика и производство");
    expect(later.text).not.toContain("Обзор");
    expect(deliveredTo(second, 602)).toHaveLength(1);
  });

  it("renders each distinct digest once, however many chats share it", async () => {
    const renderer = createDigestRenderer(content, Object.fromEntries(["kk", "ru"].map((l) => [l, (key: string) => key])) as never);
    const a = renderer.render("ru", ["energy", "agro"], null);
    const b = renderer.render("ru", ["agro", "energy"], null);
    expect(b).toBe(a);
    expect(renderer.render("ru", null, null)).not.toBe(a);
  });
});

describe("instant digests", () => {
  const ENERGY = "Энергетика и производство";
  const AGRO = "Агросектор и цифровые технологии";
  const TRANSPORT = "Транспорт и логистика";

  it("one message per content change with only what is new; no change, no message; two edits before a tick, one message", async () => {
    const harness = await setUp();
    await subscribe(harness.store, [701], "ru", null, "instant");
    await subscribe(harness.store, [702], "ru", ["agro"], "instant");
    await subscribe(harness.store, [703], "ru", null, "daily");
    // The content as it is at each tick (live reload changes it while the bot runs); the sender renders the same.
    let renderer = harness.deps.edition().digests;
    const tickAndSend = async () => {
      clock = new Date(clock.getTime() + 60_000);
      const planned = await tick({ store: harness.store, now: now(), contentMark: () => renderer.contentMark });
      const drained = await senderFor(harness, { renderer: () => renderer }).drain();
      return { queued: planned.queued, sent: drained.sent, empty: drained.empty };
    };

    // Subscribed: the first digest at the next tick (the briefing in brief), and the daily one at its time.
    expect(await tickAndSend()).toEqual({ queued: 3, sent: 3, empty: 0 });
    expect(deliveredTo(harness, 701)[0]!.text).toContain("Обзор");
    // Ticks without a change send nothing.
    expect(await tickAndSend()).toEqual({ queued: 0, sent: 0, empty: 0 });
    expect(await tickAndSend()).toEqual({ queued: 0, sent: 0, empty: 0 });

    // Two edits before the next tick: energy, then agro. One message each, with both for chat 701.
    renderer = createDigestRenderer(libraryWithUpdatedSectors({ energy: "2025-09-06" }), harness.deps.translators);
    renderer = createDigestRenderer(libraryWithUpdatedSectors({ energy: "2025-09-06", agro: "2025-09-07" }), harness.deps.translators);
    expect(await tickAndSend()).toEqual({ queued: 2, sent: 2, empty: 0 });
    const both = deliveredTo(harness, 701)[1]!.text;
    expect(both).toContain("Новое с прошлого дайджеста");
    expect(both).toContain(ENERGY);
    expect(both).toContain(AGRO);
    expect(both).not.toContain("Обзор");
    // Chat 702 follows agro only.
    const agroOnly = deliveredTo(harness, 702)[1]!.text;
    expect(agroOnly).toContain(AGRO);
    expect(agroOnly).not.toContain(ENERGY);
    expect(await harness.store.getSubscription(701)).toMatchObject({ contentMark: "2025-09-07", lastPeriod: "i2025-09-07" });
    expect(await tickAndSend()).toEqual({ queued: 0, sent: 0, empty: 0 });

    // Another change: transport. Only that goes to 701; 702 does not follow transport, so nothing is sent there.
    renderer = createDigestRenderer(
      libraryWithUpdatedSectors({ energy: "2025-09-06", agro: "2025-09-07", transp: "2025-09-08" }),
      harness.deps.translators,
    );
    expect(await tickAndSend()).toEqual({ queued: 2, sent: 1, empty: 1 });
    const third = deliveredTo(harness, 701)[2]!.text;
    expect(third).toContain(TRANSPORT);
    expect(third).not.toContain(ENERGY);
    expect(third).not.toContain(AGRO);
    expect(await tickAndSend()).toEqual({ queued: 0, sent: 0, empty: 0 });

    expect(deliveredTo(harness, 701)).toHaveLength(3);
    expect(deliveredTo(harness, 702)).toHaveLength(2);
    // The daily subscriber is not touched by content changes between its times.
    expect(deliveredTo(harness, 703)).toHaveLength(1);
  });

  it("a change while an older instant digest still waits (a retry) sends one message, not two", async () => {
    const harness = await setUp();
    await subscribe(harness.store, [711], "ru", null, "instant");
    await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
    await senderFor(harness).drain();

    // The digest of the energy update fails once and waits for its retry; meanwhile agro is updated too.
    const energy = createDigestRenderer(libraryWithUpdatedSectors({ energy: "2025-09-06" }), harness.deps.translators);
    clock = new Date(clock.getTime() + 60_000);
    await tick({ store: harness.store, now: now(), contentMark: () => energy.contentMark });
    harness.fake.failNext("sendRichMessage", { error_code: 500, description: "Internal Server Error" });
    expect(await senderFor(harness, { renderer: () => energy, backoffMs: () => 60_000 }).drain()).toMatchObject({ sent: 0, retried: 1 });
    const both = createDigestRenderer(libraryWithUpdatedSectors({ energy: "2025-09-06", agro: "2025-09-07" }), harness.deps.translators);
    clock = new Date(clock.getTime() + 60_000);
    expect((await tick({ store: harness.store, now: now(), contentMark: () => both.contentMark })).queued).toBe(1);
    // The new digest covers the waiting one, which is finished without a message.
    expect(await senderFor(harness, { renderer: () => both }).drain()).toMatchObject({ sent: 1, retried: 0 });
    expect((await harness.store.stats(new Date(0))).deliveries).toMatchObject({ sent: 2, empty: 1 });
    expect(await harness.store.claimDeliveries(new Date(Date.now() + 3_600_000), 10)).toEqual([]);

    expect(deliveredTo(harness, 711)).toHaveLength(2);
    const later = deliveredTo(harness, 711)[1]!.text;
    expect(later).toContain(ENERGY);
    expect(later).toContain(AGRO);
  });
});

describe("delivery against the fake Bot API", () => {
  it("keeps the pace: never above the per-second limit, no 429 from a strict server", async () => {
    const harness = await setUp({ perSecond: 10 });
    harness.fake.limitRate({ perSecond: 10, perGroupPerMinute: 20, retryAfter: 1 });
    // When each message leaves the bot (arrival times at the server also carry the machine's scheduling jitter).
    const departures: number[] = [];
    const api = deliveryApi(harness);
    api.config.use((previous, method, payload, signal) => {
      if (method === "sendRichMessage") departures.push(Date.now());
      return previous(method, payload, signal);
    });
    const chats = range(2001, 25);
    await subscribe(harness.store, chats);
    await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
    const result = await senderFor(harness, { api }).drain();
    expect(result.sent).toBe(25);
    for (const chatId of chats) expect(deliveredTo(harness, chatId)).toHaveLength(1);
    // Every attempt went through this Api: each message once, plus one more for each 429 the server gave.
    expect(departures).toHaveLength(chats.length + harness.fake.tooManyRequests());
    for (const at of departures) expect(departures.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(10);
    // A strict server may still see jitter push one message into its second now and then; never a stream of 429s.
    expect(harness.fake.tooManyRequests()).toBeLessThanOrEqual(1);
  });

  it("a digest queued before the chat paused is not sent", async () => {
    const harness = await setUp();
    await subscribe(harness.store, [3101, 3102]);
    await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
    await harness.store.pauseSubscription(3101);
    expect(await senderFor(harness).drain()).toMatchObject({ sent: 1 });
    expect(deliveredTo(harness, 3101)).toHaveLength(0);
    expect((await harness.store.stats(new Date(0))).deliveries).toMatchObject({ sent: 1, dropped: 1 });
  });

  it("gone (400 chat not found): the subscription stops too", async () => {
    const harness = await setUp();
    await subscribe(harness.store, [-3003]);
    await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
    harness.fake.failNext("sendRichMessage", { error_code: 400, description: "Bad Request: chat not found" });
    expect(await senderFor(harness).drain()).toMatchObject({ dropped: 1 });
    expect(await harness.store.getSubscription(-3003)).toMatchObject({ status: "stopped", stopReason: "chat_not_found" });
  });

  it("a restart in the middle of a run loses none and resends none", async () => {
    const first = await setUp();
    const chats = range(6001, 8);
    await subscribe(first.store, chats);
    await tick({ store: first.store, now: now(), contentMark: () => first.deps.edition().digests.contentMark });
    // The fifth message never gets an answer: the process dies with it in flight.
    let answered = 0;
    let hung: (() => void) | undefined;
    let fifthArrived: () => void = () => undefined;
    const fifth = new Promise<void>((resolve) => (fifthArrived = resolve));
    first.fake.override("sendRichMessage", () => {
      if (++answered !== 5) return undefined;
      fifthArrived();
      return new Promise<never>((_, reject) => (hung = () => reject(new Error("process died"))));
    });
    // The process dies: nothing of it waits for its store to come back (storeWaitMs 0).
    const run = senderFor(first, { concurrency: 1, storeWaitMs: 0 })
      .drain()
      .catch(() => undefined);
    await fifth;
    await first.store.close();
    hung?.();
    await run;
    first.fake.override("sendRichMessage", () => undefined);
    const beforeRestart = chats.filter((chatId) => deliveredTo(first, chatId).length === 1);
    expect(beforeRestart).toHaveLength(4);

    const second = await setUp({ databasePath: first.databasePath, fake: first.fake });
    // The one in flight and the ones claimed with it but not yet sent come back to the queue.
    expect(await second.store.requeueInterrupted()).toBe(chats.length - 4);
    expect((await tick({ store: second.store, now: now(), contentMark: () => second.deps.edition().digests.contentMark })).queued).toBe(0);
    await senderFor(second).drain();
    for (const chatId of chats) expect(deliveredTo(second, chatId)).toHaveLength(1);
  });
});

describe("send budget for digests", () => {
  function fakeClock(): Clock & { advance(ms: number): void } {
    let at = 0;
    return {
      now: () => at,
      advance: (ms) => void (at += ms),
      sleep: async (ms) => void (at += ms),
    };
  }

  it("holds 30 messages a second overall", async () => {
    const clock = fakeClock();
    const sendBudget = localSendBudget({ perSecond: 30, perGroupPerMinute: 20 }, clock);
    const starts: number[] = [];
    for (let index = 0; index < 90; index++) {
      await sendBudget.acquire(100 + index, "digest");
      starts.push(clock.now());
    }
    expect(starts.filter((at) => at < 1000)).toHaveLength(30);
    expect(starts.at(-1)).toBeGreaterThanOrEqual(2000);
  });

  it("holds 20 messages a minute to one group, without slowing other chats", async () => {
    const clock = fakeClock();
    const sendBudget = localSendBudget({ perSecond: 30, perGroupPerMinute: 20 }, clock);
    for (let index = 0; index < 20; index++) await sendBudget.acquire(-42, "digest");
    expect(clock.now()).toBe(0);
    await sendBudget.acquire(7, "digest");
    expect(clock.now()).toBe(0);
    await sendBudget.acquire(-42, "digest");
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
  });

  it("closes for everyone on retry_after", async () => {
    const clock = fakeClock();
    const sendBudget = localSendBudget({ perSecond: 30, perGroupPerMinute: 20 }, clock);
    await sendBudget.closeFor(5);
    await sendBudget.acquire(1, "digest");
    expect(clock.now()).toBe(5000);
  });
});
