import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botNodeFlags, copyBundledContent, placeFile, PROJECT_ROOT, startBotProcess, type BotProcess } from "./support/bot-process.js";
import { startFakeTelegram, type FakeTelegram } from "./support/fake-telegram.js";
import { BOT_INFO, TEST_TOKEN } from "./support/harness.js";
import { channelMembers, type ChannelMember } from "./support/channels.js";
import { callbackUpdate, chatSharedUpdate, inlineQueryUpdate, messageUpdate, privateUser } from "./support/updates.js";
import { bundledContent } from "../src/content/index.js";
import { toLatin } from "../src/shared/latin.js";
import { cardText } from "./support/keyboard.js";
import { freePort } from "./support/net.js";
import { NO_REDIS_MESSAGE, redisForTests } from "./support/redis-server.js";
import { openRedisStore } from "../src/store/redis.js";
import { Redis } from "ioredis";
import { digestSends, sentText } from "./support/digests.js";

const content = bundledContent();

const ROOT = PROJECT_ROOT;

/** The deepest process below `parent` whose command line contains `needle` (the node process, not the shell that runs it). */
function findDescendant(parent: number, needle: string): number | undefined {
  const table = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" }).stdout.trim().split("\n");
  const rows = table.map((line) => {
    const [pid, ppid, ...args] = line.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), args: args.join(" ") };
  });
  const queue = [parent];
  let found: number | undefined;
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const row of rows.filter((candidate) => candidate.ppid === current)) {
      if (row.args.includes(needle)) found = row.pid;
      queue.push(row.pid);
    }
  }
  return found;
}

/** `npm start` as on one machine (SQLite in `folder`), talking HTTP to the fake Bot API. */
function startOneMachineBot(fake: FakeTelegram, folder: string, env: Record<string, string>): BotProcess {
  return startBotProcess("npm", ["start", "--silent"], {
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_PATH: join(folder, "bot.db"),
    // One machine: SQLite, even when CI has a Redis for the scale-out tests.
    REDIS_URL: "",
    ...env,
  });
}

/** Resolves once the bot has called `method`; a bot that never does fails the suite with its own output. */
async function readyAfter(bot: BotProcess, fake: FakeTelegram, method: string): Promise<void> {
  await fake
    .waitFor((call) => call.method === method, 90_000)
    .catch((error: Error) => {
      throw new Error(`${error.message}\nprocess output:\n${bot.output()}`);
    });
}

async function stopOneMachineBot(bot: BotProcess, fake: FakeTelegram, folder: string): Promise<void> {
  if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
  await fake.close();
  rmSync(folder, { recursive: true, force: true });
}

/** One sample of a Prometheus exposition: the value of `name{labels}` (labels in any order), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}

async function scrape(base: string): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The operators' chat of the end-to-end runs. */
const ALERT_CHAT_ID = -100555;

