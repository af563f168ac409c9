/**
 * A digest run in a process of its own, so that its peak resident memory is its own.
 *   memory-run.js seed <subscribers> <database>   creates the subscribers (they exist before any digest run)
 *   memory-run.js run <database>                  ticks and drains against an API that answers instantly;
 *                                                 prints one JSON line with the time and the peak RSS
 */
import { readFileSync } from "node:fs";
import { tick } from "../src/digest/tick.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { DUE_CLOCK, seedSubscribers } from "./broadcast.js";
import { instantFetch } from "./in-process-api.js";
import { benchBot } from "./bench-bot.js";

const [command, ...rest] = process.argv.slice(2);

if (command === "seed") {
  const [count, database] = [Number(rest[0]), rest[1]];
  if (!Number.isInteger(count) || count <= 0 || !database) throw new Error("usage: memory-run.js seed <subscribers> <database>");
  const store = openSqliteStore(database, () => DUE_CLOCK);
  await seedSubscribers(store, count);
  await store.close();
} else if (command === "run" && rest[0]) {
  const store = openSqliteStore(rest[0], () => DUE_CLOCK);
  const { sender: createSender, deps } = benchBot(
    store,
    { fetch: instantFetch() },
    { perSecond: Number.MAX_SAFE_INTEGER, perGroupPerMinute: Number.MAX_SAFE_INTEGER },
  );
  const started = performance.now();
  const planned = await tick({ store, now: DUE_CLOCK, contentMark: () => deps.edition().digests.contentMark });
  const sender = createSender();
  const drained = await sender.drain();
  const runSeconds = (performance.now() - started) / 1000;
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN);
  await store.close();
  process.stdout.write(`${JSON.stringify({ queued: planned.queued, sent: drained.sent, runSeconds, peakRssMb: peakKb / 1024 })}\n`);
} else {
  throw new Error("usage: memory-run.js seed <subscribers> <database> | run <database>");
}
