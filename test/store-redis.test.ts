import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { openRedisStore, REDIS_SCHEMA_VERSION } from "../src/store/redis.js";
import type { Store } from "../src/store/types.js";
import { NO_REDIS_MESSAGE, redisForTests } from "./support/redis-server.js";
import { describeStoreContract } from "./support/store-contract.js";

const redis = await redisForTests();
afterAll(async () => redis?.stop());

if (!redis) {
  describe("Redis store", () => {
    it.skip(NO_REDIS_MESSAGE, () => undefined);
  });
  console.warn(NO_REDIS_MESSAGE);
} else {
  // Each store gets its own key prefix: tests share one server and never see each other's data.
  const prefixes = new WeakMap<Store, string>();
  describeStoreContract("Redis", {
    async open(now) {
      const prefix = `test:${randomUUID()}:`;
      const store = await openRedisStore({ url: redis.url, prefix, now });
      prefixes.set(store, prefix);
      return store;
    },
    async reopen(store, now) {
      const prefix = prefixes.get(store)!;
      await store.close();
      return openRedisStore({ url: redis.url, prefix, now });
    },
    // A second instance: its own connection on the same Redis and prefix.
    alongside: async (store, now) => openRedisStore({ url: redis.url, prefix: prefixes.get(store)!, now }),
  });

  describe("Redis store: the due set", () => {
    it("drops a due entry whose subscription is gone instead of holding it at every tick", async () => {
      const prefix = `test:${randomUUID()}:`;
      const raw = new Redis(redis.url);
      const at = new Date("2025-09-05T10:00:00Z");
      const store = await openRedisStore({ url: redis.url, prefix, now: () => at });
      await store.saveSubscription({
        chatId: 8,
        chatKind: "private",
        language: "ru",
        schedule: { frequency: "instant", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" },
        sectors: null,
        createdBy: 8,
      });
      // An entry without its record (fictional test data), as a record lost by hand would leave it.
      await raw.zadd(`${prefix}s:due`, 1, "404");
      const page = await store.takeDueSubscriptions(at, 10, new Date(at.getTime() + 50_000));
      expect(page.map((subscription) => subscription.chatId)).toEqual([8]);
      expect(await raw.zscore(`${prefix}s:due`, "404")).toBeNull();
      expect(await raw.zscore(`${prefix}s:due`, "8")).toBe(String(at.getTime() + 50_000));
      await store.close();
      await raw.quit();
    });
  });

  describe("Redis store: the schema upgrade at open", () => {
    it("upgrades data stored before scripts, topics and silent digests once, and reads it in the current shape", async () => {
      const prefix = `test:${randomUUID()}:`;
      const raw = new Redis(redis.url);
      // Written as a version without scripts, topics or silence left them (fictional test data).
      await raw.hset(`${prefix}u:1`, { firstSeenAt: "2025-09-01T00:00:00.000Z", language: "kk" });
      await raw.hset(`${prefix}c:-5`, { firstSeenAt: "2025-09-01T00:00:00.000Z", kind: "group", title: "G" });
      const old = { chatKind: "private", language: "kk", sectors: ["agro"], status: "active", stopReason: null, activeSince: 1 };
      const schedule = { frequency: "daily", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" };
      const more = { schedule, nextCheckAt: 2, lastPeriod: null, contentMark: null };
      await raw.set(`${prefix}s:7`, JSON.stringify({ ...old, ...more, chatId: 7, createdBy: 7 }));
      await raw.set(`${prefix}s:-100`, JSON.stringify({ ...old, ...more, chatId: -100, chatKind: "channel", createdBy: 9 }));
      await raw.sadd(`${prefix}s:ids`, "7", "-100");
      await raw.zadd(`${prefix}s:due`, 2, "7", 2, "-100");
      const delivery = { id: 1, chatId: 7, period: "d2025-09-05", dueAt: 1, status: "pending", attempts: 0, nextAttemptAt: 1 };
      await raw.set(`${prefix}d:1`, JSON.stringify({ ...delivery, error: null, messageId: null, finishedAt: null }));
      await raw.set(`${prefix}d:seq`, "1");
      await raw.zadd(`${prefix}d:pending`, 1, "1");
      await raw.sadd(`${prefix}dc:7`, "1");
      await raw.set(`${prefix}dk:7:d2025-09-05`, "1");

      const store = await openRedisStore({ url: redis.url, prefix, now: () => new Date("2025-09-05T10:00:00Z") });
      expect(await raw.get(`${prefix}schema`)).toBe(String(REDIS_SCHEMA_VERSION));
      // Stored upgraded, not only read so.
      expect(JSON.parse((await raw.get(`${prefix}s:7`))!)).toMatchObject({ script: "cyrl", threadId: null, silent: false });
      expect(JSON.parse((await raw.get(`${prefix}d:1`))!)).toMatchObject({ threadId: null });
      expect(await raw.hget(`${prefix}u:1`, "script")).toBe("cyrl");
      expect(await store.getUser(1)).toEqual({ id: 1, language: "kk", script: "cyrl", firstSeenAt: "2025-09-01T00:00:00.000Z" });
      expect(await store.getChat(-5)).toMatchObject({ kind: "group", title: "G", language: null, script: "cyrl" });
      expect(await store.getSubscription(7)).toMatchObject({ threadId: null, silent: false, script: "cyrl", sectors: ["agro"] });
      // A channel set up before channels were listed by their admin is listed now.
      expect((await store.channelSubscriptionsOf(9)).map((s) => s.chatId)).toEqual([-100]);
      expect(await store.pendingDeliveries(new Date(10), 5)).toEqual([
        { chatId: 7, threadId: null, period: "d2025-09-05", nextAttemptAt: new Date(1) },
      ]);
      expect(await store.claimDeliveries(new Date(10), 5)).toMatchObject([{ id: 1, threadId: null, script: "cyrl", silent: false }]);
      await store.close();

      // Upgraded once: a record of the old shape written afterwards is not touched at the next open.
      await raw.hset(`${prefix}u:2`, { firstSeenAt: "2025-09-01T00:00:00.000Z" });
      await (await openRedisStore({ url: redis.url, prefix })).close();
      expect(await raw.hget(`${prefix}u:2`, "script")).toBeNull();
      await raw.quit();
    });
  });
}
