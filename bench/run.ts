/**
 * npm run bench — how close the bot comes to the limits it cannot beat, as ratios measured in one run.
 *   (default)  --quick: broadcast at R=300 msg/s to 3,000 subscribers; everything else at full size
 *   --full     broadcast at Telegram's R=30 msg/s to 10,000 subscribers (about six minutes)
 *   --smoke    every part at tiny sizes, only to check that each produces numbers (CI; a library of 3 visits)
 *   --rate R, --subscribers N   override the broadcast's rate and size
 */
import os from "node:os";
import { benchBroadcast, type BroadcastResult } from "./broadcast.js";
import { benchBroadcastRedis } from "./broadcast-redis.js";
import { benchLibrary } from "./library.js";
import { READERS_SHARE } from "./readers.js";
import { round } from "./stats.js";
import { benchMemory } from "./memory.js";
import { benchMetricsCost } from "./metrics-cost.js";
import { benchRichBriefing } from "./rich.js";
import { benchTaps } from "./taps.js";
import { benchInlineSearch, benchUpdateHandling } from "./update-handling.js";

type Mode = "full" | "quick" | "smoke";
const args = process.argv.slice(2);
const mode: Mode = args.includes("--smoke") ? "smoke" : args.includes("--full") ? "full" : "quick";
const option = (name: string) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : Number(args[index + 1]);
};

const SIZES = {
  full: {
    updates: 20_000,
    metricsPairs: 15,
    inline: 2_000,
    richRenders: 2_000,
    rate: 30,
    subscribers: 10_000,
    memory: [10_000, 100_000],
    visits: 50,
    reloads: 5,
  },
  quick: {
    updates: 20_000,
    metricsPairs: 11,
    inline: 2_000,
    richRenders: 2_000,
    rate: 300,
    subscribers: 3_000,
    memory: [10_000, 100_000],
    visits: 50,
    reloads: 5,
  },
  smoke: {
    updates: 300,
    metricsPairs: 1,
    inline: 50,
    richRenders: 40,
    rate: 300,
    subscribers: 60,
    memory: [200, 1_000],
    visits: 3,
    reloads: 2,
  },
}[mode];
const rate = option("--rate") ?? SIZES.rate;
const subscribers = option("--subscribers") ?? SIZES.subscribers;
/** The paid broadcast rate of part 3d (Telegram's ceiling), and its fee per message (Bot API: allow_paid_broadcast). */
const PAID_RATE = 1000;
/** Subscribers of part 3d: at 1,000 a second, 3,000 would be over in three seconds, most of it start-up. */
const PAID_SUBSCRIBERS = mode === "smoke" ? subscribers : 10_000;
const STARS_PER_PAID_MESSAGE = 0.1;
/** People using the bot during the broadcasts of parts 3a and 3c. */
const READERS = mode === "smoke" ? 10 : 100;

const rows: string[][] = [];
const row = (part: string, figure: string, value: string | number, target: string, method: string) =>
  rows.push([part, figure, String(value), target, method]);
const met = (ok: boolean) => (ok ? "met" : "MISSED");

process.stderr.write(`bench (${mode}) on ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}\n`);

process.stderr.write("1/5 update handling…\n");
const updates = await benchUpdateHandling(SIZES.updates);
row(
  "1 updates",
  "ours / bare grammY",
  updates.stackVsBare,
  `>= 0.5 ${met(updates.stackVsBare >= 0.5)}`,
  `${updates.updates} mixed updates, alternating blocks, in-process API; the middle of ${updates.passes} passes by ours / ceiling`,
);
row("", "ours updates/s", updates.stackPerSecond, "", "createBot stack, SQLite in a temp folder");
row("", "bare updates/s", updates.barePerSecond, "", "new Bot(), one reply per update, no plugins");
row("", "our API calls alone / bare", updates.apiOnlyVsBare, "(ceiling)", "bare grammY making exactly our calls and payloads, no logic");
const { stackVsCeiling } = updates;
row("", "ours / ceiling", stackVsCeiling, `>= 0.7 ${met(stackVsCeiling >= 0.7)}`, "ours / bare ÷ our API calls alone / bare");
row("", "ours / ceiling, range", updates.stackVsCeilingRange.join(" … "), "", `the ${updates.passes} passes' lowest and highest`);
row("", "p50 / p99 ms", `${updates.p50Ms} / ${updates.p99Ms}`, "", "per update, ours");

