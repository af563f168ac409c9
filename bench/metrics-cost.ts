import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { botNodeFlags } from "../test/support/bot-process.js";
import { percentile, round } from "./stats.js";

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

function runInChild(variant: "with" | "without", updates: number): number {
  const script = fileURLToPath(new URL("./metrics-run.js", import.meta.url));
  const args = [...botNodeFlags(), script, variant, String(updates), String(METRICS_WARM_UP)];
  const output = execFileSync(process.execPath, args, { encoding: "utf8" });
  return (JSON.parse(output.trim().split("\n").at(-1)!) as { cpuMs: number }).cpuMs;
}

/**
 * What metrics cost a running bot: the CPU time of the same updates through the stack without metrics and with them
 * (updates counted and timed, every Bot API call counted, as main.ts runs it), each run in a fresh process with npm
 * start's flags.
 * The runs alternate, and swap order every pair, so that machine noise hits both alike; the median pair is the figure.
 */
export function benchMetricsCost(updates: number, pairs: number): MetricsCostResult {
  const costs: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? (["without", "with"] as const) : (["with", "without"] as const);
    const ms = Object.fromEntries(order.map((variant) => [variant, runInChild(variant, updates)])) as Record<"with" | "without", number>;
    costs.push(1 - ms.without / ms.with);
  }
  costs.sort((a, b) => a - b);
  return {
    updates,
    warmUp: Math.min(METRICS_WARM_UP, updates),
    pairs,
    cost: round(percentile(costs, 50), 3),
    spread: [round(costs[0]!, 3), round(costs.at(-1)!, 3)],
  };
}
