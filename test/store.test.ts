import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../src/store/migrations.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";
import { claimOne } from "./support/decisions.js";
import { describeStoreContract } from "./support/store-contract.js";

const folders: string[] = [];
function tempPath(): string {
  const folder = mkdtempSync(join(tmpdir(), "briefing-store-"));
  folders.push(folder);
  return join(folder, "nested", "bot.db");
}
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("SQLite store", () => {
  it("creates its folder, migrates to the latest version and uses WAL", async () => {
    const path = tempPath();
    await openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("migrates a database of version 2 to instant digests, keeping its subscriptions, queue and due index", async () => {
    const path = tempPath();
    await openSqliteStore(path).close();
    // Back to the schema of version 2, with a subscription and its delivery, as a database in the field has it.
    const old = new Database(path);
    old.exec("DROP TABLE users; DROP TABLE chats; DROP TABLE subscriptions; DROP TABLE deliveries; DROP TABLE kv;");
    old.exec(MIGRATIONS[0]! + MIGRATIONS[1]!);
    old.pragma("user_version = 2");
    old
      .prepare(
        `INSERT INTO subscriptions (chat_id, chat_kind, language, frequency, weekday, minute_of_day, timezone, sectors, status,
           active_since, next_check_at, last_period, content_mark, created_at, updated_at)
         VALUES (31, 'private', 'kk', 'weekly', 3, 540, 'Asia/Almaty', '["agro"]', 'active', 1, 2, 'w2025-09-01', '2025-09-05', 1, 1)`,
      )
      .run();
    old
      .prepare(
        "INSERT INTO deliveries (chat_id, period, due_at, status, next_attempt_at, created_at) VALUES (31, 'w2025-09-01', 1, 'pending', 1, 1)",
      )
      .run();
    expect(() => old.prepare("UPDATE subscriptions SET frequency = 'instant'").run()).toThrow(/CHECK/);
    old.close();

    const store = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
    expect(await store.getSubscription(31)).toMatchObject({
      schedule: { frequency: "weekly", weekday: 3, minuteOfDay: 540, timezone: "Asia/Almaty" },
      sectors: ["agro"],
      lastPeriod: "w2025-09-01",
      contentMark: "2025-09-05",
    });
    expect(await store.pendingDeliveries(new Date(10), 5)).toEqual([
      { chatId: 31, threadId: null, period: "w2025-09-01", nextAttemptAt: new Date(1) },
    ]);
    const changed = await store.updateSubscription(31, {
      schedule: { frequency: "instant", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" },
    });
    expect(changed?.schedule.frequency).toBe("instant");
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM subscriptions WHERE status = 'active' AND next_check_at <= 5 ORDER BY next_check_at")
      .all();
    expect(JSON.stringify(plan)).toContain("subscriptions_due");
    db.close();
  });

  it("migrates a database of version 4 to topics and silent digests: existing subscriptions have no topic and keep their sound", async () => {
    const path = tempPath();
    await openSqliteStore(path).close();
    const old = new Database(path);
    old.exec("DROP TABLE users; DROP TABLE chats; DROP TABLE subscriptions; DROP TABLE deliveries; DROP TABLE kv;");
    old.exec(MIGRATIONS.slice(0, 4).join("\n"));
    old.pragma("user_version = 4");
    old
      .prepare(
        `INSERT INTO subscriptions (chat_id, chat_kind, language, script, frequency, weekday, minute_of_day, timezone, sectors, status,
           active_since, next_check_at, last_period, content_mark, created_at, updated_at)
         VALUES (-41, 'supergroup', 'kk', 'latn', 'daily', NULL, 540, 'Asia/Almaty', NULL, 'active', 1, 2, 'd2025-09-04', '2025-09-04', 1, 1)`,
      )
      .run();
    old
      .prepare(
        "INSERT INTO deliveries (id, chat_id, period, due_at, status, next_attempt_at, created_at) VALUES (7, -41, 'd2025-09-05', 1, 'pending', 1, 1)",
      )
      .run();
    old.close();

    const store = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
    expect(await store.getSubscription(-41)).toMatchObject({
      chatId: -41,
      threadId: null,
      silent: false,
      script: "latn",
      lastPeriod: "d2025-09-04",
      contentMark: "2025-09-04",
    });
    // A topic of the same group subscribes beside it; the queued delivery is still the chat's own.
    await store.saveSubscription({
      chatId: -41,
      threadId: 5,
      chatKind: "supergroup",
      language: "kk",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 600, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: 1,
    });
    expect(await claimOne(store, { chatId: -41, period: "d2025-09-05" }, "job 1", new Date(10))).toMatchObject({
      id: 7,
      threadId: null,
      silent: false,
    });
    expect((await store.getSubscription(-41, 5))?.silent).toBe(true);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    // The indexes of the rebuilt table are all there, the channel index (made after the rebuild) among them, and used.
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'subscriptions' AND sql IS NOT NULL")
      .all();
    expect(indexes.map((row) => (row as { name: string }).name).sort()).toEqual(["subscriptions_channels_by_creator", "subscriptions_due"]);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM subscriptions WHERE created_by = 1 AND chat_kind = 'channel' ORDER BY chat_id")
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join(" ");
    expect(plan).toContain("subscriptions_channels_by_creator");
    db.close();
  });

  it("keeps users, their language and first contact across a restart", async () => {
    const path = tempPath();
    const first = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
    await first.touchUser(42);
    await first.setUserLanguage(42, "kk");
    await first.touchUser(42);
    await first.close();

    const second = openSqliteStore(path);
    expect(await second.getUser(42)).toEqual({ id: 42, language: "kk", script: "cyrl", firstSeenAt: "2025-09-05T10:00:00.000Z" });
    expect(await second.getUser(7)).toBeUndefined();
    await second.close();
  });

  it("stores chats and a group's language; re-touching keeps the language", async () => {
    const store = openSqliteStore(tempPath());
    await store.touchChat({ id: -100, kind: "supergroup", title: "Press" });
    await store.setChatLanguage(-100, "ru");
    await store.touchChat({ id: -100, kind: "supergroup", title: "Press team" });
    expect(await store.getChat(-100)).toMatchObject({ kind: "supergroup", title: "Press team", language: "ru" });
    await store.close();
  });

  it("a language chosen before any other contact creates the user", async () => {
    const store = openSqliteStore(tempPath());
    await store.setUserLanguage(5, "ru");
    expect((await store.getUser(5))?.language).toBe("ru");
    await store.close();
  });

  it("answers its reads at once (atOnce) exactly as the asynchronous reads answer them, after every kind of write", async () => {
    const store = openSqliteStore(tempPath());
    const atOnce = store.atOnce!;
    const value = async (key: string) => {
      expect(atOnce.keyValue(key)).toBe(await store.keyValue.get(key));
      return atOnce.keyValue(key);
    };
    expect(await value("conversation:1:1")).toBeUndefined();
    await store.keyValue.set("conversation:1:1", "open");
    expect(await value("conversation:1:1")).toBe("open");
    await store.keyValue.delete("conversation:1:1");
    expect(await value("conversation:1:1")).toBeUndefined();

    expect(atOnce.getUser(5)).toBeUndefined();
    await store.touchUser(5);
    await store.setUserLanguage(5, "kk", "latn");
    expect(atOnce.getUser(5)).toEqual(await store.getUser(5));
    expect(atOnce.getUser(5)?.script).toBe("latn");

    await store.touchChat({ id: -7, kind: "group", title: "G" });
    await store.setChatLanguage(-7, "ru");
    expect(atOnce.getChat(-7)).toEqual(await store.getChat(-7));
    expect(atOnce.getChat(-7)?.language).toBe("ru");

    const subscription = async () => {
      expect(atOnce.getSubscription(-7, 3)).toEqual(await store.getSubscription(-7, 3));
      return atOnce.getSubscription(-7, 3);
    };
    expect(await subscription()).toBeUndefined();
    await store.saveSubscription({
      chatId: -7,
      threadId: 3,
      chatKind: "supergroup",
      language: "kk",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 600, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: 1,
    });
    expect((await subscription())?.status).toBe("active");
    await store.pauseSubscription(-7, 3);
    expect((await subscription())?.status).toBe("paused");
    await store.stopSubscription(-7, "topic_closed", 3);
    expect((await subscription())?.status).toBe("stopped");

    // One record of updates seen: an id seen by either is a repeat for both.
    expect(atOnce.firstSightOfUpdate(11)).toBe(true);
    expect(await store.firstSightOfUpdate(11)).toBe(false);
    expect(await store.firstSightOfUpdate(12)).toBe(true);
    expect(atOnce.firstSightOfUpdate(12)).toBe(false);
    await store.close();
  });

  // The store is the only writer, so it serves repeated reads from memory. Writes made behind its back through a
  // second connection show which reads came from the caches: a stale answer is a cached one.
  describe("read caches (50 000 entries each, least recently used out first)", () => {
    const CACHE_SIZE = 50_000;

    it("caches a missing key as missing, and keeps a key read often while a cache's worth of others pass", async () => {
      const path = tempPath();
      const store = openSqliteStore(path);
      const behind = new Database(path);
      await store.keyValue.set("hot", "as stored");
      expect(await store.keyValue.get("missing")).toBeUndefined();
      behind.prepare("INSERT INTO kv (key, value) VALUES ('hot', 'x') ON CONFLICT (key) DO UPDATE SET value = 'written behind'").run();
      behind.prepare("INSERT INTO kv (key, value) VALUES ('missing', 'written behind')").run();
      expect(await store.keyValue.get("missing")).toBeUndefined();

      for (let index = 0; index < CACHE_SIZE; index++) {
        await store.keyValue.get(`cold:${index}`);
        if (index % 1000 === 0) expect(await store.keyValue.get("hot")).toBe("as stored");
      }
      expect(await store.keyValue.get("hot")).toBe("as stored");
      // The bound holds: the first cold key, least recently used, is gone and read again.
      behind.prepare("INSERT INTO kv (key, value) VALUES ('cold:0', 'written behind')").run();
      expect(await store.keyValue.get("cold:0")).toBe("written behind");
      behind.close();
      await store.close();
    });

    it("keeps a user read often while a cache's worth of others pass", async () => {
      const path = tempPath();
      const store = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
      await store.touchUser(1);
      const behind = new Database(path);
      const insert = behind.prepare("INSERT INTO users (id, first_seen_at) VALUES (?, '2025-09-05T10:00:00.000Z')");
      behind.transaction(() => {
        for (let id = 2; id <= CACHE_SIZE + 1; id++) insert.run(id);
      })();
      behind.prepare("UPDATE users SET language = 'kk'").run();

      for (let id = 2; id <= CACHE_SIZE + 1; id++) {
        await store.getUser(id);
        if (id % 1000 === 0) expect((await store.getUser(1))?.language).toBeNull();
      }
      expect((await store.getUser(1))?.language).toBeNull();
      behind.prepare("UPDATE users SET language = 'ru' WHERE id = 2").run();
      expect((await store.getUser(2))?.language).toBe("ru");
      behind.close();
      await store.close();
    });
  });
});

const openedAt = new WeakMap<Store, string>();
describeStoreContract("SQLite", {
  open: async (now) => {
    const path = tempPath();
    const store = openSqliteStore(path, now);
    openedAt.set(store, path);
    return store;
  },
  reopen: async (store, now) => {
    const path = openedAt.get(store)!;
    await store.close();
    return openSqliteStore(path, now);
  },
  // A second connection on the same file, as a second process has.
  alongside: async (store, now) => openSqliteStore(openedAt.get(store)!, now),
  // SQLite answers synchronously: two handles in one process never meet inside a change, so fewer rounds check the
  // same rules (the interleavings are Redis's to test).
  raceRounds: 50,
});
