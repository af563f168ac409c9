import type { Logger } from "./logger.js";

/** 0 after a clean stop; 1 for bad settings, a fatal error, or a stop in which any step failed. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE;

/** One thing to stop at shutdown, named for the log when it fails. */
export type StopStep = { name: string; stop: () => unknown };

/**
 * Runs shutdown in stages: the steps of a stage together, the next stage once all of them have settled. Every step
 * runs even when an earlier one failed (the store still closes when the runner would not stop); each failure goes
 * to `onFailure` with the step's name. Resolves with EXIT_OK only if no step failed.
 */
export async function runShutdown(stages: StopStep[][], onFailure: (step: string, error: unknown) => void): Promise<ExitCode> {
  let failed = false;
  for (const stage of stages) {
    // async: a step that throws synchronously is a rejection like any other.
    const results = await Promise.allSettled(stage.map(async (step) => step.stop()));
    results.forEach((result, index) => {
      if (result.status === "fulfilled") return;
      failed = true;
      onFailure(stage[index]!.name, result.reason);
    });
  }
  return failed ? EXIT_FAILURE : EXIT_OK;
}

/**
 * When a step stops: "intake" with what takes in work (the runner, the webhook and metrics servers, the scheduler,
 * the alerts), together; "last" once all of those have settled (the store they write to, the content watcher).
 */
export type StopStage = "intake" | "last";

export type StopRegistry = {
  /** Adds what stops a part the moment it has started; one added after stopping began is stopped at once. */
  add(stage: StopStage, step: StopStep): void;
  /** Stops everything added, intake first; logs each step that fails (with its stack) and how the stop ended. */
  stop(logger: Logger): Promise<ExitCode>;
};

/** The stop steps of a running process, each added by the part that started (so nothing is listed twice or missed). */
export function createStopRegistry(): StopRegistry {
  const stages: Record<StopStage, StopStep[]> = { intake: [], last: [] };
  let stopping: Logger | undefined;
  const failed = (logger: Logger) => (step: string, error: unknown) => logger.error({ err: error, step }, "shutdown step failed");
  return {
    add(stage, step) {
      if (stopping) void runShutdown([[step]], failed(stopping));
      else stages[stage].push(step);
    },
    async stop(logger) {
      stopping = logger;
      const code = await runShutdown([stages.intake, stages.last], failed(logger));
      if (code === EXIT_OK) logger.info("stopped");
      else logger.error("stopped, but shutdown failed");
      return code;
    },
  };
}

/** Resolves, after the first SIGINT or SIGTERM, with what `stop` resolves to; later signals do not call it again. */
export function afterStopSignal(stop: (signal: NodeJS.Signals) => Promise<ExitCode>): Promise<ExitCode> {
  return new Promise((resolveStopped) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      resolveStopped(stop(signal));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
}

/** What a failure reads as on stderr: the stack for errors (it starts with the message), else the value. */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** Reports an error that ends the process: through the logger once there is one (with its stack), else on stderr. */
export function reportFatal(error: unknown, logger: Logger | undefined, stderr: { write(text: string): unknown } = process.stderr): void {
  if (logger) logger.fatal({ err: error }, "fatal error");
  else stderr.write(`Fatal: ${describeFailure(error)}\n`);
}
