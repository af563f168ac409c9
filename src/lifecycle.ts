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

/** What a failure reads as on stderr: the stack for errors (it starts with the message), else the value. */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** Reports an error that ends the process: through the logger once there is one (with its stack), else on stderr. */
export function reportFatal(error: unknown, logger: Logger | undefined, stderr: { write(text: string): unknown } = process.stderr): void {
  if (logger) logger.fatal({ err: error }, "fatal error");
  else stderr.write(`Fatal: ${describeFailure(error)}\n`);
}
