import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { periodsAround } from "../src/digest/schedule.js";
import type { Schedule } from "../src/shared/schedule.js";
import { tick } from "../src/digest/tick.js";
import type { Logger } from "../src/logger.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";
import { ALMATY, at, daily, instant, weekly } from "./support/schedules.js";
import { recordDecision } from "./support/decisions.js";

/** A SQLite store in a temporary folder, with a clock the test moves by hand. */
type TestStore = { store: Store; path: string; setNow(iso: string): Date; readonly now: Date };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function openTestStore(start: string): TestStore {
  const folder = mkdtempSync(join(tmpdir(), "tick-test-"));
  const path = join(folder, "bot.db");
  let current = at(start);
  const store = openSqliteStore(path, () => current);
  cleanups.push(() => {
    void store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  return {
    store,
    path,
    setNow(next) {
      current = at(next);
      return current;
    },
    get now() {
      return current;
    },
  };
}

async function subscribe(store: Store, chatId: number, schedule: Schedule) {
  return store.saveSubscription({
    chatId,
    chatKind: chatId < 0 ? "group" : "private",
    language: "ru",
    schedule,
    sectors: null,
    createdBy: null,
  });
}

/** Every delivery row, read straight from the database: "chatId period". */
function deliveryRows(path: string): string[] {
  const db = new Database(path, { fileMustExist: true });
  try {
    return db
      .prepare<[], { chat_id: number; period: string }>("SELECT chat_id, period FROM deliveries ORDER BY chat_id, period")
      .all()
      .map((row) => `${row.chat_id} ${row.period}`);
  } finally {
    db.close();
  }
}

/** The content mark of the published content in these tests (daily and weekly digests do not depend on it). */
const MARK = "2025-09-05";

/** Ticks at `now` (moving the store's clock there too), with the content at `mark`. */
async function tickAt(t: TestStore, now: string, pageSize?: number, mark = MARK) {
  return tick({ store: t.store, now: t.setNow(now), contentMark: () => mark, pageSize });
}

describe("tick over the SQLite store", () => {
  // Daily 09:00 in Almaty is 04:00 UTC; the store is opened at 07:00 local on Friday 5 September 2025.
  const nine = daily("09:00", ALMATY);

  it("queues a digest at its time and never a second one in the same period", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);

    expect(await tickAt(t, "2025-09-05T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-05T04:00:00Z"));
    expect(await tickAt(t, "2025-09-05T03:59:00Z")).toEqual({ checked: 0, queued: 0 });

    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await t.store.getSubscription(1)).toMatchObject({ lastPeriod: "d2025-09-05", nextCheckAt: at("2025-09-06T04:00:00Z") });

    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-05T12:00:00Z")).toEqual({ checked: 0, queued: 0 });
    // Saving the subscription again makes it due for a look now; it still owes nothing this period.
    await subscribe(t.store, 1, nine);
    expect(await tickAt(t, "2025-09-05T12:00:00Z")).toEqual({ checked: 1, queued: 0 });

    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
    expect((await t.store.stats(at("2025-01-01T00:00:00Z"))).queued).toBe(1);
  });

  it("the store keeps one delivery per chat and period even if a decision is recorded twice", async () => {
    const t = openTestStore("2025-09-05T04:00:00Z");
    await subscribe(t.store, 1, nine);
    const { latest, next } = periodsAround(nine, t.now);
    await recordDecision(t.store, 1, latest, next.dueAt);
    await recordDecision(t.store, 1, latest, next.dueAt);
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("the next local day owes the next period", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    expect((await tickAt(t, "2025-09-06T03:59:00Z")).queued).toBe(0);
    expect((await tickAt(t, "2025-09-06T04:00:00Z")).queued).toBe(1);
    expect((await tickAt(t, "2025-09-06T04:01:00Z")).queued).toBe(0);
    expect((await tickAt(t, "2025-09-07T04:05:00Z")).queued).toBe(1);
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-06", "1 d2025-09-07"]);
  });

  it("after three days of downtime only the newest period is queued, not one per missed day", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    // Down from then until 11:00 local on Monday the 8th.
    expect(await tickAt(t, "2025-09-08T06:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await tickAt(t, "2025-09-08T06:01:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-08"]);
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-09T04:00:00Z"));
  });

  it("downtime ending shortly before today's time: yesterday's digest once (under 24h late), then today's on time", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    expect((await tickAt(t, "2025-09-05T04:00:00Z")).queued).toBe(1);
    expect(await tickAt(t, "2025-09-08T03:00:00Z")).toEqual({ checked: 1, queued: 1 }); // 08:00 local
    expect(await tickAt(t, "2025-09-08T03:30:00Z")).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-08T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05", "1 d2025-09-07", "1 d2025-09-08"]);
  });

  it("a weekly digest missed by more than 24 hours is skipped until next week", async () => {
    const t = openTestStore("2025-09-01T02:00:00Z"); // Monday
    await subscribe(t.store, 1, weekly(3, "09:00", ALMATY));
    expect(await tickAt(t, "2025-09-01T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    // Down over Wednesday; back on Friday.
    expect(await tickAt(t, "2025-09-05T06:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-10T04:00:00Z"));
    expect(await tickAt(t, "2025-09-10T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 w2025-09-08"]);
  });

  it("pages through many subscriptions (1200 with pages of 100), private and group ids alike", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z"); // 10:00 local: today's time has passed, so each is owed today's
    const chatIds = [...Array.from({ length: 600 }, (_, i) => -1_000_000_000_000 - i), ...Array.from({ length: 600 }, (_, i) => i + 1)];
    for (const chatId of chatIds) await subscribe(t.store, chatId, nine);

    const pages = vi.spyOn(t.store, "takeDueSubscriptions");
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 100)).toEqual({ checked: 1200, queued: 1200 });
    expect(pages).toHaveBeenCalledTimes(13); // 12 full pages and an empty one
    for (const [, limit] of pages.mock.calls) expect(limit).toBe(100);
    pages.mockRestore();

    const rows = deliveryRows(t.path);
    expect(rows).toHaveLength(1200);
    expect(new Set(rows.map((row) => row.split(" ")[0])).size).toBe(1200);
    expect(rows.every((row) => row.endsWith(" d2025-09-05"))).toBe(true);

    expect(await tickAt(t, "2025-09-05T05:00:00Z", 100)).toEqual({ checked: 0, queued: 0 });
    expect(await tickAt(t, "2025-09-06T04:00:00Z", 100)).toEqual({ checked: 1200, queued: 1200 });
  });

  it("a page shorter than the page size ends the pass", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z");
    for (const chatId of [3, 1, 2]) await subscribe(t.store, chatId, nine);
    const pages = vi.spyOn(t.store, "takeDueSubscriptions");
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 2)).toEqual({ checked: 3, queued: 3 });
    expect(pages).toHaveBeenCalledTimes(2);
  });

  it("paused subscriptions are not queued; resumed ones are owed only periods that had not ended before resuming", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await subscribe(t.store, 2, nine);
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 2, queued: 2 });

    t.setNow("2025-09-05T06:00:00Z");
    await t.store.pauseSubscription(2);
    expect(await tickAt(t, "2025-09-06T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(await tickAt(t, "2025-09-07T04:00:00Z")).toEqual({ checked: 1, queued: 1 });

    // Resumed at 07:00 local on the 8th: the 7th's digest is less than 24h old but ended before resuming.
    t.setNow("2025-09-08T02:00:00Z");
    await t.store.resumeSubscription(2);
    expect(await t.store.getSubscription(2)).toMatchObject({ status: "active", activeSince: at("2025-09-08T02:00:00Z") });
    expect(await tickAt(t, "2025-09-08T02:00:00Z")).toEqual({ checked: 1, queued: 0 });
    expect(await tickAt(t, "2025-09-08T04:00:00Z")).toEqual({ checked: 2, queued: 2 });

    expect(deliveryRows(t.path)).toEqual([
      "1 d2025-09-05",
      "1 d2025-09-06",
      "1 d2025-09-07",
      "1 d2025-09-08",
      "2 d2025-09-05",
      "2 d2025-09-08",
    ]);
  });

  it("resumed later the same day after the time passed, the running period is owed", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await t.store.pauseSubscription(1);
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 0, queued: 0 });
    t.setNow("2025-09-05T10:00:00Z"); // 15:00 local
    await t.store.resumeSubscription(1);
    expect(await tickAt(t, "2025-09-05T10:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("stopped subscriptions are not checked", async () => {
    const t = openTestStore("2025-09-05T02:00:00Z");
    await subscribe(t.store, 1, nine);
    await subscribe(t.store, 2, nine);
    await t.store.stopSubscription(2, "unsubscribed");
    expect(await tickAt(t, "2025-09-05T04:00:00Z")).toEqual({ checked: 1, queued: 1 });
    expect(deliveryRows(t.path)).toEqual(["1 d2025-09-05"]);
  });

  it("instant subscriptions are looked at every tick, over several pages, and owe one digest per content mark", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z");
    for (let chatId = 1; chatId <= 7; chatId++) await subscribe(t.store, chatId, instant(ALMATY));
    await subscribe(t.store, 8, nine);
    // Pages of 3: every instant subscription is decided once and the tick ends (none stays due).
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 3)).toEqual({ checked: 8, queued: 8 });
    expect(await tickAt(t, "2025-09-05T05:00:00Z", 3)).toEqual({ checked: 0, queued: 0 });
    // The next tick looks at them again; the content has not changed since the digests were recorded.
    expect(await tickAt(t, "2025-09-05T05:01:00Z", 3)).toEqual({ checked: 7, queued: 0 });
    // Two edits before the next tick: one mark, one digest per chat.
    expect(await tickAt(t, "2025-09-05T05:02:00Z", 3, "2025-09-06")).toEqual({ checked: 7, queued: 7 });
    expect(await tickAt(t, "2025-09-05T05:03:00Z", 3, "2025-09-06")).toEqual({ checked: 7, queued: 0 });
    expect(deliveryRows(t.path).filter((row) => row.startsWith("1 "))).toEqual(["1 i2025-09-05", "1 i2025-09-06"]);
    expect(deliveryRows(t.path).filter((row) => row.startsWith("8 "))).toEqual(["8 d2025-09-05"]);
  });

  it("a schedule that cannot be evaluated is logged and retried in an hour without stopping the others", async () => {
    const t = openTestStore("2025-09-05T05:00:00Z");
    await subscribe(t.store, 1, daily("09:00", "Nowhere/Atlantis"));
    await subscribe(t.store, 2, nine);
    const error = vi.fn();
    const logger = { error } as unknown as Logger;
    expect(await tick({ store: t.store, now: t.now, contentMark: () => MARK, logger })).toEqual({ checked: 2, queued: 1 });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatchObject({ chat_id: 1 });
    expect((await t.store.getSubscription(1))?.nextCheckAt).toEqual(at("2025-09-05T06:00:00Z"));
    expect(deliveryRows(t.path)).toEqual(["2 d2025-09-05"]);
  });
});
