import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

const TOKEN = "123456789:AAH-valid_token_value_0123456789abcdef";

function capture(secrets: string[] = [TOKEN]) {
  const written: string[] = [];
  const logger = createLogger("debug", secrets, { write: (line: string) => void written.push(line) });
  return { logger, entries: () => written.map((line) => JSON.parse(line) as Record<string, any>), raw: () => written.join("") };
}

describe("createLogger", () => {
  it("keeps an error's type, message and stack under err", () => {
    const { logger, entries } = capture();
    const error = new TypeError("fetch failed");
    logger.error({ err: error }, "digest tick failed");
    expect(entries()[0]!.err).toMatchObject({ type: "TypeError", message: "fetch failed", stack: error.stack });
  });

  it("never writes the token: in messages, fields, or an error's message and stack", () => {
    const { logger, raw } = capture();
    logger.info(`calling https://api.telegram.org/bot${TOKEN}/getMe`);
    logger.info({ url: `https://api.telegram.org/bot${TOKEN}/getUpdates` }, "polling");
    logger.error({ err: new Error(`request to /bot${TOKEN}/sendMessage failed`) }, "send failed");
    expect(raw()).not.toContain(TOKEN.split(":")[1]);
    expect(raw().match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it("scrubs a secret that JSON escapes", () => {
    const { logger, raw } = capture(['se"cret\\value']);
    logger.info({ note: 'the se"cret\\value leaked' }, "escaped");
    expect(raw()).not.toContain("cret");
  });
});
