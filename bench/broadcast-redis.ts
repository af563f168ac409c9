import { Worker } from "node:worker_threads";
import type { Update } from "grammy/types";
import { Redis } from "ioredis";
import { openRedisStore } from "../src/store/redis.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { redisForTests } from "../test/support/redis-server.js";
import { BENCH_BOT_INFO } from "./in-process-api.js";
import { broadcastResult, DUE_CLOCK, limitsAt, seedSubscribers, type BroadcastOptions, type BroadcastResult } from "./broadcast.js";
import { startReaders } from "./readers.js";
import type { InstanceMessage, InstanceOptions, InstanceReply, InstanceRequest } from "./redis-instance.js";

const WORKERS_SETTLE_MS = 500;

/** An instance on its thread (redis-instance.ts): each request resolves when the instance has done it. */
type Instance = { ask(request: InstanceRequest): Promise<void>; handleUpdate(update: Update): Promise<void>; stop(): Promise<void> };

/** Starts an instance on a thread of its own; resolves once it is ready (its connections open). */
async function startInstance(options: InstanceOptions): Promise<Instance> {
  const thread = new Worker(new URL("./redis-instance.js", import.meta.url), { workerData: options });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let lastId = 0;
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  thread.on("error", failAll);
  thread.on("exit", (code) => failAll(new Error(`instance thread exited with ${code}`)));
  thread.on("message", ({ id, error }: InstanceReply) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(error));
  });
  const ask = (request: InstanceRequest) =>
    new Promise<void>((resolve, reject) => {
      const id = ++lastId;
      pending.set(id, { resolve, reject });
      thread.postMessage({ ...request, id } satisfies InstanceMessage);
    });
  await new Promise<void>((resolve, reject) => pending.set(0, { resolve, reject }));
  return {
    ask,
    handleUpdate: (update) => ask({ kind: "update", update }),
    async stop() {
      await ask({ kind: "close" });
      await thread.terminate();
    },
  };
}

/**
 * The broadcast of part 3 in Redis mode: two instances (each on a thread of its own, with its own Redis connections,
 * store, bot and BullMQ worker; the fake Bot API on this one) share one queue and one send budget in Redis of `rate`
 * messages a second; with `readers`, that many people use the two bots meanwhile. Undefined when no Redis is available.
 */
export async function benchBroadcastRedis(options: BroadcastOptions): Promise<BroadcastResult | undefined> {
  const redis = await redisForTests();
  if (!redis) return undefined;
  const url = new URL(redis.url);
  url.pathname = "/9";
  const database = url.toString();
  const admin = new Redis(database);
  await admin.flushdb();
  await admin.quit();

  const fake = await startFakeTelegram({ botUsername: BENCH_BOT_INFO.username, botId: BENCH_BOT_INFO.id });
  fake.limitRate({ ...limitsAt(options.rate, options.paid), retryAfter: 2 });
  const instances: Instance[] = [];
  try {
    const seeding = await openRedisStore({ url: database, now: () => DUE_CLOCK });
    const chatIds = await seedSubscribers(seeding, options.subscribers);
    await seeding.close();
    for (let index = 0; index < 2; index++) {
      instances.push(await startInstance({ database, apiRoot: fake.apiRoot, rate: options.rate, paid: options.paid ?? false }));
    }
    // The instances' workers run from start-up, long before the due minute: started, and given half a second to
    // connect and wait for jobs, before the tick is timed.
    await Promise.all(instances.map((instance) => instance.ask({ kind: "start" })));
    await new Promise((resolve) => setTimeout(resolve, WORKERS_SETTLE_MS));
    const readers = options.readers ? startReaders(instances, fake, options.readers, options.rate) : undefined;
    const startedAt = Date.now();
    await Promise.all(instances.map((instance) => instance.ask({ kind: "tick" })));
    // Waits for every subscriber's digest, checking each chat once (a chat that has it keeps it): rescanning the
    // delivered ones at every poll would take the CPU the instances being measured run on.
    for (let waiting = 0; waiting < chatIds.length;) {
      if (fake.messages(chatIds[waiting]!).length > 0) waiting++;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const finishedAt = Date.now();
    const readersResult = await readers?.stop();
    // Anything still in flight that would duplicate a digest has time to arrive before the count.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return broadcastResult(fake, chatIds, options, { startedAt, finishedAt, ...(readersResult ? { readers: readersResult } : {}) });
  } finally {
    for (const instance of instances) await instance.stop();
    await fake.close();
    await redis.stop();
  }
}
