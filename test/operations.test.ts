import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAlerts, floodRunAlerts, type AlertKind, type AlertVariables } from "../src/alerts/index.js";
import { createTranslators } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { createMetrics } from "../src/metrics/index.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { countingFetch, type ApiCallObserver } from "../src/telegram/transformers.js";
import { startHarness } from "./support/harness.js";
import { messageUpdate, privateUser } from "./support/updates.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("alerts to the operators' chat", () => {
  it("alerts a run of 429 pauses once, when the pauses joined end to end last over a minute", () => {
    const alerted: [AlertKind, AlertVariables | undefined][] = [];
    const paused = floodRunAlerts(() => ({ alert: (kind, variables) => alerted.push([kind, variables]), close: () => undefined }));
    const start = 1_700_000_000_000;
    paused(30, start);
    paused(30, start + 29_000);
    expect(alerted).toEqual([]);
    paused(30, start + 58_000);
    expect(alerted).toEqual([["flood", { seconds: 88 }]]);
    paused(30, start + 80_000);
    expect(alerted).toHaveLength(1);
    // A pause asked for after the run ended starts a new run, alerted only if it too lasts over a minute.
    paused(50, start + 200_000);
    expect(alerted).toHaveLength(1);
    paused(20, start + 245_000);
    expect(alerted).toEqual([
      ["flood", { seconds: 88 }],
      ["flood", { seconds: 65 }],
    ]);
  });

  it("posts the first of a kind at once, folds the rest of the window into one message with their count", async () => {
    const posted: string[] = [];
    const alerts = createAlerts({
      send: async (text) => posted.push(text),
      language: async () => "ru",
      translators: createTranslators(),
      logger: createLogger("silent"),
      windowMs: 100,
    });
    alerts.alert("flood", { seconds: 61 });
    alerts.alert("flood", { seconds: 90 });
    alerts.alert("flood", { seconds: 120 });
    alerts.alert("store-down", { store: "Redis" });
    await sleep(20);
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain("61 с");
    await sleep(150);
    expect(posted).toHaveLength(3);
    expect(posted[2]).toContain("120 с");
    expect(posted[2]).toContain("Таких сообщений за последние 5 минут: 2.");
    alerts.close();
  });

  it("never throws when the alert chat refuses the message", async () => {
    const alerts = createAlerts({
      send: () => Promise.reject(new Error("Forbidden: bot was kicked from the group chat")),
      language: () => Promise.reject(new Error("store away")),
      translators: createTranslators(),
      logger: createLogger("silent"),
    });
    expect(() => alerts.alert("started", { version: "1", mode: "polling", store: "SQLite" })).not.toThrow();
    await sleep(20);
    alerts.close();
  });
});

describe("Bot API calls counted in the HTTP client", () => {
  it("counts each call by method and result, with a 429's pause, and a network failure as other", async () => {
    const seen: Parameters<ApiCallObserver>[] = [];
    const answers = [
      new Response(JSON.stringify({ ok: true, result: true }), { status: 200 }),
      new Response(JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 7 } }), {
        status: 429,
      }),
      new Response(JSON.stringify({ ok: false, error_code: 403, description: "Forbidden" }), { status: 403 }),
    ];
    const base = (async () => {
      const next = answers.shift();
      if (!next) throw new Error("ECONNRESET");
      return next;
    }) as unknown as Parameters<typeof countingFetch>[1];
    const fetch = countingFetch((...call) => seen.push(call), base);
    for (const method of ["getMe", "sendMessage", "sendMessage"]) await fetch(`http://api/bot1:x/${method}`, {});
    await expect(fetch("http://api/bot1:x/sendMessage", {})).rejects.toThrow("ECONNRESET");
    expect(seen).toEqual([
      ["getMe", "ok"],
      ["sendMessage", "429", 7],
      ["sendMessage", "403"],
      ["sendMessage", "other"],
    ]);
  });
});