process.stderr.write("1b/5 what metrics cost…\n");
const metricsCost = await benchMetricsCost(SIZES.updates, SIZES.metricsPairs);
const metricsVsBare = Number((updates.stackVsBare * (1 - metricsCost.cost)).toFixed(3));
row(
  "1b metrics",
  "metrics cost",
  metricsCost.cost,
  `<= 0.05 ${met(metricsCost.cost <= 0.05)}`,
  `1 − throughput with metrics ÷ without; median of ${metricsCost.pairs} pairs of fresh processes, ${metricsCost.updates} updates each after ${metricsCost.warmUp} to warm up`,
);
row("", "spread", `${metricsCost.spread[0]} … ${metricsCost.spread[1]}`, "", "the pairs' lowest and highest cost");
row("", "with metrics / bare", metricsVsBare, "", "stack_vs_bare × (1 − metrics cost): the stack as main.ts runs it");

process.stderr.write("2/5 inline search…\n");
const inline = await benchInlineSearch(SIZES.inline);
row(
  "2 inline",
  "p50 / p99 ms",
  `${inline.p50Ms} / ${inline.p99Ms}`,
  `p99 < 5 ${met(inline.p99Ms < 5)}`,
  `${inline.queries} queries: kk, ru, look-alikes, inflections, Latin, ASCII, wrong layout, junk, empty; Latin readers`,
);

process.stderr.write("2b/5 the whole briefing as one rich message…\n");
const rich = benchRichBriefing(SIZES.richRenders);
row(
  "2b rich",
  "p50 / p99 ms",
  `${rich.p50Ms} / ${rich.p99Ms}`,
  `p99 < 2 ${met(rich.p99Ms < 2)}`,
  `${rich.renders} renders of the whole briefing (document → rich HTML → the reader's script), kk / kk-Latin / kk-Arabic / ru in turn, up to ${rich.maxChars} characters`,
);

process.stderr.write(`3/5 broadcast (${subscribers} subscribers at ${rate} msg/s)…\n`);
const broadcast = await benchBroadcast({ subscribers, rate });
row(
  "3 broadcast",
  "pace",
  broadcast.pace,
  `>= 0.95 ${met(broadcast.pace >= 0.95)}`,
  `delivered ÷ (R × elapsed); R=${rate}/s, 20/min per group, 3 then 1/s per private chat, ${subscribers} due at once`,
);
row("", "elapsed s", broadcast.elapsedSeconds, "", "HTTP fake Bot API on loopback answering 429 (retry_after 2) beyond R");
row("", "429s received", broadcast.tooManyRequests, "", "");
row(
  "",
  "lost / duplicated",
  `${broadcast.lost} / ${broadcast.duplicated}`,
  `0 / 0 ${met(broadcast.lost === 0 && broadcast.duplicated === 0)}`,
  "subscribers with no digest / with more than one",
);

/** The rows of a broadcast with people using the bot meanwhile: one budget, replies first. */
function readerRows(part: string, result: BroadcastResult, method: string) {
  const readers = result.readers!;
  row(part, "reply p95 ms", readers.p95Ms, `< 1000 ${met(readers.p95Ms < 1000)}`, method);
  row("", "reply p50 ms", readers.p50Ms, "", "update handed to the bot → handled, its reply answered by the Bot API");
  row(
    "",
    "pace (digests + replies)",
    result.pace,
    `>= 0.95 ${met(result.pace >= 0.95)}`,
    `(${result.delivered} digests + ${result.replies} replies) ÷ (R × elapsed)`,
  );
  row(
    "",
    "429s drawn",
    result.tooManyRequests,
    `≈ 0 ${met(result.tooManyRequests <= 2)}`,
    `${readers.updates} updates from ${readers.readers} readers, ${result.elapsedSeconds} s`,
  );
  row(
    "",
    "lost replies / digests lost / dup",
    `${readers.lost} / ${result.lost} / ${result.duplicated}`,
    `0 / 0 / 0 ${met(readers.lost === 0 && result.lost === 0 && result.duplicated === 0)}`,
    "",
  );
}

