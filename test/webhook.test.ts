import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { startWebhookServer, type WebhookServer } from "../src/webhook.js";
import { startHarness, type Harness } from "./support/harness.js";
import { messageUpdate, privateUser } from "./support/updates.js";

const SECRET = "test_secret-123";
let harness: Harness;
let webhook: WebhookServer;
let base: string;
let healthy = true;

beforeEach(async () => {
  harness = await startHarness();
  healthy = true;
  webhook = await startWebhookServer({
    bot: harness.bot,
    path: "/telegram",
    secret: SECRET,
    port: 0,
    host: "127.0.0.1",
    logger: createLogger("silent"),
    health: async () => ({ ok: healthy, checks: { store: healthy } }),
  });
  base = `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await webhook.close();
  await harness.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const withSecret = { "X-Telegram-Bot-Api-Secret-Token": SECRET };

describe("webhook mode", () => {
  it("refuses requests without the right secret header, and does not process them", async () => {
    const user = privateUser({ language_code: "ru" });
    expect((await post(messageUpdate(user, "/start"))).status).toBe(401);
    expect((await post(messageUpdate(user, "/start"), { "X-Telegram-Bot-Api-Secret-Token": "guess" })).status).toBe(401);
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(0);
  });

  it("processes an update posted with the secret", async () => {
    const user = privateUser({ language_code: "kk" });
    const response = await post(messageUpdate(user, "/start"), withSecret);
    expect(response.status).toBe(200);
    expect(harness.fake.lastCall("sendMessage")!.payload.text).toContain("Сәлеметсіз бе");
  });

  it("acts once on an update Telegram sends twice", async () => {
    const user = privateUser({ language_code: "ru" });
    const update = messageUpdate(user, "/help");
    expect((await post(update, withSecret)).status).toBe(200);
    expect((await post(update, withSecret)).status).toBe(200);
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("answers a body that is not an update with 400, unknown paths with 404", async () => {
    const malformed = await fetch(`${base}/telegram`, { method: "POST", headers: withSecret, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${base}/elsewhere`, { method: "POST", headers: withSecret, body: "{}" })).status).toBe(404);
  });

  it("reports health on GET /healthz", async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, checks: { store: true } });
    healthy = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });
});
