import type { Update } from "grammy/types";
import { encodeCallback } from "../src/render/callback-data.js";
import type { FakeTelegram } from "../test/support/fake-telegram.js";
import { callbackUpdate, messageUpdate, privateUser } from "../test/support/updates.js";
import { percentile, round } from "./stats.js";

/** Share of the allowed rate the readers' replies ask for: the rest is the broadcast's. */
export const READERS_SHARE = 0.3;

export type ReadersResult = {
  readers: number;
  /** Updates handled (each owes one counted call: a /briefing message or the edit of a button press). */
  updates: number;
  /** Updates whose handling failed: their reply never arrived. */
  lost: number;
  p50Ms: number;
  p95Ms: number;
};

/** A bot, in this thread or an instance's own (part 3c): given an update, resolves once it is handled. */
export type UpdateHandler = { handleUpdate(update: Update): Promise<unknown> };

/**
 * `count` people using the bot during a broadcast, together asking for READERS_SHARE of `rate`: each in turn sends
 * /briefing and presses the "visits" button of the message it got, spread over time. An update's latency is from
 * when the bot is handed it until its handling is done (its reply answered by the Bot API). Updates go to the
 * bots in turn, as a load balancer would spread webhooks over instances.
 */
export function startReaders(bots: readonly UpdateHandler[], fake: FakeTelegram, count: number, rate: number) {
  const users = Array.from({ length: count }, (_, index) => privateUser({ id: 7_000_000 + index, language_code: index % 2 ? "kk" : "ru" }));
  const intervalMs = (count / (rate * READERS_SHARE)) * 1000;
  const latencies: number[] = [];
  let lost = 0;
  let turn = 0;
  let stopped = false;

  async function handle(update: Update): Promise<void> {
    const bot = bots[turn++ % bots.length]!;
    const started = performance.now();
    try {
      await bot.handleUpdate(update);
      latencies.push(performance.now() - started);
    } catch {
      lost++;
    }
  }

  async function read(index: number): Promise<void> {
    const user = users[index]!;
    await new Promise((resolve) => setTimeout(resolve, (intervalMs * index) / count));
    for (let step = 0; !stopped; step++) {
      const next = new Promise((resolve) => setTimeout(resolve, intervalMs));
      const shown = fake.messages(user.id).at(-1);
      if (step % 2 === 1 && shown) {
        await handle(callbackUpdate(user, encodeCallback({ kind: "visits" }), { chat_id: user.id, message_id: shown.message_id }));
      } else {
        await handle(messageUpdate(user, "/briefing"));
      }
      await next;
    }
  }

  const running = Promise.all(users.map((_, index) => read(index)));
  return {
    /** Stops sending new updates; resolves once those in flight are done. */
    async stop(): Promise<ReadersResult> {
      stopped = true;
      await running;
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        readers: count,
        updates: latencies.length + lost,
        lost,
        p50Ms: round(percentile(sorted, 50), 1),
        p95Ms: round(percentile(sorted, 95), 1),
      };
    },
  };
}
