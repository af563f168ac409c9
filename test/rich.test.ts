import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { createTranslators } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { createMetrics } from "../src/metrics/index.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { renderFullBriefing } from "../src/render/rich-briefing.js";
import { checkRichHtml, RICH_LIMITS } from "../src/render/rich-limits.js";
import { CYRILLIC, toLatin } from "../src/shared/latin.js";
import { createApiCapabilities, RETRY_AFTER_MS } from "../src/telegram/capabilities.js";
import { COUNTED_METHODS } from "../src/telegram/retry.js";
import { startHarness, TEST_TOKEN, type Harness } from "./support/harness.js";
import { callbackButtons, lastMessageIn, pressIn, readerIn, shownText } from "./support/keyboard.js";
import { messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const section = (key: "home" | "fg" | "ag" | "qt", itemId?: string) =>
  encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: key, ...(itemId ? { itemId } : {}) } });
const FULL = encodeCallback({ kind: "full", briefingId: briefing.id });
/** Text without tags: what a reader sees. */
const visible = (html: string) => html.replace(/<[^>]*>/g, "");
/** Tags and their attributes, in order: what transliteration must leave as it is. */
const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];

let harness: Harness;
afterEach(async () => harness.close());

/** A bot whose rich-message capability runs on a clock the test moves, logging into `logged`. */
async function botWithClock(options: { lacking?: boolean } = {}) {
  const clock = { now: 1_000_000 };
  const logged: Record<string, unknown>[] = [];
  const lines = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger("info", [], lines);
  const metrics = createMetrics({ defaultMetrics: false });
  const capabilities = createApiCapabilities({ logger, now: () => clock.now });
  harness = await startHarness({ logger, bot: { capabilities, metrics } });
  if (options.lacking) harness.fake.withoutRichMessages();
  return { clock, logged, metrics, capabilities };
}

describe("the whole briefing in one rich message", () => {
  it.each(["kk", "kkl", "ru"] as const)(
    "%s: the menu's button opens it in place, with contents, details, table, quotes and source",
    async (reading) => {
      await botWithClock();
      const user = await readerIn(harness, reading);
      await harness.send(messageUpdate(user, "/briefing"));
      const menu = lastMessageIn(harness, user.id);
      const label = callbackButtons(menu.reply_markup).find((button) => button.callback_data === FULL)!.text;
      expect(label).toBe({ kk: "📄 Брифинг толық", kkl: toLatin("📄 Брифинг толық"), ru: "📄 Весь брифинг" }[reading]);

      await pressIn(harness, user, user.id, FULL);
      const edit = harness.fake.lastCall("editMessageText")!.payload;
      expect(edit.message_id).toBe(menu.message_id);
      expect(edit.text).toBeUndefined();
      const html = edit.rich_message.html as string;
      expect(checkRichHtml(html)).toEqual([]);
      expect(harness.fake.richMessages().at(-1)).toEqual({ chat_id: user.id, message_id: menu.message_id, html });
      // One message: title, contents linking to an anchor per section, and each structure in its tag.
      const locale = reading === "ru" ? "ru" : "kk";
      const script = reading === "kkl" ? toLatin : (text: string) => text;
      expect(html).toContain(`<h1>${script(briefing.title[locale])}</h1>`);
      for (const key of ["ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol"]) {
        expect(html).toContain(`<a href="#${briefing.id}-${key}">`);
        expect(html).toContain(`<a name="${briefing.id}-${key}"></a>`);
      }
      expect(html).toContain(`<details><summary>${script(briefing.agreements.items[0]!.title[locale])}</summary>`);
      expect(html).toContain(`<table bordered striped><tr><th>`);
      expect(html.match(/<tr>/g)).toHaveLength(briefing.figures.length + 1);
      expect(html.match(/<aside>/g)).toHaveLength(briefing.quotes.length);
      expect(html).toMatch(new RegExp(`<cite>${script(briefing.quotes[0]!.speaker[locale])}, `));
      expect(html).toMatch(/<footer>[^<]*BAQ\.KZ[^<]*<\/footer>$/);
      const buttons = callbackButtons(lastMessageIn(harness, user.id).reply_markup);
      expect(buttons.map((button) => button.callback_data)).toEqual([section("home"), section("home")]);
      if (reading === "ru") {
        expect(html).toContain(`<aside>${briefing.quotes[0]!.translationRu}<cite>`);
        expect(html).toContain("<i>Перевод с казахского</i></cite>");
        expect(html).toContain(briefing.quotes[0]!.textKk.replace(/&/g, "&amp;"));
        expect(html).toContain("язык оригинала: казахский");
      }
      if (reading === "kkl") {
        // Latin at the edge: no Cyrillic left in the text, every tag, anchor and link as the Cyrillic message has it.
        expect(CYRILLIC.test(visible(html))).toBe(false);
        const cyrillic = renderFullBriefing(briefing, { locale: "kk", t: createTranslators().kk, script: "latn" }).text;
        expect(CYRILLIC.test(visible(cyrillic))).toBe(true);
        expect(tagsOf(html)).toEqual(tagsOf(cyrillic));
      }
    },
  );

  it("/briefing full sends it as a new message", async () => {
    await botWithClock();
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing full"));
    expect(harness.fake.callsTo("sendRichMessage")).toHaveLength(1);
    expect(shownText(lastMessageIn(harness, user.id))).toContain("<h3>Содержание</h3>");
  });
});