/** The real process, started the way the README says, talking HTTP to the fake Bot API. */
describe("npm start (end to end)", () => {
  let fake: FakeTelegram;
  let bot: BotProcess;
  let folder: string;
  let metricsBase: string;
  let before: string;

  beforeAll(async () => {
    fake = await startFakeTelegram({ botUsername: "visit_briefing_bot" });
    folder = mkdtempSync(join(tmpdir(), "briefing-e2e-"));
    const metricsPort = await freePort();
    metricsBase = `http://127.0.0.1:${metricsPort}`;
    bot = startOneMachineBot(fake, folder, {
      LOG_LEVEL: "debug",
      // Every second, so the digest test does not wait for a whole minute.
      DIGEST_TICK: "* * * * * *",
      METRICS_PORT: String(metricsPort),
      ALERT_CHAT_ID: String(ALERT_CHAT_ID),
    });
    await readyAfter(bot, fake, "getUpdates");
  }, 120_000);

  afterAll(() => stopOneMachineBot(bot, fake, folder));

  it("registers localized command menus at start-up", async () => {
    const languages = fake.callsTo("setMyCommands").map((call) => call.payload.language_code ?? "default");
    expect(new Set(languages)).toEqual(new Set(["default", "kk", "ru"]));
    const kk = fake.callsTo("setMyCommands").find((call) => call.payload.language_code === "kk")!;
    expect(kk.payload.commands).toContainEqual({ command: "timeline", description: "Сапар күндер бойынша" });
  });

  it("sets the bot's profile texts per language at start-up", async () => {
    const described = fake.callsTo("setMyDescription").map((call) => call.payload.language_code ?? "default");
    expect(new Set(described)).toEqual(new Set(["default", "kk", "ru"]));
    const ru = fake.callsTo("setMyShortDescription").find((call) => call.payload.language_code === "ru")!;
    expect(ru.payload.short_description).toMatch(/^Брифинги на казахском и русском языках/);
  });

  it("answers /start from a kk user and a ru user in their languages", async () => {
    const kk = privateUser({ language_code: "kk", first_name: "Айгерім" });
    const ru = privateUser({ language_code: "ru", first_name: "Иван" });
    fake.pushUpdate(messageUpdate(kk, "/start"));
    fake.pushUpdate(messageUpdate(ru, "/start"));
    const kkReply = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === kk.id, 15_000);
    const ruReply = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === ru.id, 15_000);
    expect(kkReply.payload.text).toContain("Сәлеметсіз бе, Айгерім!");
    expect(kkReply.payload.text).toContain("Тоқаев");
    expect(ruReply.payload.text).toContain("Здравствуйте, Иван!");
    expect(ruReply.payload.text).toContain("Токаев");
  });

  it("answers an inline query with briefing cards", async () => {
    fake.pushUpdate(inlineQueryUpdate(privateUser({ language_code: "ru" }), "транскаспий"));
    const answer = await fake.waitFor((call) => call.method === "answerInlineQuery", 15_000);
    expect(answer.payload.results.length).toBeGreaterThan(0);
    expect(cardText(answer.payload.results[0])).toContain("Транскаспийского");
  });

  it("serves /metrics and /healthz on METRICS_PORT in polling mode, and posts its start to the operators' chat", async () => {
    const health = await fetch(`${metricsBase}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, checks: { store: true, scheduler: true, telegram: true } });
    before = await scrape(metricsBase);
    expect(sample(before, "bot_updates_total", { type: "message", outcome: "ok" })).toBeGreaterThanOrEqual(2);
    expect(sample(before, "bot_telegram_api_calls_total", { method: "getMe", result: "ok" })).toBe(1);
    expect(sample(before, "bot_update_duration_seconds_count", { type: "inline_query" })).toBeGreaterThanOrEqual(1);
    expect(sample(before, "bot_content_last_reload_ok")).toBe(1);
    expect(before).toMatch(/^bot_content_info\{version="[^"]+"\} 1$/m);
    expect(before).toContain("process_resident_memory_bytes");
    const started = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === ALERT_CHAT_ID, 15_000);
    expect(started.payload.text).toContain("Бот запущен");
    expect(started.payload.text).toContain("polling");
  });

  it("subscribes through the real process and delivers a digest at the next tick", async () => {
    const user = privateUser({ language_code: "kk" });
    // 00:00 local time has always passed today, so today's digest is owed at once.
    fake.pushUpdate(messageUpdate(user, "/subscribe daily 00:00"));
    const confirmation = await fake.waitFor((call) => call.method === "sendMessage" && call.payload.chat_id === user.id, 15_000);
    expect(confirmation.payload.text).toContain("Жазылым рәсімделді");
    // A digest is one rich message.
    const digest = await fake.waitFor(
      (call) => call.method === "sendRichMessage" && call.payload.chat_id === user.id && sentText(call).includes("🗞 Дайджест"),
      15_000,
    );
    expect(sentText(digest)).toContain("Қытай");
    expect(sentText(digest)).toContain("27");
    // One digest per period, however many ticks pass.
    await new Promise((resolveWait) => setTimeout(resolveWait, 2500));
    const digests = digestSends(fake, user.id);
    expect(digests).toHaveLength(1);
  });

  it("counts the digest run in /metrics, with no user or chat id in any label", async () => {
    const after = await scrape(metricsBase);
    for (const [name, labels] of [
      ["bot_digests_owed_total", {}],
      ["bot_digests_total", { outcome: "sent" }],
      ["bot_telegram_api_calls_total", { method: "sendRichMessage", result: "ok" }],
      ["bot_updates_total", { type: "message", outcome: "ok" }],
    ] as const) {
      expect({ name, moved: sample(after, name, labels) > sample(before, name, labels) }).toEqual({ name, moved: true });
    }
    // The store's figures are read at most every few seconds, however often Prometheus scrapes.
    let latest = after;
    for (
      let attempt = 0;
      attempt < 40 && sample(latest, "bot_subscriptions", { status: "active", frequency: "daily", language: "kk" }) === 0;
      attempt++
    ) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
      latest = await scrape(metricsBase);
    }
    expect(sample(latest, "bot_subscriptions", { status: "active", frequency: "daily", language: "kk" })).toBe(1);
    expect(sample(latest, "bot_digests_waiting")).toBe(0);
    expect(after).not.toMatch(/(chat|user)(_id)?="/);
  });

  it("switches a person to Kazakh in Latin, who then reads a card, an inline result and a digest in it", async () => {
    const user = privateUser({ language_code: "kk" });
    const fromUser = (method: string) => (call: { method: string; payload: Record<string, any> }) =>
      call.method === method && call.payload.chat_id === user.id;
    fake.pushUpdate(messageUpdate(user, "/language"));
    const picker = await fake.waitFor(fromUser("sendMessage"), 15_000);
    expect(picker.payload.reply_markup.inline_keyboard[0].map((button: { text: string }) => button.text)).toContain("Qazaqşa (latyn)");
    const pickerId = fake.messages(user.id).at(-1)!.message_id;
    fake.pushUpdate(callbackUpdate(user, "v1:l:kkl", { chat_id: user.id, message_id: pickerId }));
    const home = await fake.waitFor(fromUser("editMessageText"), 15_000);
    expect(home.payload.text).toContain("Toqaev");

    const sector = content.latest.sectors[0]!;
    fake.pushUpdate(callbackUpdate(user, `v1:s:${content.latest.id}:sc:${sector.id}`, { chat_id: user.id, message_id: pickerId }));
    const card = await fake.waitFor(
      (call) => fromUser("editMessageText")(call) && call.payload.text.includes(toLatin(sector.title.kk)),
      15_000,
    );
    expect(/[\u0400-\u04FF]/.test(card.payload.text.replace(/<[^>]*>/g, ""))).toBe(false);

    fake.pushUpdate(inlineQueryUpdate(user, "kelisim"));
    const answer = await fake.waitFor(
      (call) => call.method === "answerInlineQuery" && call.payload.results[0]?.id.endsWith(".kkl"),
      15_000,
    );
    expect(cardText(answer.payload.results[0])).toContain("Kelısım");

    fake.pushUpdate(messageUpdate(user, "/subscribe daily 00:00"));
    const digest = await fake.waitFor((call) => fromUser("sendRichMessage")(call) && sentText(call).includes("🗞 Daidjest"), 15_000);
    expect(sentText(digest)).toContain("Qytai");
  });

  it("sets up a channel from a private chat through the picker, and the channel receives its digest with link buttons", async () => {
    const user = privateUser({ language_code: "ru" });
    const channelId = -1004242424242;
    const botId = BOT_INFO.id;
    channelMembers(
      fake,
      new Map([
        [
          channelId,
          new Map<number, ChannelMember>([
            [user.id, "creator"],
            [botId, "poster"],
          ]),
        ],
      ]),
    );
    const toUser = (call: { method: string; payload: Record<string, any> }) =>
      call.method === "sendMessage" && call.payload.chat_id === user.id;
    fake.pushUpdate(messageUpdate(user, "/settings"));
    await fake.waitFor(toUser, 15_000);
    const settingsId = fake.messages(user.id).at(-1)!.message_id;
    fake.pushUpdate(callbackUpdate(user, "v1:g:k", { chat_id: user.id, message_id: settingsId }));
    const picker = await fake.waitFor((call) => toUser(call) && call.payload.reply_markup?.keyboard !== undefined, 15_000);
    const request = picker.payload.reply_markup.keyboard[0][0].request_chat;
    expect(request).toMatchObject({ chat_is_channel: true, bot_is_member: true, bot_administrator_rights: { can_post_messages: true } });

    fake.pushUpdate(chatSharedUpdate(user, { request_id: request.request_id, chat_id: channelId, title: "Визиты" }));
    const connected = await fake.waitFor((call) => toUser(call) && String(call.payload.text).includes("подключён"), 15_000);
    expect(connected.payload.reply_markup).toEqual({ remove_keyboard: true });
    // 00:00 local time has always passed today, so the channel's digest is owed at once.
    await fake.waitFor(
      (call) => toUser(call) && String(call.payload.text).includes("Визиты") && call.payload.reply_markup?.inline_keyboard,
      15_000,
    );
    const screenId = fake.messages(user.id).at(-1)!.message_id;
    fake.pushUpdate(callbackUpdate(user, `v1:h:${channelId}:t:type`, { chat_id: user.id, message_id: screenId }));
    await fake.waitFor((call) => toUser(call) && String(call.payload.text).includes("ЧЧ:ММ"), 15_000);
    fake.pushUpdate(messageUpdate(user, "00:00"));

    const digest = await fake.waitFor(
      (call) => call.method === "sendRichMessage" && call.payload.chat_id === channelId && sentText(call).includes("🗞"),
      20_000,
    );
    const buttons = (digest.payload.reply_markup.inline_keyboard as { url?: string; callback_data?: string }[][]).flat();
    expect(buttons.length).toBeGreaterThan(0);
    expect(
      buttons.every((button) => button.callback_data === undefined && button.url?.startsWith("https://t.me/visit_briefing_bot?start=")),
    ).toBe(true);
  });

  it("stops cleanly on SIGTERM and never logs the token", async () => {
    // SIGTERM goes to the bot's own node process (what a process manager stops); npm then exits with its code.
    const botPid = findDescendant(bot.child.pid!, "dist/src/main.js");
    expect(botPid).toBeDefined();
    process.kill(botPid!, "SIGTERM");
    const code = await Promise.race([bot.exit, new Promise((resolveTimeout) => setTimeout(() => resolveTimeout("timeout"), 15_000))]);
    expect(code).toBe(0);
    expect(bot.output()).toContain("stopped");
    expect(bot.output()).not.toContain(TEST_TOKEN.split(":")[1]);
  });

  it("refuses to start without BOT_TOKEN, naming the variable", async () => {
    const env = { ...process.env };
    delete env.BOT_TOKEN;
    const result = spawnSync(process.execPath, [join(ROOT, "dist/src/main.js")], { cwd: folder, env, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("BOT_TOKEN is required");
    expect(result.stderr).toContain("See .env.example for every setting.");
  });

  it("exits 1 with an error naming REDIS_URL when Redis is unreachable at start", async () => {
    const port = await freePort();
    const env = { ...process.env, BOT_TOKEN: TEST_TOKEN, REDIS_URL: `redis://127.0.0.1:${port}/0`, TELEGRAM_API_ROOT: fake.apiRoot };
    const result = spawnSync(process.execPath, [join(ROOT, "dist/src/main.js")], { cwd: folder, env, encoding: "utf8", timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Cannot reach Redis at REDIS_URL (redis://127.0.0.1:${port}/0)`);
  });

  it("exits 1 naming the file and DATABASE_PATH when the database cannot be opened, and leaves the file as it was", () => {
    const notes = join(folder, "notes.db");
    writeFileSync(notes, "not a database\n");
    const aFolder = mkdtempSync(join(folder, "folder-"));
    const cases: [string, string][] = [
      [notes, "the file is not a SQLite database"],
      [aFolder, "it cannot be opened"],
      [join(notes, "bot.db"), "a file is in the way of its folder"],
    ];
    for (const [path, reason] of cases) {
      const env = { ...process.env, BOT_TOKEN: TEST_TOKEN, REDIS_URL: "", DATABASE_PATH: path };
      const result = spawnSync(process.execPath, [join(ROOT, "dist/src/main.js")], { cwd: folder, env, encoding: "utf8" });
      expect(result.status, path).toBe(1);
      expect(result.stderr).toContain(`Cannot open the SQLite database at DATABASE_PATH (${path}): ${reason}`);
    }
    expect(readFileSync(notes, "utf8")).toBe("not a database\n");
    expect(existsSync(`${notes}-wal`)).toBe(false);
  });

  it("exits 1 on a fatal start-up error and logs it with its stack", async () => {
    // The metrics port is taken: listening fails after the bot has started, an error no check foresees.
    const taken = createServer();
    await new Promise<void>((resolveListening) => taken.listen(0, "127.0.0.1", resolveListening));
    const env = {
      REDIS_URL: "",
      DATABASE_PATH: join(folder, "fatal.db"),
      TELEGRAM_API_ROOT: fake.apiRoot,
      METRICS_PORT: String((taken.address() as AddressInfo).port),
    };
    const bot = startBotProcess(process.execPath, [...botNodeFlags(), join(ROOT, "dist/src/main.js")], env);
    try {
      expect(await bot.exit).toBe(1);
    } finally {
      taken.close();
    }
    const fatal = bot
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; err?: { stack?: string } })
      .find((entry) => entry.level === 60);
    expect(fatal?.err?.stack).toMatch(/\n\s+at /);
  });
});