process.stderr.write(`3a/5 broadcast with ${READERS} readers…\n`);
const withReaders = await benchBroadcast({ subscribers, rate, readers: READERS });
readerRows(
  "3a + readers",
  withReaders,
  `${READERS} readers (/briefing, a button) asking ${READERS_SHARE * 100}% of R during the broadcast`,
);

process.stderr.write(`3b/5 broadcast in Redis mode (two instances, BullMQ)…\n`);
const shared = await benchBroadcastRedis({ subscribers, rate });
if (shared) {
  row(
    "3b Redis",
    "pace",
    shared.pace,
    `>= 0.95 ${met(shared.pace >= 0.95)}`,
    `same broadcast, two instances on one Redis: one BullMQ queue, one send budget; timed from the first digest: ${shared.paceFromFirstDigest}`,
  );
  row(
    "",
    "elapsed s / 429s",
    `${shared.elapsedSeconds} / ${shared.tooManyRequests}`,
    "",
    "the budget's windows in Redis (one Lua step a message)",
  );
  row("", "lost / duplicated", `${shared.lost} / ${shared.duplicated}`, `0 / 0 ${met(shared.lost === 0 && shared.duplicated === 0)}`, "");
  process.stderr.write(`3c/5 broadcast in Redis mode with ${READERS} readers…\n`);
  readerRows(
    "3c Redis + readers",
    (await benchBroadcastRedis({ subscribers, rate, readers: READERS }))!,
    `the same readers, their updates spread over both instances`,
  );
} else {
  row("3b Redis", "skipped", "-", "", "no REDIS_URL and no redis-server on PATH");
}

process.stderr.write(`3d/5 paid broadcast to ${PAID_SUBSCRIBERS} at ${PAID_RATE} msg/s (PAID_BROADCAST_RATE), SQLite and Redis…\n`);
const paidRows = (part: string, result: BroadcastResult, method: string) => {
  row(part, "pace", result.pace, `>= 0.95 ${met(result.pace >= 0.95)}`, method);
  row(
    "",
    "elapsed s / 429s / Stars",
    `${result.elapsedSeconds} / ${result.tooManyRequests} / ${round(result.paidMessages * STARS_PER_PAID_MESSAGE, 1)}`,
    "",
    `${result.paidMessages} digests with allow_paid_broadcast × ${STARS_PER_PAID_MESSAGE} Stars`,
  );
  row("", "lost / duplicated", `${result.lost} / ${result.duplicated}`, `0 / 0 ${met(result.lost === 0 && result.duplicated === 0)}`, "");
};
paidRows(
  "3d paid",
  await benchBroadcast({ subscribers: PAID_SUBSCRIBERS, rate: PAID_RATE, paid: true }),
  `delivered ÷ (R × elapsed); R=${PAID_RATE}/s paid, replies within the free 30/s, ${PAID_SUBSCRIBERS} due at once`,
);
const paidShared = await benchBroadcastRedis({ subscribers: PAID_SUBSCRIBERS, rate: PAID_RATE, paid: true });
if (paidShared) {
  paidRows(
    "3d paid Redis",
    paidShared,
    `the same, two instances on one Redis (one queue, one send budget); timed from the first digest: ${paidShared.paceFromFirstDigest}; from 2 s in: ${paidShared.steadyPace}`,
  );
}

process.stderr.write("3e/5 a reader tapping quickly in a private chat…\n");
const taps = await benchTaps();
row(
  "3e taps",
  "worst answer ms",
  taps.worstAnswerMs,
  `< 300 ${met(taps.worstAnswerMs < 300)}`,
  `${taps.taps} taps ${taps.intervalMs} ms apart on one message: tap → its answerCallbackQuery at the Bot API`,
);
row(
  "",
  "last screen ms",
  taps.lastScreenMs,
  `< 1500 ${met(taps.lastScreenMs < 1500)}`,
  "last tap → the edit showing its screen at the Bot API; burst of 3, then 1/s in the chat, edits included",
);
row("", "screens sent", `${taps.screensSent} of ${taps.taps}`, "", "screens replaced while they waited for the chat's slot are not sent");
row("", "429s drawn", taps.tooManyRequests, `0 ${met(taps.tooManyRequests === 0)}`, "HTTP fake Bot API with Telegram's per-chat pacing");

