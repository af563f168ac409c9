import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledContent } from "../src/content/index.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { briefingRefs } from "../src/render/refs.js";
import { TELEGRAM_LIMITS } from "../src/telegram/send-budget.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { startFakeTelegram } from "../test/support/fake-telegram.js";
import { callbackUpdate, messageUpdate, privateUser } from "../test/support/updates.js";
import { BENCH_BOT_INFO } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";
import { round } from "./stats.js";

const content = bundledContent();

export type TapsResult = {
  taps: number;
  intervalMs: number;
  /** The slowest press: from its tap (handed to the bot) to its answerCallbackQuery reaching the Bot API. */
  worstAnswerMs: number;
  /** From the last tap to the edit that shows its screen reaching the Bot API. */
  lastScreenMs: number;
  /** Screen edits sent (editMessageText): the screens replaced while they waited are not. */
  screensSent: number;
  tooManyRequests: number;
};

/**
 * A reader paging quickly: /briefing, then `taps` presses on its message `intervalMs` apart, each opening another
 * place of the briefing, handed to the bot as the runner does (without waiting for the previous one). The bot
 * (createBot, SQLite in a temp folder) and the HTTP fake Bot API on loopback both hold to Telegram's pacing: a burst
 * of 3, then one message a second in a private chat, edits included; the fake answers 429 (retry_after 2) beyond it.
 */
export async function benchTaps(taps = 12, intervalMs = 250): Promise<TapsResult> {
  const fake = await startFakeTelegram({ botUsername: BENCH_BOT_INFO.username, botId: BENCH_BOT_INFO.id });
  fake.limitRate({
    perSecond: TELEGRAM_LIMITS.perSecond,
    perGroupPerMinute: TELEGRAM_LIMITS.perGroupPerMinute,
    privateChatBurst: 3,
    retryAfter: 2,
  });
  const folder = mkdtempSync(join(tmpdir(), "bench-taps-"));
  const store = openSqliteStore(join(folder, "bot.db"));
  try {
    const { bot } = benchBot(store, { apiRoot: fake.apiRoot }, TELEGRAM_LIMITS);
    const reader = privateUser({ id: 8_000_001, language_code: "ru" });
    await bot.handleUpdate(messageUpdate(reader, "/briefing"));
    const messageId = fake.messages(reader.id).at(-1)!.message_id;
    const places = briefingRefs(content.latest).slice(0, taps);
    const tapped: { id: string; at: number }[] = [];
    const handled: Promise<void>[] = [];
    for (const [index, ref] of places.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      const update = callbackUpdate(reader, encodeCallback({ kind: "section", ref }), { chat_id: reader.id, message_id: messageId });
      tapped.push({ id: update.callback_query!.id, at: Date.now() });
      handled.push(bot.handleUpdate(update));
    }
    await Promise.all(handled);

    const answeredAt = (id: string) =>
      fake.calls.find((call) => call.method === "answerCallbackQuery" && call.payload.callback_query_id === id)?.at ?? Number.NaN;
    const edits = fake.callsTo("editMessageText");
    const lastTap = tapped.at(-1)!;
    return {
      taps: tapped.length,
      intervalMs,
      worstAnswerMs: round(Math.max(...tapped.map((tap) => answeredAt(tap.id) - tap.at)), 0),
      lastScreenMs: round((edits.at(-1)?.at ?? Number.NaN) - lastTap.at, 0),
      screensSent: edits.length,
      tooManyRequests: fake.tooManyRequests(),
    };
  } finally {
    await store.close();
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `node dist/bench-build/bench/taps.js`: this part alone. */
if (process.argv[1]?.endsWith("/bench/taps.js")) {
  process.stdout.write(`${JSON.stringify(await benchTaps())}\n`);
}
