import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "./stats.js";

type Run = { subscribers: number; sent: number; runSeconds: number; peakRssMb: number };

/** The bot runs with the V8 flags in package.json's config.nodeFlags (see `npm start`); so does the measured run. */
function botNodeFlags(): string[] {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) folder = dirname(folder);
  const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { config?: { nodeFlags?: string } };
  return (manifest.config?.nodeFlags ?? "").split(/\s+/).filter(Boolean);
}

function runInChild(subscribers: number): Run {
  const script = fileURLToPath(new URL("./memory-run.js", import.meta.url));
  const folder = mkdtempSync(join(tmpdir(), "bench-memory-"));
  const database = join(folder, "bot.db");
  try {
    execFileSync(process.execPath, [script, "seed", String(subscribers), database]);
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
