import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGESTS_IN_FLIGHT, JOBS_AT_ONCE } from "../src/digest/queue.js";
import { openRedisStore } from "../src/store/redis.js";
import { startBotProcess, type BotProcess } from "./support/bot-process.js";
import { startFakeTelegram, type FakeTelegram } from "./support/fake-telegram.js";
import { freePort } from "./support/net.js";
import { messageUpdate, privateUser } from "./support/updates.js";

const SUBSCRIBERS = 3000;
const FIRST_CHAT = 7_000_000;
const ALERT_CHAT_ID = -100999;
/**
 * Digests the worker has in flight at once (pages' in its lanes, and a digest's job of its own in each of the worker's
 * places): only these may be sent twice.
 */
const IN_FLIGHT = DIGESTS_IN_FLIGHT + JOBS_AT_ONCE;

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedis)
  console.warn("Redis restart test skipped: no redis-server on PATH (.ci/run installs it; locally: apt-get install redis-server)");

/**
 * A redis-server of this test's own, which it stops and starts again on the same port and folder. The append-only
 * file keeps the data across the restart, as a production Redis with persistence does.
 */
function ownRedis(port: number, folder: string) {
  let child: ChildProcess | undefined;
  const ping = () => spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG";
  return {
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "yes", "--appendfsync", "always"],
        { stdio: "ignore" },
      );
      for (let attempt = 0; attempt < 100 && !ping(); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    async stop() {
      if (child?.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe.skipIf(!hasRedis)("Redis restarted in the middle of a broadcast (real process)", () => {
  let folder: string;
  let redis: ReturnType<typeof ownRedis>;
  let fake: FakeTelegram;
  let bot: BotProcess;
  const chats = Array.from({ length: SUBSCRIBERS }, (_, index) => FIRST_CHAT + index);
  const delivered = () => chats.filter((chatId) => fake.messages(chatId).length > 0).length;
  const waitUntil = async (done: () => boolean, ms: number, what: string) => {
    const started = Date.now();
    while (!done()) {
      if (Date.now() - started > ms) throw new Error(`${what} not within ${ms} ms\n${bot.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "redis-restart-"));
    const port = await freePort();
    redis = ownRedis(port, folder);
    await redis.start();
    const url = `redis://127.0.0.1:${port}/0`;
    const seeding = await openRedisStore({ url });
    for (const chatId of chats) {
      await seeding.saveSubscription({
        chatId,
        chatKind: "private",
        language: chatId % 2 ? "kk" : "ru",
        // 00:00 local has always passed today: every subscriber is owed today's digest at once.
        schedule: { frequency: "daily", weekday: null, minuteOfDay: 0, timezone: "Asia/Almaty" },
        sectors: null,
        createdBy: null,
      });
    }
    await seeding.close();
    fake = await startFakeTelegram({ botUsername: "visit_briefing_bot" });
    // The real main.ts, run from source (the other end-to-end suites build dist/ at the same time).
    bot = startBotProcess(process.execPath, ["--import", "tsx", "src/main.ts"], {
      TELEGRAM_API_ROOT: fake.apiRoot,
      REDIS_URL: url,
      DIGEST_TICK: "* * * * * *",
      ALERT_CHAT_ID: String(ALERT_CHAT_ID),
      LOG_LEVEL: "warn",
    });
  }, 120_000);

  afterAll(async () => {
    if (bot?.child.exitCode === null) bot.child.kill("SIGKILL");
    await fake?.close();
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`delivers every one of ${SUBSCRIBERS} digests once, tells readers to try again meanwhile, and alerts the operators`, async () => {
    await waitUntil(() => delivered() >= 300, 60_000, "300 digests");
    await redis.stop();
    const reader = privateUser({ language_code: "ru" });
    fake.pushUpdate(messageUpdate(reader, "/start"));
    const reply = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === reader.id, 20_000);
    expect(reply.payload.text).toContain("Повторите, пожалуйста, через несколько секунд");
    await fake.waitFor(
      (call) => call.method === "sendMessage" && call.payload.chat_id === ALERT_CHAT_ID && /не отвечает/.test(call.payload.text),
      15_000,
    );
    const sentWhileAway = delivered();
    await redis.start();
    await fake.waitFor(
      (call) => call.method === "sendMessage" && call.payload.chat_id === ALERT_CHAT_ID && /снова отвечает/.test(call.payload.text),
      15_000,
    );

    await waitUntil(() => delivered() === SUBSCRIBERS, 200_000, `all ${SUBSCRIBERS} digests`);
    expect(sentWhileAway).toBeLessThan(SUBSCRIBERS);
    const duplicated = chats.filter((chatId) => fake.messages(chatId).length > 1).length;
    expect(duplicated).toBeLessThanOrEqual(IN_FLIGHT);
    // No update crashed the process: it is still running, and answers a reader again.
    expect(bot.child.exitCode).toBeNull();
    const later = privateUser({ language_code: "kk", first_name: "Айгерім" });
    fake.pushUpdate(messageUpdate(later, "/start"));
    const welcome = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === later.id, 20_000);
    expect(welcome.payload.text).toContain("Сәлеметсіз бе, Айгерім!");
  }, 300_000);
});
