import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { libraryOf } from "../src/content/library.js";
import { tick } from "../src/digest/tick.js";
import { createTranslators } from "../src/i18n.js";
import { createDigestRenderer, renderDigest, renderRichDigest } from "../src/render/digest.js";
import { checkRenderedLimits } from "../src/render/limits.js";
import { checkRichHtml } from "../src/render/rich-limits.js";
import { CYRILLIC } from "../src/shared/latin.js";
import type { Script } from "../src/shared/locale.js";
import { sentText } from "./support/digests.js";
import { startHarness, type Harness } from "./support/harness.js";

const content = bundledContent();
const translators = createTranslators();
const briefing = content.latest;
const request = (locale: "kk" | "ru", contentMark: string | null, sectors: string[] | null = null) => ({
  locale,
  t: translators[locale],
  sectors,
  contentMark,
});
/** The China briefing with some of its parts updated on 6 Sep (a fictional revision, for these tests only). */
function revised(change: (copy: typeof briefing) => void) {
  const copy = structuredClone(briefing);
  change(copy);
  return libraryOf([copy]);
}

describe("a rich digest", () => {
  it("first digest: a heading, the overview and the chosen sectors as a list, long ones folded, the figures table, the source", () => {
    const html = renderRichDigest(content, request("ru", null, ["energy"]))!.text;
    expect(html).toMatch(/^<h2>🗞 Дайджест · [^<]+<\/h2><p>[^<]+<\/p><h3>Коротко о визите<\/h3><ul>/);
    expect(html).toContain("<li><details><summary><b>Обзор</b></summary>");
    expect(html).toContain("<b>Энергетика и производство</b>");
    expect(html).not.toContain("Агросектор");
    expect(html).toContain("<th>Цифра</th>");
    expect(html).toContain("более $27 млрд");
    expect(html).toMatch(/<footer>Источник: BAQ\.KZ, 5 сентября 2025 г\.[^<]*<\/footer>$/);
    expect(checkRichHtml(html)).toEqual([]);
  });

  it("later: only what changed, no figures table unless the figures changed", () => {
    const sector = revised((copy) => (copy.sectors.find((entry) => entry.id === "energy")!.updatedAt = "2025-09-06"));
    const onlySector = renderRichDigest(sector, request("ru", "2025-09-05"))!.text;
    expect(onlySector).toContain("<h3>Новое с прошлого дайджеста</h3>");
    expect(onlySector).toContain("Энергетика и производство");
    expect(onlySector).not.toContain("Обзор");
    expect(onlySector).not.toContain("<table");

    const figures = revised((copy) => (copy.figures[0]!.updatedAt = "2025-09-06"));
    const withFigures = renderRichDigest(figures, request("kk", "2025-09-05"))!.text;
    expect(withFigures).toContain("<table");
    // The figures are the table, not an item of the list: nothing else changed, so there is no list.
    expect(withFigures).not.toContain("<ul>");
    expect(renderRichDigest(content, request("ru", "2100-01-01"))).toBeUndefined();
  });

  it("has the HTML digest's buttons, and the HTML digest stays its fallback", () => {
    for (const contentMark of [null, "2025-09-05"]) {
      const rich = renderRichDigest(content, request("kk", contentMark));
      const html = renderDigest(content, request("kk", contentMark));
      expect(rich?.keyboard.inline_keyboard).toEqual(html?.keyboard.inline_keyboard);
    }
    const digests = createDigestRenderer(content, translators);
    expect(digests.renderRich("ru", null, null)).toBe(digests.renderRich("ru", null, null));
    expect(digests.renderRich("ru", null, null)!.text).not.toBe(digests.render("ru", null, null)!.text);
  });

  it.each(["latn", "arab"] as const)("in Kazakh %s: text in the script, tags untouched, within the limits", (script: Script) => {
    const digests = createDigestRenderer(content, translators);
    const cyrillic = digests.renderRich("kk", null, null)!.text;
    const written = digests.renderRich("kk", null, null, script)!.text;
    expect(written.match(/<[^>]*>/g)).toEqual(cyrillic.match(/<[^>]*>/g));
    expect(written.replace(/<[^>]*>/g, "").match(new RegExp(CYRILLIC.source, "g"))).toBeNull();
    expect(checkRichHtml(written)).toEqual([]);
  });

  it("content:check fails a visit whose first digest passes the rich limits, naming the visit and the limit", () => {
    // A fictional overview far longer than any real one (test only): the first digest passes 32,768 characters.
    const huge = structuredClone(briefing);
    huge.overview.text.ru = "Очень длинный обзор. ".repeat(2000);
    const problems = checkRenderedLimits(huge, translators, false);
    expect(problems.some((problem) => /first digest \(ru, rich\): .*characters, over 32768/.test(problem))).toBe(true);
    expect(checkRenderedLimits(briefing, translators, false)).toEqual([]);
  });
});

describe("a rich digest delivered", () => {
  let harness: Harness;
  afterEach(async () => harness.close());
  const DUE = new Date("2025-09-05T05:00:00Z");

  it("in the Arabic script it is marked right to left; in Cyrillic it is not", async () => {
    harness = await startHarness({ now: () => DUE });
    const daily = { frequency: "daily" as const, weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" };
    for (const [chatId, script] of [
      [41, "arab"],
      [42, "cyrl"],
    ] as const) {
      await harness.store.saveSubscription({
        chatId,
        chatKind: "private",
        language: "kk",
        script,
        schedule: daily,
        sectors: null,
        createdBy: null,
      });
    }
    await tick({ store: harness.store, now: DUE, contentMark: () => harness.deps.edition().digests.contentMark });
    expect(await harness.digestSender().drain()).toMatchObject({ sent: 2 });
    const sent = (chatId: number) => harness.fake.callsTo("sendRichMessage").find((call) => call.payload.chat_id === chatId)!;
    expect(sent(41).payload.rich_message.is_rtl).toBe(true);
    expect(sent(42).payload.rich_message.is_rtl).toBe(false);
    expect(sentText(sent(41))).toMatch(/[\u0600-\u06FF]/);
  });

  it("a server without rich messages: the bot's own capabilities learn it, and the next digest goes straight to HTML", async () => {
    harness = await startHarness({ now: () => DUE });
    harness.fake.withoutRichMessages();
    const daily = { frequency: "daily" as const, weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" };
    for (const chatId of [51, 52, 53]) {
      await harness.store.saveSubscription({
        chatId,
        chatKind: "private",
        language: "ru",
        schedule: daily,
        sectors: null,
        createdBy: null,
      });
    }
    await tick({ store: harness.store, now: DUE, contentMark: () => harness.deps.edition().digests.contentMark });
    expect(await harness.digestSender({ concurrency: 1 }).drain()).toMatchObject({ sent: 3, failed: 0 });
    // One refused rich send; the rest went straight to the HTML digest, and the bot's screens know it too.
    expect(harness.fake.callsTo("sendRichMessage")).toHaveLength(1);
    expect(harness.fake.callsTo("sendMessage").filter((call) => String(call.payload.text).includes("🗞 Дайджест"))).toHaveLength(3);
    expect(harness.deps.capabilities.available("rich_messages")).toBe(false);
  });
});
