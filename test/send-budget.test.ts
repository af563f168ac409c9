import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { redisSendWindows } from "../src/telegram/redis-send-windows.js";
import {
  createSendBudget,
  JITTER_MARGIN_MS,
  localSendBudget,
  memoryWindows,
  type Clock,
  type Grant,
  type RateLimits,
  type SendPriority,
  type SendWindows,
} from "../src/telegram/send-budget.js";
import { NO_REDIS_MESSAGE, redisForTests } from "./support/redis-server.js";

/** A clock that only moves when someone sleeps: waits cost no real time, and the order of grants is exact. */
function fakeClock(): Clock {
  let at = 0;
  return { now: () => at, sleep: async (ms) => void (at += ms) };
}

/** Paid broadcasts at 10 a second, 2 a second free. */
const PAID_LIMITS: RateLimits = { perSecond: 2, perGroupPerMinute: 20, paidPerSecond: 10 };

/**
 * Within one second, with PAID_LIMITS: paid broadcasts leave the free second alone; a reply and a digest-priority
 * message that is not a paid broadcast (an alert, a notice) fill it; then both kinds are refused, paid ones still go.
 */
async function onlyPaidBroadcastsPassAFullFreeSecond(windows: SendWindows) {
  const take = (chatId: number, priority: SendPriority) => Promise.resolve(windows.take(chatId, priority));
  for (let index = 0; index < 3; index++) expect(await take(100 + index, "paid")).toMatchObject({ granted: true });
  expect(await take(200, "digest")).toMatchObject({ granted: true });
  expect(await take(201, "reply")).toMatchObject({ granted: true });
  expect(await take(202, "reply")).toMatchObject({ granted: false, blocks: "free" });
  expect(await take(203, "digest")).toMatchObject({ granted: false, blocks: "free" });
  expect(await take(104, "paid")).toMatchObject({ granted: true });
}

/** A budget's windows for given limits, and how to date the slots answered so far (Redis dates them in a later step). */
type WindowsFor = (limits: RateLimits) => { windows: SendWindows; dateAnswered: () => Promise<void> };

/**
 * A slot answered after its second had passed counts from its answer, as Telegram may have counted it then: it fills
 * the second again with the slots taken meanwhile. With paid broadcasts, a late digest fills the free second again and
 * a late paid broadcast stays out of it.
 */
async function lateAnswersCountFromTheirAnswer(windowsFor: WindowsFor, wait: (ms: number) => Promise<void>) {
  const pastTheSecond = 1000 + JITTER_MARGIN_MS + 100;
  const take = (windows: SendWindows, chatId: number, priority: SendPriority) => Promise.resolve(windows.take(chatId, priority));
  const slotOf = async (windows: SendWindows, chatId: number, priority: SendPriority) => {
    const grant = await take(windows, chatId, priority);
    if (!grant.granted) throw new Error(`chat ${chatId} was refused a slot`);
    return grant.slot;
  };

  const twoASecond = windowsFor({ perSecond: 2, perGroupPerMinute: 20 });
  const late = await slotOf(twoASecond.windows, 1, "digest");
  await wait(pastTheSecond);
  await slotOf(twoASecond.windows, 2, "digest");
  late.sent();
  await twoASecond.dateAnswered();
  expect(await take(twoASecond.windows, 3, "digest")).toMatchObject({ granted: false, blocks: "all" });

  const paid = windowsFor({ perSecond: 3, perGroupPerMinute: 20, paidPerSecond: 10 });
  const latePaid = await slotOf(paid.windows, 10, "paid");
  const lateDigest = await slotOf(paid.windows, 11, "digest");
  await wait(pastTheSecond);
  await slotOf(paid.windows, 12, "digest");
  latePaid.sent();
  lateDigest.sent();
  await paid.dateAnswered();
  expect(await take(paid.windows, 13, "digest")).toMatchObject({ granted: true });
  expect(await take(paid.windows, 14, "digest")).toMatchObject({ granted: false, blocks: "free" });
  expect(await take(paid.windows, 15, "paid")).toMatchObject({ granted: true });
}

/**
 * A slot whose message did not go is given back: the bot's second, the free second, a group's minute and a private
 * chat's burst each have its room again, at once.
 */
