import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const TOKEN = "123456789:AAH-valid_token_value_0123456789abcdef";

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseConfig", () => {
  it("fills every default when only BOT_TOKEN is set", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN })).toEqual({
      botToken: TOKEN,
      apiRoot: undefined,
      databasePath: "data/bot.db",
      adminIds: [],
      defaultTimezone: "Asia/Almaty",
      digestTick: "* * * * *",
      logLevel: "info",
      redisUrl: undefined,
      richMessages: "auto",
      ephemeralMessages: "auto",
      mode: { kind: "polling" },
    });
  });

  it("names BOT_TOKEN when it is missing, empty or malformed", async () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^BOT_TOKEN is required/)]);
    expect(problemsOf({ BOT_TOKEN: "  " })).toEqual([expect.stringMatching(/^BOT_TOKEN is required/)]);
    expect(problemsOf({ BOT_TOKEN: "not-a-token" })).toEqual([expect.stringMatching(/^BOT_TOKEN is malformed/)]);
  });

  it("names each malformed optional setting", async () => {
    const problems = problemsOf({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: "localhost:8081",
      ADMIN_IDS: "12, abc",
      DEFAULT_TIMEZONE: "Mars/Olympus",
      DIGEST_TICK: "every minute",
      LOG_LEVEL: "loud",
    });
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual([
      "TELEGRAM_API_ROOT",
      "ADMIN_IDS",
      "DEFAULT_TIMEZONE",
      "DIGEST_TICK",
      "LOG_LEVEL",
    ]);
  });

  it("accepts cron expressions with and without seconds for DIGEST_TICK", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN, DIGEST_TICK: "*/5 * * * * *" }).digestTick).toBe("*/5 * * * * *");
    expect(parseConfig({ BOT_TOKEN: TOKEN, DIGEST_TICK: "0 * * * *" }).digestTick).toBe("0 * * * *");
    expect(problemsOf({ BOT_TOKEN: TOKEN, DIGEST_TICK: "* * *" })).toEqual([
      expect.stringMatching(/^DIGEST_TICK is not a cron expression/),
    ]);
  });

  it("webhook mode needs WEBHOOK_URL and a well-formed WEBHOOK_SECRET, each named when missing", async () => {
    const names = (env: Record<string, string>) => problemsOf({ BOT_TOKEN: TOKEN, ...env }).map((problem) => problem.split(" ")[0]);
    expect(names({ BOT_MODE: "webhook" })).toEqual(["WEBHOOK_URL", "WEBHOOK_SECRET"]);
    expect(names({ BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/telegram", WEBHOOK_SECRET: "has spaces" })).toEqual([
      "WEBHOOK_SECRET",
    ]);
    expect(names({ BOT_MODE: "webhok" })).toEqual(["BOT_MODE"]);
    expect(names({ PORT: "http" })).toEqual(["PORT"]);
    expect(names({ REDIS_URL: "localhost:6379" })).toEqual(["REDIS_URL"]);
    expect(parseConfig({ BOT_TOKEN: TOKEN, REDIS_URL: "redis://127.0.0.1:6379/2" }).redisUrl).toBe("redis://127.0.0.1:6379/2");
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/telegram",
      WEBHOOK_SECRET: "s3cret_-X",
      PORT: "8443",
    });
    expect(config.mode).toEqual({ kind: "webhook", url: "https://bot.example.org/telegram", secret: "s3cret_-X", port: 8443 });
  });

  it("serves metrics only with METRICS_PORT (on 127.0.0.1 by default) and takes a numeric ALERT_CHAT_ID, naming each bad one", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).metrics).toBeUndefined();
    expect(parseConfig({ BOT_TOKEN: TOKEN, METRICS_PORT: "9464" }).metrics).toEqual({ port: 9464, host: "127.0.0.1" });
    expect(parseConfig({ BOT_TOKEN: TOKEN, METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" }).metrics).toEqual({
      port: 9464,
      host: "0.0.0.0",
    });
    expect(parseConfig({ BOT_TOKEN: TOKEN, ALERT_CHAT_ID: "-1001234567890" }).alertChatId).toBe(-1001234567890);
    const names = (env: Record<string, string>) => problemsOf({ BOT_TOKEN: TOKEN, ...env }).map((problem) => problem.split(" ")[0]);
    expect(names({ METRICS_PORT: "70000" })).toEqual(["METRICS_PORT"]);
    expect(names({ METRICS_HOST: "no spaces please" })).toEqual(["METRICS_HOST"]);
    expect(names({ ALERT_CHAT_ID: "@newsroom" })).toEqual(["ALERT_CHAT_ID"]);
  });

  it("PAID_BROADCAST_RATE: off by default, a whole number from 31 to 1000, a clear error naming it otherwise", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).paidBroadcastRate).toBeUndefined();
    expect(parseConfig({ BOT_TOKEN: TOKEN, PAID_BROADCAST_RATE: "1000" }).paidBroadcastRate).toBe(1000);
    expect(parseConfig({ BOT_TOKEN: TOKEN, PAID_BROADCAST_RATE: " 200 " }).paidBroadcastRate).toBe(200);
    for (const bad of ["30", "1001", "12.5", "fast", "-5"]) {
      expect(problemsOf({ BOT_TOKEN: TOKEN, PAID_BROADCAST_RATE: bad })).toEqual([
        "PAID_BROADCAST_RATE must be a whole number of digests a second from 31 to 1000 (unset: free broadcasts at 30 a second)",
      ]);
    }
  });

  it("RICH_MESSAGES: auto by default, or off; anything else is an error naming it", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN, RICH_MESSAGES: "off" }).richMessages).toBe("off");
    expect(parseConfig({ BOT_TOKEN: TOKEN, RICH_MESSAGES: "auto" }).richMessages).toBe("auto");
    expect(problemsOf({ BOT_TOKEN: TOKEN, RICH_MESSAGES: "yes" })).toEqual(["RICH_MESSAGES must be auto or off"]);
  });

  it("EPHEMERAL_MESSAGES: auto by default, or off; anything else is an error naming it", async () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).ephemeralMessages).toBe("auto");
    expect(parseConfig({ BOT_TOKEN: TOKEN, EPHEMERAL_MESSAGES: "off" }).ephemeralMessages).toBe("off");
    expect(problemsOf({ BOT_TOKEN: TOKEN, EPHEMERAL_MESSAGES: "yes" })).toEqual(["EPHEMERAL_MESSAGES must be auto or off"]);
  });

  it("parses admin ids and trims a trailing slash from the API root", async () => {
    const config = parseConfig({ BOT_TOKEN: TOKEN, ADMIN_IDS: " 1, 22 ,333", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" });
    expect(config.adminIds).toEqual([1, 22, 333]);
    expect(config.apiRoot).toBe("http://127.0.0.1:8081");
  });

  it("knows Kazakhstan's single UTC+5 zone (tzdata 2024a or later)", async () => {
    const offset = new Intl.DateTimeFormat("en", { timeZone: "Asia/Almaty", timeZoneName: "shortOffset" })
      .formatToParts(new Date("2025-09-01T12:00:00Z"))
      .find((part) => part.type === "timeZoneName")?.value;
    expect(offset).toBe("GMT+5");
  });
});
