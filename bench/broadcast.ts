import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tick } from "../src/digest/tick.js";
import { sendAsPaidBroadcasts } from "../src/telegram/paid-broadcast.js";
import { TELEGRAM_LIMITS, type RateLimits } from "../src/telegram/send-budget.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";
import { startFakeTelegram, type Call, type FakeTelegram } from "../test/support/fake-telegram.js";
import { BENCH_BOT_INFO } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";
import { startReaders, type ReadersResult } from "./readers.js";
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

/** Sends and edits, which Telegram counts; a digest is one rich message (sendRichMessage). */
const SENDS = /^(send(Rich)?Message|editMessage[A-Z]\w*)$/;

/** Whether a call is a message to one of `subscribers`: a digest, not a reply to a reader. */
const digestTo = (subscribers: ReadonlySet<number>) => (call: Call) =>
  SENDS.test(call.method) && subscribers.has(Number(call.payload.chat_id));

/** Calls Telegram counts (sends and edits) that reached the fake in [from, to] for chats outside `excluded`. */
function countedCallsBetween(fake: FakeTelegram, excluded: ReadonlySet<number>, from: number, to: number): number {
  return fake.calls.filter(
    (call) => SENDS.test(call.method) && call.at >= from && call.at <= to && !excluded.has(Number(call.payload.chat_id)),
  ).length;
}

function paceFromFirstDigest(
  fake: FakeTelegram,
  isDigest: (call: Call) => boolean,
  sent: number,
  rate: number,
  finishedAt: number,
): number {
  const first = fake.calls.find(isDigest);
  return first ? round(sent / (rate * ((finishedAt - first.at) / 1000)), 3) : Number.NaN;
}

/** Where a broadcast's start ends for `steadyPace`: in Redis mode the instances' ticks enqueue the digests meanwhile. */
const START_MS = 2000;

/** The pace of the digests that arrived from START_MS after the start on: the rate once the start is over. */
function steadyPace(fake: FakeTelegram, isDigest: (call: Call) => boolean, rate: number, startedAt: number, finishedAt: number): number {
  const from = startedAt + START_MS;
  const sent = fake.calls.filter((call) => call.at >= from && isDigest(call)).length;
  return round(sent / (rate * ((finishedAt - from) / 1000)), 3);
}

/**
 * What the fake Bot API received, per subscriber, as the bench reports it; with readers, their replies in the
 * broadcast's time count towards the pace too (the budget is one for both).
 */
export function broadcastResult(
  fake: FakeTelegram,
  chatIds: number[],
  options: { subscribers: number; rate: number },
  run: { startedAt: number; finishedAt: number; readers?: ReadersResult },
): BroadcastResult {
  const counts = chatIds.map((chatId) => fake.messages(chatId).length);
  const delivered = counts.filter((count) => count > 0).length;
  const elapsedSeconds = (run.finishedAt - run.startedAt) / 1000;
  const subscribers = new Set(chatIds);
  const isDigest = digestTo(subscribers);
  const replies = run.readers ? countedCallsBetween(fake, subscribers, run.startedAt, run.finishedAt) : 0;
  return {
    subscribers: options.subscribers,
    rate: options.rate,
    elapsedSeconds: round(elapsedSeconds, 2),
    delivered,
    pace: round((delivered + replies) / (options.rate * elapsedSeconds), 3),
    tooManyRequests: fake.tooManyRequests(),
    paidMessages: fake.paidMessages(),
    lost: counts.filter((count) => count === 0).length,
    duplicated: counts.filter((count) => count > 1).length,
    ...(run.readers ? { readers: run.readers, replies } : {}),
    paceFromFirstDigest: paceFromFirstDigest(fake, isDigest, delivered + replies, options.rate, run.finishedAt),
    steadyPace: steadyPace(fake, isDigest, options.rate, run.startedAt, run.finishedAt),
  };
}

export type BroadcastResult = {
  subscribers: number;
  rate: number;
  elapsedSeconds: number;
  delivered: number;
  /** Digests and replies sent ÷ what the allowed rate permits in the elapsed time. */
  pace: number;
  tooManyRequests: number;
  /** Messages sent as paid broadcasts: 0.1 Stars each. */
  paidMessages: number;
  lost: number;
  duplicated: number;
  readers?: ReadersResult;
  /**
   * The same pace, timed from the first digest's request rather than from the start of the run: in Redis mode the
   * run starts with the tick that enqueues the jobs, which the SQLite figure leaves out (its tick runs before).
   */
  paceFromFirstDigest: number;
  /** Digests alone, from two seconds after the start on: the pace once the start (the ticks in Redis mode) is over. */
  steadyPace: number;
  /** Replies (sends and edits to readers) in the broadcast's time. */
  replies?: number;
};

/** `rate`: the allowed messages a second; `paid`: digests as paid broadcasts at `rate`, replies within Telegram's free 30. */
export type BroadcastOptions = { subscribers: number; rate: number; readers?: number; paid?: boolean };

/** Telegram's limits at `rate` messages a second overall (paid: 30 free, `rate` in all), for the budget and the fake alike. */
export const limitsAt = (rate: number, paid = false): RateLimits =>
  paid ? { ...TELEGRAM_LIMITS, paidPerSecond: rate } : { perSecond: rate, perGroupPerMinute: 20, privateChatBurst: 3 };

/**
 * The real sender and store against a Bot API over HTTP on loopback that allows `rate` messages a second overall,
 * 20 a minute per group and a burst of 3 then one a second per private chat, and answers 429 with retry_after
 * beyond that, as Telegram does; with `readers`, that many people use the bot (createBot, the same budget) meanwhile.
 */
export async function benchBroadcast(options: BroadcastOptions): Promise<BroadcastResult> {
  const fake = await startFakeTelegram({ botUsername: BENCH_BOT_INFO.username, botId: BENCH_BOT_INFO.id });
  fake.limitRate({ ...limitsAt(options.rate, options.paid), retryAfter: 2 });
  const folder = mkdtempSync(join(tmpdir(), "bench-broadcast-"));
  const store = openSqliteStore(join(folder, "bot.db"), () => DUE_CLOCK);
  try {
    const {
      bot,
      sender: createSender,
      deps,
      deliveryApi,
    } = benchBot(store, { apiRoot: fake.apiRoot }, limitsAt(options.rate, options.paid));
    if (options.paid) sendAsPaidBroadcasts(deliveryApi);
    const chatIds = await seedSubscribers(store, options.subscribers);
    await tick({ store, now: DUE_CLOCK, contentMark: () => deps.edition().digests.contentMark });
    const sender = createSender();
    const readers = options.readers ? startReaders([bot], fake, options.readers, options.rate) : undefined;
    const startedAt = Date.now();
    await sender.drain();
    const finishedAt = Date.now();
    const readersResult = await readers?.stop();

    return broadcastResult(fake, chatIds, options, { startedAt, finishedAt, ...(readersResult ? { readers: readersResult } : {}) });
  } finally {
    await store.close();
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
