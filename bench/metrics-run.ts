/**
 * The full stack in a process of its own, with metrics or without, never both: a bot runs one stack, and two stacks in
 * one process share inline caches and optimized code, which moves their timings apart by more than what is measured.
 *   metrics-run.js <with|without> <updates> <warm-up>
 * handles <warm-up> updates unmeasured, prints "ready", then for each line "<n>" on stdin handles the next n updates
 * and prints the CPU milliseconds they took; "end" (or the end of stdin) closes the stack.
 */
import { createInterface } from "node:readline";
import { bundledContent } from "../src/content/index.js";
import { stackBot } from "./update-handling.js";
import { mixedUpdates } from "./updates.js";

const content = bundledContent();

const [variant, countText, warmUpText] = process.argv.slice(2);
const count = Number(countText);
const warmUpCount = Number(warmUpText);
if (
  (variant !== "with" && variant !== "without") ||
  !Number.isInteger(count) ||
  count <= 0 ||
  !Number.isInteger(warmUpCount) ||
  warmUpCount < 0
) {
  throw new Error("usage: metrics-run.js <with|without> <updates> <warm-up>");
}
const warmUp = mixedUpdates(content, warmUpCount);
const updates = mixedUpdates(content, count, { firstUpdateId: warmUp.length + 1 });
const stack = stackBot(undefined, { metrics: variant === "with" });
try {
  for (const update of warmUp) await stack.bot.handleUpdate(update);
  process.stdout.write("ready\n");
  let next = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "end") break;
    const end = Math.min(updates.length, next + Number(line));
    // CPU time (every thread of the process, the garbage collector's included) rather than the clock: the updates keep
    // the process busy without pause, so that is what bounds its throughput, and other processes' load does not count.
    const before = process.cpuUsage();
    for (; next < end; next++) await stack.bot.handleUpdate(updates[next]!);
    const used = process.cpuUsage(before);
    process.stdout.write(`${(used.user + used.system) / 1000}\n`);
  }
} finally {
  await stack.close();
}