process.stderr.write(`4/5 memory (${SIZES.memory[0]} and ${SIZES.memory[1]} subscribers)…\n`);
const memory = benchMemory(SIZES.memory[0]!, SIZES.memory[1]!);
row(
  "4 memory",
  `peak RSS MB, ${memory.large.subscribers}`,
  memory.large.peakRssMb,
  `< 150 ${met(memory.large.peakRssMb < 150)}`,
  "whole process (VmHWM): tick + drain over a seeded database, instant API",
);
row("", `peak RSS MB, ${memory.small.subscribers}`, memory.small.peakRssMb, "", "");
row("", "run s (small / large)", `${memory.small.runSeconds} / ${memory.large.runSeconds}`, "", "tick + drain");
row("", "time growth", memory.growth, `≈ 1 (linear) ${met(memory.growth < 1.5)}`, "time per subscriber, large ÷ small");

process.stderr.write(`5/5 library (${SIZES.visits} visits)…\n`);
const library = await benchLibrary(SIZES.visits, { reloads: SIZES.reloads, inlineQueries: SIZES.inline });
row(
  "5 library",
  `reload ms, ${library.visits} visits`,
  library.reloadMaxMs,
  `< 1000 ${met(library.reloadMaxMs < 1000)}`,
  `slowest of ${library.reloads} reloads, each after an editor changes one visit: loadContent + checkContent + card search + digest renderer (what a reload runs)`,
);
row("", "reload p50 ms", library.reloadP50Ms, "", "generated in a temp folder: the bundled visit, new ids, dates and texts");
row(
  "",
  "start-up load ms",
  library.startUpMs,
  "(figure only)",
  "the first load in the process: every visit read, checked and indexed, nothing kept from before",
);
row(
  "",
  "inline p50 / p99 ms",
  `${library.inlineP50Ms} / ${library.inlineP99Ms}`,
  `p99 < 5 ${met(library.inlineP99Ms < 5)}`,
  `${library.inlineQueries} queries as in part 2, over the ${library.visits}-visit library`,
);
row(
  "",
  "uncached p50 / max ms",
  `${library.uncachedP50Ms} / ${library.uncachedMaxMs}`,
  "(figure only)",
  `${library.uncachedQueries} distinct queries (kk, ru), each a cache miss: the search alone, no grammY`,
);

const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => cell.padEnd(widths[column]!))
    .join("  ")
    .trimEnd();
process.stdout.write(`${line(["part", "figure", "value", "target", "method"])}\n${rows.map(line).join("\n")}\n\n`);
process.stdout.write(
  `bench: stack_vs_bare=${updates.stackVsBare} stack_vs_ceiling=${stackVsCeiling} stack_vs_bare_metrics=${metricsVsBare} metrics_cost=${metricsCost.cost} update_p99_ms=${updates.p99Ms} inline_p99_ms=${inline.p99Ms} ` +
    `broadcast_pace=${broadcast.pace} broadcast_lost=${broadcast.lost} broadcast_dup=${broadcast.duplicated} ` +
    `readers_reply_p95_ms=${withReaders.readers!.p95Ms} readers_pace=${withReaders.pace} readers_lost=${withReaders.readers!.lost} ` +
    `rss_mb_100k=${memory.large.peakRssMb} library_reload_ms=${library.reloadMaxMs} library_start_up_ms=${library.startUpMs} library_inline_p99_ms=${library.inlineP99Ms} ` +
    `taps_answer_max_ms=${taps.worstAnswerMs} taps_last_screen_ms=${taps.lastScreenMs} taps_screens=${taps.screensSent} taps_429=${taps.tooManyRequests}\n`,
);