/** The fictional visit (id fx99, January 2026): newer than the bundled one, and it says in kk and ru that it is a test fixture. */
const FICTIONAL_VISIT = readFileSync(join(ROOT, "test/fixtures/visits/fictional-fx99.yaml"), "utf8");

/** Resolves once the process has printed `text` (its log reaches the pipe a moment after what it logs about). */
async function outputContains(bot: BotProcess, text: string, timeoutMs = 5000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((resolveWait) => setTimeout(resolveWait, 50))) {
    if (bot.output().includes(text)) return true;
  }
  return bot.output().includes(text);
}

/** npm start with CONTENT_DIR: the bot follows a content folder of its own while it runs. */
describe("npm start with live content (end to end)", () => {
  const operator = privateUser({ language_code: "ru", first_name: "Оператор" });
  let fake: FakeTelegram;
  let bot: BotProcess;
  let folder: string;
  let content: string;

  /** The first message (HTML or rich) to `chatId` after `since` (an index into the recorded calls) that satisfies `matches`. */
  const nextMessage = (chatId: number, since: number, matches: (text: string) => boolean, timeoutMs: number) =>
    fake
      .waitFor(
        (call) =>
          /^send(Rich)?Message$/.test(call.method) &&
          call.payload.chat_id === chatId &&
          fake.calls.indexOf(call) >= since &&
          matches(sentText(call)),
        timeoutMs,
      )
      .catch((error: Error) => {
        throw new Error(`${error.message}\nprocess output:\n${bot.output().slice(-3000)}`);
      });

  beforeAll(async () => {
    fake = await startFakeTelegram({ botUsername: "visit_briefing_bot" });
    folder = mkdtempSync(join(tmpdir(), "briefing-e2e-live-"));
    content = copyBundledContent(join(folder, "content"));
    bot = startOneMachineBot(fake, folder, {
      CONTENT_DIR: content,
      ADMIN_IDS: String(operator.id),
      // Every second: a change is owed to instant subscribers at the first tick after the watcher reloads (300 ms).
      DIGEST_TICK: "* * * * * *",
    });
    await readyAfter(bot, fake, "getUpdates");
  }, 120_000);

  afterAll(() => stopOneMachineBot(bot, fake, folder));

  it("sends an instant subscriber a digest of a visit added to the folder, without a restart", async () => {
    const user = privateUser({ language_code: "kk" });
    fake.pushUpdate(messageUpdate(user, "/subscribe instant"));
    const confirmation = await nextMessage(user.id, 0, (text) => text.includes("Жазылым рәсімделді"), 15_000);
    expect(confirmation.payload.text).toContain("жаңа жарияланым");
    const first = await nextMessage(user.id, 0, (text) => text.includes("🗞 Дайджест"), 15_000);
    expect(sentText(first)).toContain("🗞 Дайджест · Қытайға сапар, 2025");

    const since = fake.calls.length;
    const added = Date.now();
    placeFile(join(content, "visits", "fictional-fx99.yaml"), FICTIONAL_VISIT, folder);
    // The watcher settles in 300 ms and the tick runs every second: well within ten seconds.
    const digest = await nextMessage(user.id, since, (text) => text.includes("🗞 Дайджест"), 10_000);
    const seconds = (Date.now() - added) / 1000;
    expect(sentText(digest)).toContain("🗞 Дайджест · Ойдан шығарылған сапар");
    expect(sentText(digest)).toContain("ботты тексеруге арналған үлгі ғана");
    expect(sentText(digest)).not.toContain("Қытайға сапар");
    expect(seconds).toBeLessThan(10);
    expect(await outputContains(bot, "content reloaded")).toBe(true);
  }, 60_000);

  it("refuses an invalid file dropped into the folder: operators are told, readers keep the last good content", async () => {
    const since = fake.calls.length;
    const broken = FICTIONAL_VISIT.replace(/^id: fx99$/m, "id: Not-An-Id");
    expect(broken).not.toBe(FICTIONAL_VISIT);
    placeFile(join(content, "visits", "broken-visit.yaml"), broken, folder);

    const told = await nextMessage(operator.id, since, (text) => text.includes("broken-visit.yaml"), 10_000);
    // The operator is a stranger to the store, so the message comes in the fallback language; it names file, line and field.
    expect(told.payload.text).toMatch(/visits\/broken-visit\.yaml:\d+:\d+ id: /);
    expect(await outputContains(bot, "content change refused")).toBe(true);

    const reader = privateUser({ language_code: "ru", first_name: "Читатель" });
    fake.pushUpdate(messageUpdate(reader, "/briefing"));
    const menu = await nextMessage(reader.id, since, () => true, 15_000);
    // The last good content: the fictional visit added before is still the newest briefing.
    expect(menu.payload.text).toContain("Вымышленный визит");
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);

  it("exits 1 at start-up when CONTENT_DIR holds broken YAML, naming the file and CONTENT_DIR", async () => {
    const invalid = copyBundledContent(join(folder, "invalid-content"));
    placeFile(join(invalid, "visits", "broken.yaml"), "id: cn26\nstatus: [published\n", folder);
    const env = { ...process.env, BOT_TOKEN: TEST_TOKEN, REDIS_URL: "", DATABASE_PATH: join(folder, "other.db"), CONTENT_DIR: invalid };
    const result = spawnSync(process.execPath, [join(ROOT, "dist/src/main.js")], { cwd: folder, env, encoding: "utf8", timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`The content in ${invalid} (CONTENT_DIR) is invalid`);
    // The file, and (once the loader reports a YAML syntax error's position) its line and column.
    expect(result.stderr).toMatch(/visits\/broken\.yaml(:\d+:\d+)?: /);
  });
});

describe("npm start in webhook mode (end to end)", () => {
  const secret = "e2e_webhook-secret";
  let fake: FakeTelegram;
  let bot: BotProcess;
  let folder: string;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeTelegram({ botUsername: "visit_briefing_bot" });
    folder = mkdtempSync(join(tmpdir(), "briefing-e2e-webhook-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = startOneMachineBot(fake, folder, {
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/hook/telegram",
      WEBHOOK_SECRET: secret,
      PORT: String(port),
    });
    await readyAfter(bot, fake, "setWebhook");
  }, 120_000);

  afterAll(() => stopOneMachineBot(bot, fake, folder));

  it("registers the webhook with its secret and the update types it handles, and never polls", async () => {
    const setWebhook = fake.lastCall("setWebhook")!.payload;
    expect(setWebhook.url).toBe("https://bot.example.org/hook/telegram");
    expect(setWebhook.secret_token).toBe(secret);
    expect(setWebhook.allowed_updates).toEqual([
      "message",
      "callback_query",
      "inline_query",
      "guest_message",
      "my_chat_member",
      "channel_post",
    ]);
    expect(fake.callsTo("getUpdates")).toHaveLength(0);
  });

  it("answers an update posted with the secret and refuses one without", async () => {
    const user = privateUser({ language_code: "ru", first_name: "Иван" });
    const refused = await fetch(`${base}/hook/telegram`, { method: "POST", body: JSON.stringify(messageUpdate(user, "/start")) });
    expect(refused.status).toBe(401);
    const accepted = await fetch(`${base}/hook/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
      body: JSON.stringify(messageUpdate(user, "/start")),
    });
    expect(accepted.status).toBe(200);
    const replies = fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === user.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.payload.text).toContain("Здравствуйте, Иван!");
  });

  it("reports health and serves /metrics on the webhook server, then stops cleanly on SIGTERM", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, checks: { store: true, scheduler: true, telegram: true } });
    const metrics = await scrape(base);
    expect(sample(metrics, "bot_updates_total", { type: "message", outcome: "ok" })).toBe(1);
    expect(sample(metrics, "bot_telegram_api_calls_total", { method: "setWebhook", result: "ok" })).toBe(1);
    process.kill(findDescendant(bot.child.pid!, "dist/src/main.js")!, "SIGTERM");
    const code = await Promise.race([bot.exit, new Promise((resolveTimeout) => setTimeout(() => resolveTimeout("timeout"), 15_000))]);
    expect(code).toBe(0);
  });
});

const redis = await redisForTests();
if (!redis) console.warn(NO_REDIS_MESSAGE);

describe("two instances sharing one Redis (end to end)", () => {
  const SUBSCRIBERS = 1000;
  const RATE = 30;
  const secret = "two_instances-secret";
  let fake: FakeTelegram;
  let database: string;
  const instances: BotProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    if (!redis) return;
    // A database of its own on the shared server, emptied first.
    const url = new URL(redis.url);
    url.pathname = "/7";
    database = url.toString();
    const admin = new Redis(database);
    await admin.flushdb();
    await admin.quit();
    const seeding = await openRedisStore({ url: database });
    for (let index = 0; index < SUBSCRIBERS; index++) {
      await seeding.saveSubscription({
        chatId: 5_000_000 + index,
        chatKind: "private",
        language: index % 2 ? "kk" : "ru",
        // 00:00 local has always passed today: every subscriber is owed today's digest at once.
        schedule: { frequency: "daily", weekday: null, minuteOfDay: 0, timezone: "Asia/Almaty" },
        sectors: null,
        createdBy: null,
      });
    }
    await seeding.close();

    fake = await startFakeTelegram({ botUsername: "visit_briefing_bot" });
    fake.limitRate({ perSecond: RATE, perGroupPerMinute: 20, retryAfter: 1 });
    ports.push(await freePort(), await freePort());
    for (const port of ports) {
      // The built bot, as npm start runs it (two npm starts would build dist/ at the same time).
      instances.push(
        startBotProcess(process.execPath, [...botNodeFlags(), join(ROOT, "dist/src/main.js")], {
          TELEGRAM_API_ROOT: fake.apiRoot,
          REDIS_URL: database,
          BOT_MODE: "webhook",
          WEBHOOK_URL: "https://bot.example.org/hook/telegram",
          WEBHOOK_SECRET: secret,
          PORT: String(port),
          DIGEST_TICK: "* * * * * *",
        }),
      );
    }
  }, 120_000);

  afterAll(async () => {
    for (const { child } of instances) if (child.exitCode === null) child.kill("SIGKILL");
    await fake?.close();
    await redis?.stop();
  });

  it.skipIf(!redis)(
    "each instance refuses webhook requests without the secret and reports its health",
    async () => {
      for (const port of ports) {
        let health: Response | undefined;
        for (let attempt = 0; attempt < 100 && !health?.ok; attempt++) {
          health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          if (!health?.ok) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(await health!.json()).toMatchObject({ ok: true, checks: { store: true, scheduler: true, queue: true } });
        const update = messageUpdate(privateUser({ language_code: "ru" }), "/start");
        const refused = await fetch(`http://127.0.0.1:${port}/hook/telegram`, { method: "POST", body: JSON.stringify(update) });
        expect(refused.status).toBe(401);
      }
    },
    60_000,
  );

  it.skipIf(!redis)(
    `delivers exactly one digest to each of ${SUBSCRIBERS} subscribers, together under ${RATE} messages a second`,
    async () => {
      const chats = Array.from({ length: SUBSCRIBERS }, (_, index) => 5_000_000 + index);
      const started = Date.now();
      while (chats.some((chatId) => fake.messages(chatId).length === 0)) {
        if (Date.now() - started > 150_000) {
          const missing = chats.filter((chatId) => fake.messages(chatId).length === 0).length;
          throw new Error(
            `${missing} subscribers still without a digest\n${instances.map((instance) => instance.output().slice(-1500)).join("\n")}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const chatId of chats) expect(fake.messages(chatId)).toHaveLength(1);
      const sent = fake.callsTo("sendRichMessage");
      const seconds = (sent.at(-1)!.at - sent[0]!.at) / 1000;
      // Together no faster than the limit allows, and without hammering Telegram into refusals.
      expect(SUBSCRIBERS / seconds).toBeLessThanOrEqual(RATE * 1.05);
      expect(fake.tooManyRequests()).toBeLessThan(SUBSCRIBERS * 0.05);
    },
    200_000,
  );
});
