import { describe, expect, it } from "vitest";
import { createStopRegistry, describeFailure, EXIT_FAILURE, EXIT_OK, reportFatal, runShutdown, type StopStep } from "../src/lifecycle.js";
import { createLogger } from "../src/logger.js";

function failures() {
  const seen: { step: string; error: unknown }[] = [];
  return { seen, onFailure: (step: string, error: unknown) => seen.push({ step, error }) };
}

function lines() {
  const written: string[] = [];
  return { written, stream: { write: (text: string) => void written.push(text) } };
}

describe("runShutdown", () => {
  it("exits 0 when every step stops", async () => {
    const order: string[] = [];
    const step = (name: string): StopStep => ({ name, stop: async () => void order.push(name) });
    const { seen, onFailure } = failures();
    expect(await runShutdown([[step("runner"), step("scheduler")], [step("store")]], onFailure)).toBe(EXIT_OK);
    expect(seen).toEqual([]);
    expect(order).toEqual(["runner", "scheduler", "store"]);
  });

  it("exits non-zero and names the step when one rejects, and still runs every other step", async () => {
    const boom = new Error("runner would not stop");
    let storeClosed = false;
    let schedulerStopped = false;
    const { seen, onFailure } = failures();
    const code = await runShutdown(
      [
        [
          { name: "runner", stop: () => Promise.reject(boom) },
          { name: "digest scheduler", stop: async () => void (schedulerStopped = true) },
        ],
        [{ name: "store", stop: () => void (storeClosed = true) }],
      ],
      onFailure,
    );
    expect(code).toBe(EXIT_FAILURE);
    expect(seen).toEqual([{ step: "runner", error: boom }]);
    expect(schedulerStopped).toBe(true);
    expect(storeClosed).toBe(true);
  });

  it("counts a step that throws synchronously (a store close) as a failure", async () => {
    const { seen, onFailure } = failures();
    const code = await runShutdown(
      [
        [],
        [
          {
            name: "store",
            stop: () => {
              throw new Error("database is locked");
            },
          },
        ],
      ],
      onFailure,
    );
    expect(code).toBe(EXIT_FAILURE);
    expect(seen.map(({ step }) => step)).toEqual(["store"]);
  });

  it("starts the next stage only after every step of the last one has settled", async () => {
    const order: string[] = [];
    let finishRunner!: () => void;
    const runnerStopped = new Promise<void>((resolve) => (finishRunner = resolve));
    const shutdown = runShutdown(
      [
        [{ name: "runner", stop: () => runnerStopped.then(() => order.push("runner")) }],
        [{ name: "store", stop: () => order.push("store") }],
      ],
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    finishRunner();
    expect(await shutdown).toBe(EXIT_OK);
    expect(order).toEqual(["runner", "store"]);
  });
});

describe("the stop registry", () => {
  it("stops what takes in work first, whatever the order the parts started in, and logs how the stop ended", async () => {
    const order: string[] = [];
    const step = (name: string): StopStep => ({ name, stop: async () => void order.push(name) });
    const stops = createStopRegistry();
    stops.add("last", step("store"));
    stops.add("intake", step("runner"));
    stops.add("last", step("content watcher"));
    stops.add("intake", step("digest scheduler"));
    const { written, stream } = lines();
    expect(await stops.stop(createLogger("info", [], stream))).toBe(EXIT_OK);
    expect(order.slice(0, 2).sort()).toEqual(["digest scheduler", "runner"]);
    expect(order.slice(2).sort()).toEqual(["content watcher", "store"]);
    expect(written.join("")).toContain('"msg":"stopped"');
  });

  it("stops at once a part that finishes starting after stopping began, and names a step that fails", async () => {
    const stops = createStopRegistry();
    const { written, stream } = lines();
    expect(await stops.stop(createLogger("info", [], stream))).toBe(EXIT_OK);
    let stopped = false;
    stops.add("intake", { name: "late scheduler", stop: async () => void (stopped = true) });
    stops.add("intake", { name: "late runner", stop: () => Promise.reject(new Error("would not stop")) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toBe(true);
    expect(written.join("")).toContain('"step":"late runner"');
  });
});

describe("reportFatal", () => {
  it("logs the error with its stack once there is a logger", () => {
    const { written, stream } = lines();
    const error = new Error("store is gone");
    reportFatal(error, createLogger("info", [], stream));
    const entry = JSON.parse(written.join("")) as { level: number; err: { message: string; stack: string } };
    expect(entry.level).toBe(60);
    expect(entry.err.message).toBe("store is gone");
    expect(entry.err.stack).toBe(error.stack);
  });

  it("writes the stack to stderr before there is a logger", () => {
    const { written, stream } = lines();
    const error = new Error("cannot open data/bot.db");
    reportFatal(error, undefined, stream);
    expect(written.join("")).toBe(`Fatal: ${error.stack}\n`);
    expect(written.join("")).toContain("lifecycle.test.ts");
  });

  it("describes values that are not errors as they are", () => {
    expect(describeFailure("plain text")).toBe("plain text");
  });
});
