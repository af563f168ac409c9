import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * A JSON logger that never writes any of `secrets`. The scrubbing runs on each finished line, after pino's
 * serializers, so errors under `err` keep their type, message and stack.
 */
export function createLogger(level: string, secrets: string[] = [], destination?: DestinationStream): Logger {
  const hidden = secrets.filter((secret) => secret.length > 0);
  const options = {
    level,
    base: undefined,
    // The token appears inside API URLs in some errors; scrub it wherever it shows up in a line.
    hooks: { streamWrite: (line: string) => scrub(line, hidden) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Each secret as written, and as it reads inside a JSON string (escaped), is replaced. */
function scrub(line: string, secrets: string[]): string {
  return secrets
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)])
    .reduce((current, secret) => current.split(secret).join("[REDACTED]"), line);
}
