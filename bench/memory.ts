import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { botNodeFlags } from "../test/support/bot-process.js";
import { round } from "./stats.js";

type Run = { subscribers: number; sent: number; runSeconds: number; peakRssMb: number };

function runInChild(subscribers: number): Run {
  const script = fileURLToPath(new URL("./memory-run.js", import.meta.url));
  const folder = mkdtempSync(join(tmpdir(), "bench-memory-"));
  const database = join(folder, "bot.db");
  try {
    execFileSync(process.execPath, [script, "seed", String(subscribers), database]);
    // The measured run gets the V8 flags npm start gives the bot.
    const output = execFileSync(process.execPath, [...botNodeFlags(), script, "run", database], { encoding: "utf8", maxBuffer: 1 << 20 });
    return { subscribers, ...(JSON.parse(output.trim().split("\n").at(-1)!) as Omit<Run, "subscribers">) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export type MemoryResult = {
  small: Run;
  large: Run;
  /** Time per subscriber at the large size ÷ at the small size: 1 is linear. */
  growth: number;
};

/** Peak RSS and run time of a digest run at two sizes, each in a fresh process over a database seeded beforehand. */
export function benchMemory(small: number, large: number): MemoryResult {
  const smallRun = runInChild(small);
  const largeRun = runInChild(large);
  const growth = largeRun.runSeconds / large / (smallRun.runSeconds / small);
  return {
    small: { ...smallRun, runSeconds: round(smallRun.runSeconds, 2), peakRssMb: round(smallRun.peakRssMb, 1) },
    large: { ...largeRun, runSeconds: round(largeRun.runSeconds, 2), peakRssMb: round(largeRun.peakRssMb, 1) },
    growth: round(growth, 2),
  };
}