describe("metrics registry", () => {
  it("reads the store once per few seconds however often it is scraped, and never labels a chat", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let reads = 0;
    metrics.sources.store = async () => {
      reads++;
      return {
        subscriptions: [{ language: "kk", frequency: "daily", status: "active", count: 4 }],
        waiting: 2,
        oldestWaitingSince: new Date(Date.now() - 90_000),
      };
    };
    metrics.updateHandled("message", true, 0.002);
    metrics.apiCall("sendMessage", "429", 3);
    const first = await metrics.render();
    await metrics.render();
    expect(reads).toBe(1);
    expect(first).toContain('bot_subscriptions{status="active",frequency="daily",language="kk"} 4');
    expect(first).toContain("bot_digests_waiting 2");
    expect(first).toMatch(/bot_digests_oldest_waiting_age_seconds (89|9\d)/);
    expect(first).toContain('bot_updates_total{type="message",outcome="ok"} 1');
    expect(first).toContain("bot_telegram_flood_wait_seconds_count 1");
    expect(first).toContain('bot_telegram_api_calls_total{method="sendMessage",result="429"} 1');
  });

  it("counts every increment once across scrapes, and the last successful call's time", async () => {
    let clock = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => clock });
    metrics.updateHandled("message", true, 0.002);
    metrics.updateHandled("message", false, 0.002);
    metrics.apiCall("sendMessage", "ok");
    const first = await metrics.render();
    expect(first).toContain('bot_updates_total{type="message",outcome="ok"} 1');
    expect(first).toContain('bot_updates_total{type="message",outcome="error"} 1');
    expect(first).toContain("bot_telegram_last_success_timestamp_seconds 1700000000");
    clock += 5_000;
    for (let call = 0; call < 3; call++) metrics.apiCall("sendMessage", "ok");
    metrics.updateHandled("callback_query", true, 0.001);
    const second = await metrics.render();
    expect(second).toContain('bot_telegram_api_calls_total{method="sendMessage",result="ok"} 4');
    expect(second).toContain('bot_updates_total{type="message",outcome="ok"} 1');
    expect(second).toContain('bot_updates_total{type="callback_query",outcome="ok"} 1');
    expect(second).toContain("bot_telegram_last_success_timestamp_seconds 1700000005");
    expect(await metrics.render()).toContain('bot_telegram_api_calls_total{method="sendMessage",result="ok"} 4');
  });

  it("hands every update's time to the histogram, across scrapes and past the observations it holds", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (let update = 0; update < 300; update++) metrics.updateHandled("message", true, 0.004);
    metrics.updateHandled("message", false, 2);
    const first = await metrics.render();
    expect(first).toContain('bot_update_duration_seconds_count{type="message"} 301');
    expect(first).toContain('bot_update_duration_seconds_bucket{le="0.005",type="message"} 300');
    expect(first).toMatch(/bot_update_duration_seconds_sum\{type="message"\} 3\.2000\d*\n/);
    metrics.updateHandled("message", true, 0.004);
    const second = await metrics.render();
    expect(second).toContain('bot_update_duration_seconds_count{type="message"} 302');
    expect(await metrics.render()).toContain('bot_update_duration_seconds_count{type="message"} 302');
  });

  it("keeps when Telegram last answered, says it is unreachable after failures with no answer for the silence, and tells of 429 pauses", () => {
    let clock = 1_700_000_000_000;
    const silenceMs = 300_000;
    const pauses: [number, number][] = [];
    const metrics = createMetrics({ defaultMetrics: false, now: () => clock, onFloodPause: (seconds, at) => pauses.push([seconds, at]) });
    expect(metrics.lastApiAnswerAt()).toBeUndefined();
    expect(metrics.telegramReachable(silenceMs)).toBe(true);
    metrics.apiCall("sendMessage", "429", 7);
    expect(metrics.lastApiAnswerAt()).toBe(1_700_000_000_000);
    expect(pauses).toEqual([[7, 1_700_000_000_000]]);
    // A 429 without retry_after is counted, but asks for no pause.
    metrics.apiCall("sendMessage", "429");
    expect(pauses).toHaveLength(1);
    clock += 1_000;
    metrics.apiCall("getUpdates", "other");
    expect(metrics.telegramReachable(silenceMs)).toBe(true);
    clock += silenceMs;
    metrics.apiCall("getUpdates", "other");
    expect(metrics.telegramReachable(silenceMs)).toBe(false);
    // Any answer, a refusal included, says Telegram is reachable again.
    metrics.apiCall("sendMessage", "403");
    expect(metrics.telegramReachable(silenceMs)).toBe(true);
    expect(metrics.lastApiAnswerAt()).toBe(clock);
  });

  it("does not hold a time that is not a finite number: later times and scrapes go on", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.updateHandled("message", true, Number.NaN);
    for (let update = 0; update < 300; update++) metrics.updateHandled("message", true, 0.004);
    metrics.updateHandled("inline_query", true, 0.02);
    const text = await metrics.render();
    expect(text).toContain('bot_update_duration_seconds_count{type="message"} 300');
    expect(text).toContain('bot_updates_total{type="message",outcome="ok"} 301');
    expect(text).toContain('bot_update_duration_seconds_count{type="inline_query"} 1');
  });
});

describe("metrics of a running bot", () => {
  it("counts and times every update through the bot, a handler that throws as an error", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const harness = await startHarness({ bot: { metrics } });
    try {
      const user = privateUser({ language_code: "ru" });
      await harness.send(messageUpdate(user, "/start"));
      harness.fake.failNext("sendMessage", { error_code: 400, description: "Bad Request: something the bot did not foresee" });
      await expect(harness.send(messageUpdate(user, "/help"))).rejects.toThrow();
      const scraped = await metrics.render();
      expect(scraped).toContain('bot_updates_total{type="message",outcome="ok"} 1');
      expect(scraped).toContain('bot_updates_total{type="message",outcome="error"} 1');
      expect(scraped).toContain('bot_update_duration_seconds_count{type="message"} 2');
      expect(scraped).toContain('bot_telegram_api_calls_total{method="sendMessage",result="400"} 1');
    } finally {
      await harness.close();
    }
  });
});

describe("SQLite under a lock", () => {
  it("opens in WAL mode with a busy timeout: a write waits for another connection's lock instead of failing", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sqlite-lock-"));
    const path = join(folder, "bot.db");
    const store = openSqliteStore(path);
    try {
      // Another process holds the write lock for 800 ms.
      const holder = spawn(
        process.execPath,
        [
          "-e",
          `const db = require("better-sqlite3")(${JSON.stringify(path)});
           db.exec("BEGIN IMMEDIATE"); process.stdout.write("locked\\n");
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800); db.exec("COMMIT"); db.close();`,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      const started = Date.now();
      await store.touchUser(42);
      expect(Date.now() - started).toBeGreaterThan(300);
      expect((await store.getUser(42))?.id).toBe(42);
      await new Promise((resolve) => holder.once("exit", resolve));
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
