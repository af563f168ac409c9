import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { bundledContent } from "../src/content/index.js";
import type { ContentLibrary } from "../src/content/library.js";
import { createMetrics } from "../src/metrics/index.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { BENCH_BOT_INFO, BENCH_TOKEN, instantFetch } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";
import { INLINE_QUERIES, mixedUpdates, seeded } from "./updates.js";
import { percentile, round, timeEach } from "./stats.js";

/** The project's full stack: createBot with every plugin and a SQLite store in a temp folder (bundled content by default). */
export function stackBot(fetch: typeof globalThis.fetch = instantFetch(), options: { library?: ContentLibrary; metrics?: boolean } = {}) {
  const folder = mkdtempSync(join(tmpdir(), "bench-stack-"));
  const store = openSqliteStore(join(folder, "bot.db"));
  // With metrics: updates counted and timed, every Bot API call counted, as main.ts runs it.
  const { bot } = benchBot(store, { fetch }, undefined, options.library ?? bundledContent(), options.metrics ? createMetrics() : undefined);
  return {
    bot,
    store,
    async close() {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** grammY with no plugins, on the in-process API. */
function plainBot(): Bot {
  return new Bot(BENCH_TOKEN, { client: { fetch: instantFetch() }, botInfo: BENCH_BOT_INFO });
}

/** The baseline: bare grammY answering every update with one call and no plugins. */
export function bareBot(): Bot {
  const bot = plainBot();
  bot.on("message", (ctx) => ctx.reply("ok"));
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  bot.on("inline_query", (ctx) => ctx.answerInlineQuery([]));
  return bot;
}

type ApiCall = { method: string; payload: Record<string, unknown> };

/**
 * The Bot API calls the full stack makes for each update, recorded on a stack of its own (so the measured one starts
 * just as cold): method and payload, as they reached the API.
 */
async function recordCalls(updates: readonly Update[]): Promise<Map<number, ApiCall[]>> {
  const calls = new Map<number, ApiCall[]>();
  const answer = instantFetch();
  let current: ApiCall[] = [];
  const recording = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = typeof init?.body === "string" ? init.body : "{}";
    current.push({ method: url.slice(url.lastIndexOf("/") + 1), payload: JSON.parse(body) as ApiCall["payload"] });
    return answer(input, init);
  }) as typeof fetch;
  const recorder = stackBot(recording);
  try {
    for (const update of updates) {
      current = [];
      await recorder.bot.handleUpdate(structuredClone(update));
      calls.set(update.update_id, current);
    }
  } finally {
    await recorder.close();
  }
  return calls;
}

/** Each pass over the updates gives them ids of their own (the stack skips an id it has seen): pass n adds n × this. */
const PASS_ID_STEP = 1_000_000;

/**
 * The ceiling for `stack_vs_bare`: bare grammY making exactly the stack's API calls (an answer and an edit for a button,
 * ten cards for an inline query) and nothing else. No bot that sends what ours sends can be faster than this.
 */
function apiOnlyBot(calls: ReadonlyMap<number, ApiCall[]>): Bot {
  const bot = plainBot();
  bot.use(async (ctx) => {
    for (const { method, payload } of calls.get(ctx.update.update_id % PASS_ID_STEP) ?? []) {
      await ctx.api.raw[method as "getMe"](payload as never);
    }
  });
  return bot;
}

/** The figures of one pass over the updates: throughputs, and their ratios. */
type PassFigures = {
  stackPerSecond: number;
  barePerSecond: number;
  stackVsBare: number;
  /** The same ratio for a bot that only makes the stack's API calls: the most `stackVsBare` could be. */
  apiOnlyVsBare: number;
  /** `stackVsBare` ÷ `apiOnlyVsBare`: how much of what sending our payloads allows the stack reaches (0014). */
  stackVsCeiling: number;
};

export type UpdateHandlingResult = PassFigures & {
  updates: number;
  passes: number;
  /** The lowest and highest `stackVsCeiling` of the passes; the figures above are the middle pass's. */
  stackVsCeilingRange: [number, number];
  /** Per update, ours, over every pass. */
  p50Ms: number;
  p99Ms: number;
};

type Bots = Record<"stack" | "bare" | "apiOnly", Pick<Bot, "handleUpdate">>;

/** The bots in the order of a pass's first round; each round starts one later, so each follows each as often. */
const BOT_ORDER = ["stack", "bare", "apiOnly"] as const;
/** Rounds of a pass: a multiple of the number of bots, so that every order comes equally often. */
const ROUNDS = 4 * BOT_ORDER.length;

/**
 * One pass: the bots get the same updates, in alternating blocks so that machine noise hits them alike; the ratio of
 * their throughputs is the figure, not any absolute number. A bot pays for the garbage the bot before it left (V8
 * collects it when the next one allocates), so the order turns every round. The stack's time per update goes into
 * `stackDurations`.
 */
async function timePass(bots: Bots, updates: readonly Update[], idOffset: number, stackDurations: number[]): Promise<PassFigures> {
  const totalMs = { stack: 0, bare: 0, apiOnly: 0 };
  const block = Math.max(1, Math.ceil(updates.length / ROUNDS));
  for (let index = 0; index * block < updates.length; index++) {
    const slice = updates.slice(index * block, (index + 1) * block);
    for (let turn = 0; turn < BOT_ORDER.length; turn++) {
      const name = BOT_ORDER[(index + turn) % BOT_ORDER.length]!;
      // Fresh copies: grammY may attach data to update objects; no bot should see another's.
      const copies = slice.map((update) => ({ ...structuredClone(update), update_id: update.update_id + idOffset }));
      const timed = await timeEach<Update>(copies, (update) => bots[name].handleUpdate(update));
      totalMs[name] += timed.totalMs;
      if (name === "stack") stackDurations.push(...timed.sorted);
    }
  }
  const perSecond = (ms: number) => Math.round((updates.length / ms) * 1000);
  const stackVsBare = totalMs.bare / totalMs.stack;
  const apiOnlyVsBare = totalMs.bare / totalMs.apiOnly;
  return {
    stackPerSecond: perSecond(totalMs.stack),
    barePerSecond: perSecond(totalMs.bare),
    stackVsBare: round(stackVsBare, 3),
    apiOnlyVsBare: round(apiOnlyVsBare, 3),
    stackVsCeiling: round(stackVsBare / apiOnlyVsBare, 3),
  };
}

/**
 * Part 1: the stack, bare grammY and the ceiling bot over the same updates, in `passes` passes after a warm-up. One
 * pass's stack ÷ ceiling moved by up to ±0.07 between runs on an idle 2-core machine (0014): the figures are those of
 * the middle pass by stack ÷ ceiling, and the table gives the passes' range beside them.
 */
export async function benchUpdateHandling(count: number, passes = 3): Promise<UpdateHandlingResult> {
  // Update ids never repeat (the bot skips an id it has seen, as Telegram's retries need).
  const warmUp = mixedUpdates(bundledContent(), Math.min(1000, count));
  const updates = mixedUpdates(bundledContent(), count, { firstUpdateId: warmUp.length + 1 });
  const calls = await recordCalls([...warmUp, ...updates]);
  const stack = stackBot();
  const bots: Bots = { stack: stack.bot, bare: bareBot(), apiOnly: apiOnlyBot(calls) };
  try {
    for (const update of warmUp) {
      for (const bot of Object.values(bots)) await bot.handleUpdate(structuredClone(update));
    }
    const stackDurations: number[] = [];
    const figures: PassFigures[] = [];
    for (let pass = 0; pass < passes; pass++) figures.push(await timePass(bots, updates, pass * PASS_ID_STEP, stackDurations));
    stackDurations.sort((a, b) => a - b);
    figures.sort((a, b) => a.stackVsCeiling - b.stackVsCeiling);
    return {
      ...figures[Math.floor(figures.length / 2)]!,
      updates: count,
      passes,
      stackVsCeilingRange: [figures[0]!.stackVsCeiling, figures.at(-1)!.stackVsCeiling],
      p50Ms: round(percentile(stackDurations, 50), 3),
      p99Ms: round(percentile(stackDurations, 99), 3),
    };
  } finally {
    await stack.close();
  }
}

export type InlineResult = { queries: number; p50Ms: number; p99Ms: number };

/**
 * Time from an inline query's arrival to its answer being built and handed to the API, on the full stack, over the
 * bundled content or another library. The queries come from a short list and the warm-up repeats the first 200 of
 * them, so most measured queries are answered from the search's cache of recent queries, as in a running bot (the
 * library part times cache misses on their own).
 */
export async function benchInlineSearch(count: number, library: ContentLibrary = bundledContent()): Promise<InlineResult> {
  const random = seeded(7);
  const stack = stackBot(instantFetch(), { library });
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
    // A third of the Kazakh readers read Latin: their cards are transliterated at the edge.
    for (let userId = 20_001; userId < 20_300; userId += 6) await stack.store.setUserLanguage(userId, "kk", "latn");
    const warmUp = queries
      .slice(0, Math.min(200, count))
      .map((update, index) => ({ ...structuredClone(update), update_id: count + 1 + index }));
    for (const update of warmUp) await stack.bot.handleUpdate(update);
    const { sorted } = await timeEach(queries, (update) => stack.bot.handleUpdate(update));
    return { queries: count, p50Ms: round(percentile(sorted, 50), 3), p99Ms: round(percentile(sorted, 99), 3) };
  } finally {
    await stack.close();
  }
}
