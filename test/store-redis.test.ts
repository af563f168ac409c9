import { randomUUID } from "node:crypto";
import { afterAll, describe, it } from "vitest";
import { openRedisStore } from "../src/store/redis.js";
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
}