async function unusedSlotsAreGivenBack(windowsFor: WindowsFor) {
  const take = (windows: SendWindows, chatId: number, priority: SendPriority = "digest") => Promise.resolve(windows.take(chatId, priority));
  const cases: [RateLimits, chatId: number, next: number, priority: SendPriority, blocks: string][] = [
    [{ perSecond: 1, perGroupPerMinute: 20 }, 1, 2, "digest", "all"],
    [{ perSecond: 1, perGroupPerMinute: 20, paidPerSecond: 10 }, 3, 4, "reply", "free"],
    [{ perSecond: 30, perGroupPerMinute: 1 }, -5, -5, "digest", "chat"],
    [{ perSecond: 30, perGroupPerMinute: 20, privateChatBurst: 1 }, 7, 7, "reply", "chat"],
  ];
  for (const [limits, chatId, next, priority, blocks] of cases) {
    const { windows } = windowsFor(limits);
    const grant = await take(windows, chatId, priority);
    if (!grant.granted) throw new Error(`chat ${chatId} was refused a slot`);
    expect(await take(windows, next, priority)).toMatchObject({ granted: false, blocks });
    grant.slot.unused();
    expect(await take(windows, next, priority), `${blocks} after a slot given back`).toMatchObject({ granted: true });
  }
}

describe("send budget (one process)", () => {
  it("a reply takes the next free slot ahead of digests that waited longer", async () => {
    const clock = fakeClock();
    const budget = localSendBudget({ perSecond: 2, perGroupPerMinute: 20 }, clock);
    const order: string[] = [];
    const take = (name: string, chatId: number, priority: SendPriority) =>
      budget.acquire(chatId, priority).then(() => order.push(`${name}@${clock.now()}`));
    const waiting = [take("d1", 1, "digest"), take("d2", 2, "digest"), take("d3", 3, "digest"), take("d4", 4, "digest")];
    waiting.push(take("r1", 5, "reply"));
    await Promise.all(waiting);
    // d1 and d2 fill the first second; the reply, asked for after d3 and d4, goes before both.
    expect(order.map((entry) => entry.split("@")[0])).toEqual(["d1", "d2", "r1", "d3", "d4"]);
  });

  it("a private chat gets a burst, then one message a second; other chats meanwhile go at once", async () => {
    const clock = fakeClock();
    const budget = localSendBudget({ perSecond: 30, perGroupPerMinute: 20, privateChatBurst: 3 }, clock);
    const times: number[] = [];
    for (let index = 0; index < 5; index++) {
      await budget.acquire(7, "reply");
      times.push(clock.now());
    }
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    expect(times[3]).toBeGreaterThanOrEqual(1000);
    expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(1000);
    const before = clock.now();
    await budget.acquire(8, "reply");
    expect(clock.now()).toBe(before);
  });

  it("a chat that is full does not hold up replies to other chats queued behind it", async () => {
    const clock = fakeClock();
    const budget = localSendBudget({ perSecond: 30, perGroupPerMinute: 2 }, clock);
    await budget.acquire(-5, "reply");
    await budget.acquire(-5, "reply");
    const order: string[] = [];
    const group = budget.acquire(-5, "reply").then(() => order.push("group"));
    const other = budget.acquire(9, "reply").then(() => order.push("other"));
    await Promise.all([group, other]);
    expect(order).toEqual(["other", "group"]);
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
  });

  it("a slot answered after its second has passed counts from its answer", async () => {
    const clock = fakeClock();
    await lateAnswersCountFromTheirAnswer(
      (limits) => ({ windows: memoryWindows(limits, clock), dateAnswered: async () => undefined }),
      (ms) => clock.sleep(ms),
    );
  });

  it("a slot whose message did not go is given back", async () => {
    const clock = fakeClock();
    await unusedSlotsAreGivenBack((limits) => ({ windows: memoryWindows(limits, clock), dateAnswered: async () => undefined }));
  });

  it("a slot that comes after its waiter gave up is given back, whether it was asked for at once or after a wait", async () => {
    // Windows that answer a step later, as Redis does; the first answer to each waiter is given at once (a refusal
    // when `refuseFirst`), every later one when the test says.
    const answers: ((grant: Grant) => void)[] = [];
    const unused = vi.fn();
    const slot = { sent: vi.fn(), unused };
    const windowsThatAnswerLater = (refuseFirst: boolean): SendWindows => {
      let asked = 0;
      return {
        take: () =>
          refuseFirst && asked++ === 0
            ? { granted: false, waitMs: 10, blocks: "all" }
            : new Promise<Grant>((resolve) => answers.push(resolve)),
        closeFor: () => undefined,
      };
    };
    for (const refuseFirst of [false, true]) {
      const budget = createSendBudget(windowsThatAnswerLater(refuseFirst), fakeClock());
      const giveUp = new AbortController();
      const waiting = budget.acquire(1, "reply", giveUp.signal);
      await vi.waitFor(() => expect(answers).toHaveLength(1));
      giveUp.abort();
      answers.pop()!({ granted: true, slot });
      expect(await waiting).toBeUndefined();
      await vi.waitFor(() => expect(unused).toHaveBeenCalledOnce());
      expect(slot.sent).not.toHaveBeenCalled();
      unused.mockClear();
    }
  });

  it("a 429 closes it for everyone for retry_after; an aborted wait gives up its place", async () => {
    const clock = fakeClock();
    const budget = localSendBudget({ perSecond: 30, perGroupPerMinute: 20 }, clock);
    await budget.closeFor(2);
    const aborted = new AbortController();
    aborted.abort();
    expect(await budget.acquire(1, "reply", aborted.signal)).toBeUndefined();
    expect(await budget.acquire(1, "digest")).toBeDefined();
    expect(clock.now()).toBe(2000);
  });
});

