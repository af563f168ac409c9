import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tick } from "../src/digest/tick.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";
import { startFakeTelegram, type FakeTelegram } from "../test/support/fake-telegram.js";
import { BENCH_BOT_INFO } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";
import { round } from "./stats.js";

/** 10:00 in Almaty: every seeded subscription (daily at 09:00) is due, all in the same minute. */
export const DUE_CLOCK = new Date("2025-09-05T05:00:00Z");

/** Seeds `count` daily 09:00 subscriptions; every tenth is a group, the rest private chats; languages alternate. */
export async function seedSubscribers(store: Store, count: number): Promise<number[]> {
  const chatIds: number[] = [];
  for (let index = 0; index < count; index++) {
    const chatId = index % 10 === 9 ? -1_000_000_000 - index : 1_000_000 + index;
    await store.saveSubscription({
      chatId,
      chatKind: chatId < 0 ? "supergroup" : "private",
      language: index % 2 ? "kk" : "ru",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
      sectors: index % 3 === 0 ? ["energy", "agro"] : null,
      createdBy: null,
    });
    chatIds.push(chatId);
  }
  return chatIds;
}

/** What the fake Bot API received, per subscriber, as the bench reports it. */
export function broadcastResult(
  fake: FakeTelegram,
  chatIds: number[],
  options: { subscribers: number; rate: number },
  elapsedSeconds: number,
): BroadcastResult {
  const counts = chatIds.map((chatId) => fake.messages(chatId).length);
  const delivered = counts.filter((count) => count > 0).length;
  return {
    subscribers: options.subscribers,
    rate: options.rate,
    elapsedSeconds: round(elapsedSeconds, 2),
    delivered,
    pace: round(delivered / (options.rate * elapsedSeconds), 3),
    tooManyRequests: fake.tooManyRequests(),
    lost: counts.filter((count) => count === 0).length,
    duplicated: counts.filter((count) => count > 1).length,
  };
}

export type BroadcastResult = {
  subscribers: number;
  rate: number;
  elapsedSeconds: number;
  delivered: number;
  pace: number;
  tooManyRequests: number;
  lost: number;
  duplicated: number;
};

/**
 * The real sender and store against a Bot API over HTTP on loopback that allows `rate` messages a second overall
 * and 20 a minute per group, and answers 429 with retry_after beyond that, as Telegram does.
 */
export async function benchBroadcast(options: { subscribers: number; rate: number }): Promise<BroadcastResult> {
  const fake = await startFakeTelegram({ botUsername: BENCH_BOT_INFO.username, botId: BENCH_BOT_INFO.id });
  fake.limitRate({ perSecond: options.rate, perGroupPerMinute: 20, retryAfter: 1 });
  const folder = mkdtempSync(join(tmpdir(), "bench-broadcast-"));
  const store = openSqliteStore(join(folder, "bot.db"), () => DUE_CLOCK);
  try {
    const { sender: createSender, deps } = benchBot(store, { apiRoot: fake.apiRoot }, { perSecond: options.rate, perGroupPerMinute: 20 });
    const chatIds = await seedSubscribers(store, options.subscribers);
    await tick(store, DUE_CLOCK, () => deps.edition().digests.contentMark);
    const sender = createSender();
    const started = performance.now();
    await sender.drain();
    const elapsedSeconds = (performance.now() - started) / 1000;

    return broadcastResult(fake, chatIds, options, elapsedSeconds);
  } finally {
    await store.close();
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
