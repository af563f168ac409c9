import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, secrets: string[] = []): Logger {
  const hidden = secrets.filter((secret) => secret.length > 0);
  return pino({
    level,
    base: undefined,
    hooks: {
      // The token appears inside API URLs in some errors; scrub it wherever it shows up.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? scrub(arg, hidden) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    formatters: {
      log: (object) => JSON.parse(scrub(JSON.stringify(object), hidden)) as Record<string, unknown>,
    },
  });
}

function scrub(text: string, secrets: string[]): string {
  return secrets.reduce((current, secret) => current.split(secret).join("[REDACTED]"), text);
}
