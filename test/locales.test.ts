/**
 * The interface strings in locales/*.ftl against the keys the code asks for.
 *
 * Which keys does the code ask for? Many are built at runtime (`command-<name>` for every command of the menu,
 * `zone-<preset>`, the section labels of SECTION_LABEL, a prompt key chosen by a dialogue), so a regex over the
 * source cannot find them. Instead the keys are recorded while the code runs, through a `Translate` that writes down
 * every key, locale and set of variables before answering with the real Fluent text (support/interface-strings.ts):
 *  (a) every renderer of src/render is called over all content, both languages and both chat kinds: every section
 *      and list item, shareable cards, first / "what's new" / nothing-new digests, /settings with no, an active, a
 *      paused and a stopped subscription, every field screen, the language picker, the resume offer, /help's list;
 *  (b) the real bot (createBot on SQLite, talking to the fake Bot API) is driven through a scripted tour: /start in
 *      kk, ru and an unknown language, deep links, every command of the real menu, search hits and misses, an
 *      unknown command, a sticker, stale and forged buttons, the /subscribe dialogue with its mistakes and ways out,
 *      every /settings field with typed values, group administrators and members, a chat that blocked the bot,
 *      inline queries, /stats for an operator, the digest sender's renders and the command menus main.ts registers.
 *      Its translators are recorded by replacing the entries of `deps.translators` in place: ctx.t reads
 *      `translators[ctx.locale]` at each call (prepareUpdate), and dialogues, inline mode, the language picker and
 *      the digest renderer read `deps.translators[locale]` at call time, so all of them go through the recorder.
 *      (Only createCardSearch translates before the recorder is in place, once at startup; what it asks for —
 *      section titles and dates — the renderers ask for too.)
 * Then: every key asked for exists in kk and ru with the variables the code passes, and every key the files define
 * was asked for at least once. No key is excepted: each one is reachable by some path of the tour.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n, createTranslators, findLocalesDirectory } from "../src/i18n.js";
import { LOCALES } from "../src/shared/locale.js";
import type { Subscription } from "../src/store/types.js";
import { startHarness, type Harness } from "./support/harness.js";
import {
  recordTranslators,
  renderEverything,
  scriptedContent,
  STORE_AWAY_IN_TOUR,
  tourLibrary,
  tourTheBot,
  type Asked,
} from "./support/interface-strings.js";

type Messages = Map<string, Set<string>>;

/** Message ids with the variables each one uses, read straight from the .ftl source. */
function readMessages(locale: string): Messages {
  const source = readFileSync(join(findLocalesDirectory(), `${locale}.ftl`), "utf8");
  const messages: Messages = new Map();
  let current: Set<string> | undefined;
  for (const line of source.split("\n")) {
    const start = /^([a-z][a-z0-9-]*)\s*=(.*)$/.exec(line);
    if (start) {
      current = new Set();
      messages.set(start[1]!, current);
    } else if (/^[#a-z]/.test(line)) {
      current = undefined;
    }
    for (const match of line.matchAll(/\{\s*\$([A-Za-z_]+)/g)) current?.add(match[1]!);
  }
  return messages;
}

describe("locales", () => {
  const [first, ...others] = LOCALES.map((locale) => ({ locale, messages: readMessages(locale) }));

  it("have the same keys in kk and ru", async () => {
    expect(first!.messages.size).toBeGreaterThan(30);
    for (const other of others) expect([...other.messages.keys()].sort()).toEqual([...first!.messages.keys()].sort());
  });

  it("use the same variables in every message in kk and ru", async () => {
    for (const other of others) {
      for (const [key, variables] of first!.messages) {
        expect({ key, variables: [...(other.messages.get(key) ?? [])].sort() }).toEqual({ key, variables: [...variables].sort() });
      }
    }
  });

  it("load into the i18n plugin and format without isolation marks", async () => {
    const i18n = createI18n();
    expect(i18n.t("kk", "date", { year: "2025", month: 9, day: "5" })).toBe("2025 жылғы 5 қыркүйек");
    expect(i18n.t("ru", "date", { year: "2025", month: 8, day: "31" })).toBe("31 августа 2025 г.");
    expect(i18n.t("ru", "welcome", { name: "Айгерим" })).not.toMatch(/[\u2068\u2069]/);
  });

  it("write Russian without Kazakh letters, except the deliberately bilingual language button", async () => {
    const i18n = createI18n();
    const sample: Record<string, string | number> = { month: 9, day: 1, number: 1, count: 1, original: "kk", status: "active" };
    const withKazakhLetters = [...readMessages("ru")]
      .filter(([key, used]) => {
        const variables = Object.fromEntries([...used].map((name) => [name, sample[name] ?? "x"]));
        return /[әғқңөұүһі]/i.test(i18n.t("ru", key, variables));
      })
      .map(([key]) => key);
    expect(withKazakhLetters).toEqual(["button-language"]);
  });
});

/**
 * Variables the code passes that a message does not use. Harmless to Fluent, but listed so that a renamed variable
 * cannot hide: /stats spreads the delivery counts by status, and the message shows only the finished ones (pending
 * and sending are shown together as `queued`).
 */
const EXTRA_VARIABLES: Record<string, string[]> = { "stats-today": ["pending", "sending"] };

describe("interface strings the code asks for", () => {
  const ADMIN_ID = 777001;
  const byRenderers: Asked[] = [];
  const byBot: Asked[] = [];
  const failedUpdates: string[] = [];
  let harness: Harness;

  beforeAll(async () => {
    const { library, publishedMark } = tourLibrary();
    harness = await startHarness({ library: scriptedContent(library), bot: { adminIds: [ADMIN_ID] } });
    recordTranslators(harness.deps.translators, byBot);
    // The bot logs a failed update (silently here) and goes on; the tour must not hide one.
    const handleError = harness.bot.errorHandler;
    harness.bot.catch(async (error) => {
      // The tour's store goes away on purpose for two updates, whose readers are told to try again.
      if (String(error.error).includes(STORE_AWAY_IN_TOUR)) return handleError(error);
      failedUpdates.push(`${JSON.stringify(error.ctx.update).slice(0, 200)}: ${String(error.error)}`);
      await handleError(error);
    });
    await tourTheBot(harness, { adminId: ADMIN_ID, publishedMark });

    // Real subscription rows (active and paused, daily, weekly and instant, some sectors) for the settings renderers.
    const save = (chatId: number, frequency: "daily" | "weekly" | "instant", sectors: string[] | null) =>
      harness.store.saveSubscription({
        chatId,
        chatKind: "private",
        language: "ru",
        schedule: { frequency, weekday: frequency === "weekly" ? 5 : null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
        sectors,
        createdBy: chatId,
      });
    const subscriptions: Subscription[] = [
      await save(901, "daily", null),
      await save(902, "weekly", [library.latest.sectors[0]!.id]),
      await save(903, "instant", null),
    ];
    await harness.store.pauseSubscription(902);
    subscriptions[1] = (await harness.store.getSubscription(902))!;
    const translators = createTranslators();
    recordTranslators(translators, byRenderers);
    renderEverything({ library, translators, publishedMark, subscriptions, menu: harness.deps.commandMenu() });
  }, 60_000);
  afterAll(() => harness?.close());

  const defined = LOCALES.map((locale) => ({ locale, messages: readMessages(locale) }));
  const keysOf = (asked: Asked[]) => new Set(asked.map((entry) => entry.key));

  it("were collected by a tour whose every update was handled", () => {
    expect(failedUpdates).toEqual([]);
    expect(byBot.length).toBeGreaterThan(1000);
  });

  it("exist in kk and ru", () => {
    const asked = [...byBot, ...byRenderers];
    expect(keysOf(asked).size).toBeGreaterThan(100);
    for (const { locale, messages } of defined) {
      const missing = [...keysOf(asked)].filter((key) => !messages.has(key)).sort();
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });

  it("are asked for with exactly the variables each message uses, and format cleanly", () => {
    const problems = new Set<string>();
    for (const { key, locale, variables, text, error } of [...byBot, ...byRenderers]) {
      for (const { locale: fileLocale, messages } of defined) {
        const used = messages.get(key);
        if (!used) continue;
        const missing = [...used].filter((name) => !variables.includes(name));
        const extra = variables.filter((name) => !used.has(name) && !(EXTRA_VARIABLES[key] ?? []).includes(name));
        if (missing.length) problems.add(`${key} (${fileLocale}.ftl): not passed ${missing.join(", ")}`);
        if (extra.length) problems.add(`${key} (${fileLocale}.ftl): passed but unused ${extra.join(", ")}`);
      }
      // The plugin answers a missing message with "{key}", and throws on a variable it is not given.
      if (error !== undefined) problems.add(`${key} (${locale}): ${error}`);
      else if (text === `{${key}}` || text.includes("{$")) problems.add(`${key} (${locale}): formatted as ${JSON.stringify(text)}`);
    }
    expect([...problems].sort()).toEqual([]);
  });

  it("cover every key in the locale files (no unused key)", () => {
    const asked = keysOf([...byBot, ...byRenderers]);
    for (const { locale, messages } of defined) {
      const unused = [...messages.keys()].filter((key) => !asked.has(key)).sort();
      expect({ locale, unused }).toEqual({ locale, unused: [] });
    }
  });

  it("are all reached by the bot itself, not only by calling the renderers", () => {
    const fromBot = keysOf(byBot);
    const onlyRenderers = [...keysOf(byRenderers)].filter((key) => !fromBot.has(key)).sort();
    expect(onlyRenderers).toEqual([]);
  });
});