describe("rich section screens", () => {
  it("figures, agreements and quotes are edited in place as rich messages, with paging, Back and Home", async () => {
    await botWithClock();
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/briefing"));
    const menuId = lastMessageIn(harness, user.id).message_id;

    await pressIn(harness, user, user.id, section("fg"));
    const figures = lastMessageIn(harness, user.id);
    expect(figures.message_id).toBe(menuId);
    expect(figures.rich_html).toContain(`<td><b>${briefing.figures[0]!.value.kk}</b></td>`);
    expect(callbackButtons(figures.reply_markup).map((button) => button.text)).toEqual(
      expect.arrayContaining(["🔁 Орысша", "⬅ Артқа", "🏠 Мәзір"]),
    );
    await pressIn(harness, user, user.id, section("home"));
    await pressIn(harness, user, user.id, section("ag"));
    expect(lastMessageIn(harness, user.id).rich_html).toContain("<details><summary>");

    await pressIn(harness, user, user.id, section("home"));
    await pressIn(harness, user, user.id, section("qt"));
    await pressIn(harness, user, user.id, section("qt", briefing.quotes[0]!.id));
    const next = callbackButtons(lastMessageIn(harness, user.id).reply_markup).find((button) => button.text.includes("▶"))!;
    await pressIn(harness, user, user.id, next.callback_data);
    const second = lastMessageIn(harness, user.id);
    expect(second.message_id).toBe(menuId);
    expect(second.rich_html).toContain(`<aside>${briefing.quotes[1]!.textKk.replace(/&/g, "&amp;")}<cite>`);
    // Everything after the menu was an edit of the one message.
    expect(harness.fake.callsTo("sendRichMessage")).toHaveLength(0);
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("RICH_MESSAGES=off: plain screens only, and no offer of the whole briefing", async () => {
    harness = await startHarness({ bot: { richMessages: "off" } });
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing"));
    expect(callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.callback_data)).not.toContain(FULL);
    await pressIn(harness, user, user.id, section("fg"));
    await harness.send(messageUpdate(user, "/briefing full"));
    expect(harness.fake.callsTo("sendRichMessage")).toHaveLength(0);
    expect(harness.fake.richMessages()).toHaveLength(0);
    expect(harness.deps.capabilities.snapshot()).toEqual({ rich_messages: false, ephemeral_messages: true });
  });
});

describe("a Bot API server without rich messages", () => {
  it("answers the same update with the HTML screen, then goes straight to HTML until an hour has passed", async () => {
    const { clock, logged, metrics } = await botWithClock({ lacking: true });
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/briefing full"));
    // The refused call, then the answer to the same update: the menu, saying the briefing is read by sections.
    expect(harness.fake.calls.map((call) => call.method)).toEqual(["sendRichMessage", "sendMessage"]);
    const menu = lastMessageIn(harness, user.id);
    expect(menu.text).toContain("Весь брифинг одним сообщением здесь недоступен");
    expect(menu.text).toContain(briefing.title.ru);
    expect(callbackButtons(menu.reply_markup).map((button) => button.callback_data)).not.toContain(FULL);
    expect(harness.deps.capabilities.snapshot()).toEqual({ rich_messages: false, ephemeral_messages: true });
    expect(await metrics.render()).toContain('bot_telegram_feature_available{feature="rich_messages"} 0');

    // The next update goes straight to HTML: no second refused call.
    await pressIn(harness, user, user.id, section("fg"));
    expect(harness.fake.callsTo("sendRichMessage")).toHaveLength(1);
    const edit = harness.fake.lastCall("editMessageText")!.payload;
    expect(edit.rich_message).toBeUndefined();
    expect(edit.text).toContain(briefing.figures[0]!.value.ru);

    // An hour later one request tries again, is refused again, and is answered with HTML all the same.
    clock.now += RETRY_AFTER_MS;
    await pressIn(harness, user, user.id, section("home"));
    await pressIn(harness, user, user.id, section("ag"));
    const tried = harness.fake.lastCall("editMessageText")!;
    expect(harness.fake.callsTo("editMessageText").filter((call) => call.payload.rich_message)).toHaveLength(1);
    expect(tried.payload.text).toContain(briefing.agreements.items[0]!.title.ru);
    expect(lastMessageIn(harness, user.id).text).toContain(briefing.agreements.items[0]!.title.ru);
    // Logged once, however often it is refused.
    expect(logged.filter((line) => String(line.msg).startsWith("the Bot API server lacks this part"))).toHaveLength(1);

    // Upgraded: an hour after that, rich messages are back.
    harness.fake.withoutRichMessages(false);
    clock.now += RETRY_AFTER_MS;
    await pressIn(harness, user, user.id, section("home"));
    expect(callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.callback_data)).toContain(FULL);
    await pressIn(harness, user, user.id, FULL);
    expect(lastMessageIn(harness, user.id).rich_html).toContain("<h3>Содержание</h3>");
    expect(harness.deps.capabilities.snapshot()).toEqual({ rich_messages: true, ephemeral_messages: true });
    expect(await metrics.render()).toContain('bot_telegram_feature_available{feature="rich_messages"} 1');
  });

  it("an edit refused for rich_message is answered by editing the same message with the HTML screen", async () => {
    await botWithClock({ lacking: true });
    const user = privateUser({ language_code: "kk" });
    await harness.send(messageUpdate(user, "/briefing"));
    const menuId = lastMessageIn(harness, user.id).message_id;
    await pressIn(harness, user, user.id, section("fg"));
    const edits = harness.fake.callsTo("editMessageText");
    expect(edits.map((call) => call.payload.rich_message === undefined)).toEqual([false, true]);
    const screen = lastMessageIn(harness, user.id);
    expect(screen.message_id).toBe(menuId);
    expect(screen.text).toContain(briefing.figures[0]!.value.kk);
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(1);
  });

  it("one request at a time tries again after the hour; the others meanwhile go straight to HTML", async () => {
    const clock = { now: 0 };
    const capabilities = createApiCapabilities({ logger: createLogger("silent"), now: () => clock.now });
    const refusal = Object.assign(new Error("404"), { error_code: 404, description: "Not Found: method not found" });
    const { GrammyError } = await import("grammy");
    const lacking = () => Promise.reject(new GrammyError("refused", { ok: false, ...refusal }, "sendRichMessage", {}));
    expect(await capabilities.attempt("rich_messages", lacking, () => Promise.resolve("html"))).toBe("html");
    clock.now = RETRY_AFTER_MS;
    let release!: () => void;
    const probe = capabilities.attempt(
      "rich_messages",
      () => new Promise<string>((resolve) => (release = () => resolve("rich"))),
      () => Promise.resolve("html"),
    );
    const meanwhile = await capabilities.attempt(
      "rich_messages",
      () => Promise.resolve("rich"),
      () => Promise.resolve("html"),
    );
    expect(meanwhile).toBe("html");
    release();
    expect(await probe).toBe("rich");
    expect(capabilities.snapshot()).toEqual({ rich_messages: true, ephemeral_messages: true });
  });
});