describe("send budget in Redis, while Redis does not answer", () => {
  it("counts in the process's own windows meanwhile, and says so", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const problems: unknown[] = [];
    const clock = fakeClock();
    const windows = redisSendWindows({
      redis: unreachable,
      limits: { perSecond: 2, perGroupPerMinute: 20 },
      onUnreachable: (error) => problems.push(error),
    });
    const budget = createSendBudget(windows, clock);
    try {
      for (let index = 0; index < 3; index++) expect(await budget.acquire(10 + index, "digest")).toBeDefined();
      expect(problems.length).toBeGreaterThan(0);
      // The local windows still hold the limit: the third message waited for the next second.
      expect(clock.now()).toBeGreaterThanOrEqual(1000);
    } finally {
      unreachable.disconnect();
    }
  });
  it("a Redis that hangs without closing the connection holds no send: past answerWithinMs the process counts alone", async () => {
    // A connection whose budget steps are never answered (Redis paused, or cut off with the socket still open).
    const scripts: Record<string, unknown> = {};
    let asked = 0;
    const hanging = Object.assign(scripts, {
      defineCommand: (name: string) =>
        void (scripts[name] = () => {
          asked++;
          return new Promise(() => undefined);
        }),
    }) as unknown as Redis;
    const problems: unknown[] = [];
    const budget = createSendBudget(
      redisSendWindows({
        redis: hanging,
        limits: { perSecond: 30, perGroupPerMinute: 20 },
        answerWithinMs: 20,
        onUnreachable: (error) => problems.push(error),
      }),
      fakeClock(),
    );
    const outcome = await Promise.race([
      budget.closeFor(0.001).then(() => budget.acquire(-5, "reply")),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 1000)),
    ]);
    expect(outcome).toBeDefined();
    expect(outcome).not.toBe("still waiting");
    expect(problems.length).toBeGreaterThanOrEqual(2);
    // Once Redis has failed to answer, the next messages are counted in memory at once, without asking it again.
    const askedBefore = asked;
    const started = Date.now();
    for (let index = 0; index < 5; index++) await budget.acquire(100 + index, "digest");
    expect(asked).toBe(askedBefore);
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe("send budget with paid broadcasts", () => {
  /** A budget with paid broadcasts on a fake clock, and who was granted a slot when, in order. */
  function paidBudget() {
    const clock = fakeClock();
    const budget = localSendBudget(PAID_LIMITS, clock);
    const granted: { who: string; at: number }[] = [];
    const take = (who: string, chatId: number, priority: SendPriority) =>
      budget.acquire(chatId, priority).then(() => granted.push({ who, at: clock.now() }));
    return { granted, take };
  }

  it("only paid broadcasts count outside the free second: a free digest-priority message is refused when it is full", async () => {
    await onlyPaidBroadcastsPassAFullFreeSecond(memoryWindows(PAID_LIMITS, fakeClock()));
  });

  it("an alert or a notice waits for the free second behind replies, while paid digests queued after it go", async () => {
    const { granted, take } = paidBudget();
    const waiting = [take("reply", 1, "reply"), take("reply", 2, "reply"), take("notice", -3, "digest")];
    waiting.push(...Array.from({ length: 5 }, (_, index) => take("paid", 100 + index, "paid")));
    await Promise.all(waiting);
    // The paid digests, asked for after the notice, went before it, in the second the replies filled.
    expect(granted.map(({ who }) => who)).toEqual(["reply", "reply", ...Array(5).fill("paid"), "notice"]);
    expect(granted.at(-1)!.at).toBeGreaterThanOrEqual(1000);
  });

  it("digests go at the paid rate, replies within the free rate and still first", async () => {
    const { granted, take } = paidBudget();
    const digests = Array.from({ length: 26 }, (_, index) => take("digest", 100 + index, "paid"));
    const replies = Array.from({ length: 4 }, (_, index) => take("reply", 200 + index, "reply"));
    await Promise.all([...digests, ...replies]);
    const WINDOW = 1000 + JITTER_MARGIN_MS;
    const second = (index: number) => granted.filter(({ at }) => at >= index * WINDOW && at < (index + 1) * WINDOW).map(({ who }) => who);
    // 10 a second in all (the paid rate): the first second all digests, which asked first.
    expect(second(0)).toEqual(Array(10).fill("digest"));
    // Then the replies waiting go first, 2 a second (the free rate), and digests fill the rest.
    expect(second(1)).toEqual([...Array(2).fill("reply"), ...Array(8).fill("digest")]);
    expect(second(2)).toEqual([...Array(2).fill("reply"), ...Array(8).fill("digest")]);
  });
});

const redis = await redisForTests();
afterAll(async () => redis?.stop());

describe.skipIf(!redis)(`send budget in Redis, shared by instances${redis ? "" : ` (${NO_REDIS_MESSAGE})`}`, () => {
  const limits: RateLimits = { perSecond: 5, perGroupPerMinute: 2, privateChatBurst: 2 };
  async function twoInstances() {
    const prefix = `budget-${randomUUID()}`;
    const connections = [new Redis(redis!.url), new Redis(redis!.url)];
    const windows = connections.map((connection) => redisSendWindows({ redis: connection, limits, prefix }));
    const budgets = windows.map((instanceWindows) => createSendBudget(instanceWindows));
    return { budgets, windows, close: () => Promise.all(connections.map((connection) => connection.quit())) };
  }

  /**
   * The longest gap, in ms, between answers to pings sent every 20 ms on a connection of its own: a stall of this
   * process (the event loop held) or of Redis (the server not scheduled) alike, until stop().
   */
  function watchStalls(url: string) {
    const connection = new Redis(url);
    let watching = true;
    let longest = 0;
    const done = (async () => {
      while (watching) {
        const started = Date.now();
        await connection.ping();
        await new Promise((resolve) => setTimeout(resolve, 20));
        longest = Math.max(longest, Date.now() - started - 20);
      }
    })();
    return {
      async stop(): Promise<number> {
        watching = false;
        await done;
        await connection.quit();
        return longest;
      },
    };
  }

  it("two instances together stay within the per-second limit and a group's per-minute limit", async () => {
    const { budgets, close } = await twoInstances();
    try {
      const grantedAt: number[] = [];
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 12 }, (_, index) => budgets[index % 2]!.acquire(100 + index, "digest").then(() => grantedAt.push(Date.now()))),
      );
      // 5 a second for both together: the 11th and 12th wait for the third window.
      expect(grantedAt.filter((at) => at - started < 900)).toHaveLength(5);
      expect(Math.max(...grantedAt) - started).toBeGreaterThanOrEqual(2000);

      await budgets[0]!.acquire(-77, "digest");
      await budgets[1]!.acquire(-77, "digest");
      const third = new AbortController();
      setTimeout(() => third.abort(), 1500);
      // The group's third message within a minute is held, whichever instance asks.
      expect(await budgets[0]!.acquire(-77, "digest", third.signal)).toBeUndefined();
    } finally {
      await close();
    }
  });

  it("an answered slot is dated with the instance's next step, or in a step of its own when none comes soon", async () => {
    const connection = new Redis(redis!.url);
    const prefix = `budget-${randomUUID()}`;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const scores = async () => (await connection.zrange(`${prefix}:all`, 0, -1, "WITHSCORES")).filter((_, index) => index % 2).map(Number);
    try {
      const windows = redisSendWindows({ redis: connection, limits, prefix });
      const datedAlone = vi.spyOn(connection, "sendBudgetSent");
      const grant = async (chatId: number) => {
        const taken = await windows.take(chatId, "digest");
        if (!taken.granted) throw new Error("refused");
        return taken.slot;
      };
      const first = await grant(100);
      await sleep(40);
      first.sent();
      await grant(101);
      // The second step dated the first slot at its own time: both count from now, and no step went alone.
      const [firstAt, secondAt] = await scores();
      expect(firstAt).toBe(secondAt);
      expect(datedAlone).not.toHaveBeenCalled();

      const third = await grant(102);
      const [, , grantedAt] = await scores();
      await sleep(40);
      third.sent();
      await sleep(60);
      expect(datedAlone).toHaveBeenCalledTimes(1);
      expect((await scores())[2]).toBeGreaterThanOrEqual(grantedAt! + 40);

      // Before the connection closes, the backend dates what still waits, without waiting for the timer.
      const fourth = await grant(103);
      const [, , , fourthAt] = await scores();
      await sleep(20);
      fourth.sent();
      await windows.dateAnswered();
      expect(datedAlone).toHaveBeenCalledTimes(2);
      expect((await scores())[3]).toBeGreaterThanOrEqual(fourthAt! + 20);
    } finally {
      await connection.quit();
    }
  });

  it("a slot answered after its second has passed counts from its answer, as in memory", async () => {
    const connection = new Redis(redis!.url);
    try {
      await lateAnswersCountFromTheirAnswer(
        (limits) => {
          const windows = redisSendWindows({ redis: connection, limits, prefix: `budget-${randomUUID()}` });
          return { windows, dateAnswered: () => windows.dateAnswered() };
        },
        (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      );
    } finally {
      await connection.quit();
    }
  });

  it("a slot whose message did not go is given back, as in memory", async () => {
    const connection = new Redis(redis!.url);
    try {
      await unusedSlotsAreGivenBack((limits) => {
        const windows = redisSendWindows({ redis: connection, limits, prefix: `budget-${randomUUID()}` });
        return { windows, dateAnswered: () => windows.dateAnswered() };
      });
    } finally {
      await connection.quit();
    }
  });

  it("with paid broadcasts, only they count outside the free second, as in memory", async () => {
    const connection = new Redis(redis!.url);
    try {
      await onlyPaidBroadcastsPassAFullFreeSecond(
        redisSendWindows({ redis: connection, limits: PAID_LIMITS, prefix: `budget-${randomUUID()}` }),
      );
    } finally {
      await connection.quit();
    }
  });

  it("a 429 seen by one instance closes the budget of the other; a reply waiting in one goes before the other's digests", async () => {
    const { budgets, windows, close } = await twoInstances();
    try {
      const [first, second] = budgets as [NonNullable<(typeof budgets)[0]>, NonNullable<(typeof budgets)[1]>];
      await first.closeFor(1);
      const started = Date.now();
      await second.acquire(1, "digest");
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);

      // Fill the second with slots 100 ms apart, so that they free one at a time, then queue digests on one instance
      // and a reply on the other. The reply must be asked while the second is still full and before any digest went.
      // The order is seen in this process: a stall of this process or of Redis half as long as the slots' spacing could
      // let two grants made in turn be seen together, in either order; a round a loaded machine stalled in starts
      // again after a second of rest.
      const spacingMs = 100;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      let order: string[] = [];
      for (let round = 0; round < 5; round++) {
        if (round > 0) await sleep(1000 + JITTER_MARGIN_MS);
        const chat = (base: number, index: number) => base + 10 * round + index;
        const fill = round === 0 ? 4 : 5;
        for (let index = 0; index < fill; index++) {
          await sleep(spacingMs);
          await first.acquire(chat(200, index), "digest");
        }
        order = [];
        const stalls = watchStalls(redis!.url);
        const digests = [0, 1, 2].map((index) => first.acquire(chat(300, index), "digest").then(() => order.push(`digest${index}`)));
        await sleep(50);
        const asked = await windows[1]!.take(chat(400, 0), "reply");
        const heldWhenAsked = order.length === 0 && !asked.granted && asked.blocks === "all";
        const reply = second.acquire(chat(400, 0), "reply").then(() => order.push("reply"));
        await Promise.all([...digests, reply]);
        const longestStall = await stalls.stop();
        if (heldWhenAsked && longestStall < spacingMs / 2) break;
      }
      expect(order[0], order.join(",")).toBe("reply");
    } finally {
      await close();
    }
  });
});
