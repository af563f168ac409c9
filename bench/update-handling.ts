import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { content } from "../src/content/index.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { BENCH_BOT_INFO, BENCH_TOKEN, instantFetch } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";
import { INLINE_QUERIES, mixedUpdates, seeded } from "./updates.js";
import { percentile, round, timeEach } from "./stats.js";


/** The project's full stack: createBot with every plugin and a SQLite store in a temp folder. */
export function stackBot() {
  const folder = mkdtempSync(join(tmpdir(), "bench-stack-"));
  const store = openSqliteStore(join(folder, "bot.db"));
  const { bot } = benchBot(store, { fetch: instantFetch() });
  return {
    bot,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The baseline: bare grammY answering every update with one call and no plugins. */
export function bareBot(): Bot {
  const bot = new Bot(BENCH_TOKEN, { client: { fetch: instantFetch() }, botInfo: BENCH_BOT_INFO });
  bot.on("message", (ctx) => ctx.reply("ok"));
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  bot.on("inline_query", (ctx) => ctx.answerInlineQuery([]));
  return bot;
}

export type UpdateHandlingResult = {
  updates: number;
  stackPerSecond: number;
  barePerSecond: number;
  stackVsBare: number;
  p50Ms: number;
  p99Ms: number;
};

/**
 * Both bots get the same updates, in alternating blocks so that machine noise hits both alike; the ratio of their
 * throughputs is the figure, not either absolute number.
 */
export async function benchUpdateHandling(count: number): Promise<UpdateHandlingResult> {
  // Update ids never repeat (the bot skips an id it has seen, as Telegram's retries need).
  const warmUp = mixedUpdates(content, Math.min(1000, count));
  const updates = mixedUpdates(content, count, { firstUpdateId: warmUp.length + 1 });
  const stack = stackBot();
  const bare = bareBot();
  try {
    for (const update of warmUp) {
      await stack.bot.handleUpdate(structuredClone(update));
      await bare.handleUpdate(structuredClone(update));
    }
    const block = Math.max(1, Math.floor(count / 10));
    let stackMs = 0;
    let bareMs = 0;
    const stackDurations: number[] = [];
    for (let start = 0; start < updates.length; start += block) {
      const slice = updates.slice(start, start + block);
      // Fresh copies: grammY may attach data to update objects; neither bot should see the other's.
      const forStack = slice.map((update) => structuredClone(update));
      const forBare = slice.map((update) => structuredClone(update));
      const ours = await timeEach<Update>(forStack, (update) => stack.bot.handleUpdate(update));
      const theirs = await timeEach<Update>(forBare, (update) => bare.handleUpdate(update));
      stackMs += ours.totalMs;
      bareMs += theirs.totalMs;
      stackDurations.push(...ours.sorted);
    }
    stackDurations.sort((a, b) => a - b);
    const stackPerSecond = (count / stackMs) * 1000;
    const barePerSecond = (count / bareMs) * 1000;
    return {
      updates: count,
      stackPerSecond: Math.round(stackPerSecond),
      barePerSecond: Math.round(barePerSecond),
      stackVsBare: round(stackPerSecond / barePerSecond, 3),
      p50Ms: round(percentile(stackDurations, 50), 3),
      p99Ms: round(percentile(stackDurations, 99), 3),
    };
  } finally {
    await stack.close();
  }
}

export type InlineResult = { queries: number; p50Ms: number; p99Ms: number };

/** Time from an inline query's arrival to its answer being built and handed to the API, on the full stack. */
export async function benchInlineSearch(count: number): Promise<InlineResult> {
  const random = seeded(7);
  const stack = stackBot();
  try {
    const queries = Array.from({ length: count }, (_, index): Update => {
      const userId = 20_000 + (index % 300);
      return {
        update_id: index + 1,
        inline_query: {
          id: String(index),
          from: { id: userId, is_bot: false, first_name: "U", language_code: index % 2 ? "kk" : "ru" },
          query: INLINE_QUERIES[Math.floor(random() * INLINE_QUERIES.length)]!,
          offset: "",
          chat_type: "group",
        },
      };
    });
    const warmUp = queries.slice(0, Math.min(200, count)).map((update, index) => ({ ...structuredClone(update), update_id: count + 1 + index }));
    for (const update of warmUp) await stack.bot.handleUpdate(update);
    const { sorted } = await timeEach(queries, (update) => stack.bot.handleUpdate(update));
    return { queries: count, p50Ms: round(percentile(sorted, 50), 3), p99Ms: round(percentile(sorted, 99), 3) };
  } finally {
    await stack.close();
  }
}