describe("the fake Bot API checks rich HTML like Telegram", () => {
  const send = (html: string) =>
    fetch(`${harness.fake.apiRoot}/bot${TEST_TOKEN}/sendRichMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: 42, rich_message: { html } }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { description?: string } }));

  it.each([
    ["an unknown tag", "<p>x</p><script>x</script>", /unsupported tag <script>/],
    ["bad nesting", "<p><b>x</p></b>", /closes/],
    ["an unescaped &", "<p>R&D</p>", /unescaped "&"/],
    ["an unescaped <", "<p>1 < 2</p>", /unescaped "<"/],
    ["too many characters", `<p>${"x".repeat(RICH_LIMITS.characters + 1)}</p>`, /characters, over 32768/],
    ["too many blocks", "<p>x</p>".repeat(RICH_LIMITS.blocks + 1), /blocks, over 500/],
    ["too deep", `${"<details><summary>s</summary>".repeat(17)}${"</details>".repeat(17)}`, /depth, over 16/],
    ["too many columns", `<table><tr>${"<td>x</td>".repeat(21)}</tr></table>`, /columns, over 20/],
  ])("refuses %s with 400", async (_kind, html, description) => {
    harness = await startHarness();
    const answer = await send(html);
    expect(answer.status).toBe(400);
    expect(answer.body.description).toMatch(description);
    expect(harness.fake.richMessages()).toHaveLength(0);
  });

  it("accepts what the documentation shows, and plays an old server on request", async () => {
    harness = await startHarness();
    const html =
      '<a name="a"></a><h2>T</h2><p>1 &lt; 2 &amp; <a href="#a">up</a></p><aside>q<cite>c</cite></aside><tg-map lat="39.9" long="116.4" zoom="10"/><hr/>';
    expect((await send(html)).status).toBe(200);
    expect(harness.fake.richMessages()).toEqual([{ chat_id: 42, message_id: 1, html }]);
    harness.fake.withoutRichMessages();
    expect(await send(html)).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found: method not found" } });
  });

  it("rich messages and rich edits take their slot of the send budget like any message", () => {
    expect(COUNTED_METHODS.test("sendRichMessage")).toBe(true);
    expect(COUNTED_METHODS.test("editMessageText")).toBe(true);
  });
});
