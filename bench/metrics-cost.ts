import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { botNodeFlags } from "../test/support/bot-process.js";
import { percentile, round } from "./stats.js";
import { seeded } from "./updates.js";

export type MetricsCostResult = {
  updates: number;
  /** Updates each process handled before the measured ones. */
  warmUp: number;
  pairs: number;
  /** 1 − throughput with metrics ÷ without: the median over the pairs of runs. */
  cost: number;
  /** Each pair's cost, to show the spread. */
  spread: [number, number];
};

/**
 * Updates each process handles before the measured ones. The cost of an update keeps falling over a process's first
 * 10,000 or so (V8 goes on optimizing, at its own pace in each process), and a running bot spends its life past that.
 */
export const METRICS_WARM_UP = 10_000;

/** Updates a process handles before the other process of its pair takes its turn. */
const BLOCK = 1_000;

/**
 * Each process gets an environment variable of a random length below this many bytes. A process's environment and
 * arguments sit at the top of its main thread's stack, so their size moves every frame below them, and with that how
 * the process's work lines up in the CPU's caches: a fixed difference in size is a fixed bias in speed, of either
 * sign. The two processes of a pair differ in their arguments ("with", "without"). Two stacks that differed in
 * nothing at run time, but whose command lines and environments differed in length, came out 2.2% apart (fifteen
 * pairs); with random padding the same comparison gave 0.8% the other way (eleven pairs), within the bench's spread.
 * Random sizes turn the bias into spread, which the median of the pairs absorbs.
 */
const ENVIRONMENT_PADDING = 4_096;

type Run = { ready: Promise<void>; block(updates: number): Promise<number>; end(): Promise<void> };

/** One stack in a process of its own with npm start's flags (metrics-run.ts), handling blocks of updates on request. */
function startRun(variant: "with" | "without", updates: number, warmUp: number, padding: number): Run {
  const script = fileURLToPath(new URL("./metrics-run.js", import.meta.url));
  const child = spawn(process.execPath, [...botNodeFlags(), script, variant, String(updates), String(warmUp)], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, BENCH_STACK_PADDING: "x".repeat(padding) },
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`metrics-run ${variant} exited with ${code}`)))),
  );
  const lines: AsyncIterator<string> = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`metrics-run ${variant} ended early`);
    return line.value;
  };
  return {
    ready: nextLine().then(() => undefined),
    async block(count) {
      child.stdin.write(`${count}\n`);
      return Number(await nextLine());
    },
    async end() {
      child.stdin.end("end\n");
      await exited;
    },
  };
}

/**
 * What metrics cost a running bot: the CPU time of the same updates through the stack without metrics and with them
 * (updates counted and timed, every Bot API call counted, prom-client's process metrics: what main.ts runs), each in a
 * fresh process with npm start's flags. The two processes of a pair run at once, warmed up, and take turns a block of
 * updates each, in alternating order: whatever slows the machine for a while slows both alike, which consecutive runs
 * of the two did not ensure. Each process gets environment padding of a random length (ENVIRONMENT_PADDING). The
 * median pair is the figure.
 */
export async function benchMetricsCost(updates: number, pairs: number): Promise<MetricsCostResult> {
  const warmUp = Math.min(METRICS_WARM_UP, updates);
  // Seeded, so a run can be repeated with the same paddings.
  const padding = seeded(2_021);
  const nextPadding = () => Math.floor(padding() * ENVIRONMENT_PADDING);
  const costs: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? (["without", "with"] as const) : (["with", "without"] as const);
    const runs = {
      without: startRun("without", updates, warmUp, nextPadding()),
      with: startRun("with", updates, warmUp, nextPadding()),
    };
    const cpuMs = { without: 0, with: 0 };
    try {
      await Promise.all([runs.without.ready, runs.with.ready]);
      for (let done = 0, turn = 0; done < updates; done += BLOCK, turn++) {
        const size = Math.min(BLOCK, updates - done);
        for (const variant of turn % 2 === 0 ? order : [...order].reverse()) cpuMs[variant] += await runs[variant].block(size);
      }
    } finally {
      await Promise.all([runs.without.end(), runs.with.end()]);
    }
    costs.push(1 - cpuMs.without / cpuMs.with);
  }
  costs.sort((a, b) => a - b);
  return {
    updates,
    warmUp,
    pairs,
    cost: round(percentile(costs, 50), 3),
    spread: [round(costs[0]!, 3), round(costs.at(-1)!, 3)],
  };
}
