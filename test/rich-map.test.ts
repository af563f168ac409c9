import { afterEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { briefingSchema, type Briefing } from "../src/content/types.js";
import { createTranslators } from "../src/i18n.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { renderFullBriefing } from "../src/render/rich-briefing.js";
import { checkRichHtml } from "../src/render/rich-limits.js";
import { toLatin } from "../src/shared/latin.js";
import { startHarness, type Harness } from "./support/harness.js";
import { pressIn } from "./support/keyboard.js";
import { messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const translators = createTranslators();

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("a timeline day's place as a map in the whole briefing", () => {
  it.each(["kk", "kkl", "ru"] as const)("%s: the bundled visit shows Beijing, captioned as the article names it", async (reading) => {
    harness = await startHarness();
    const user = privateUser({ language_code: reading === "ru" ? "ru" : "kk" });
    if (reading === "kkl") {
      await harness.send(messageUpdate(user, "/language"));
      await pressIn(harness, user, user.id, encodeCallback({ kind: "language", language: "kk", script: "latn" }));
    }
    await harness.send(messageUpdate(user, "/briefing full"));
    const html = harness.fake.lastCall("sendRichMessage")!.payload.rich_message.html as string;
    const caption = { kk: "Бейжің", kkl: toLatin("Бейжің"), ru: "Пекин" }[reading];
    expect(html).toContain(`<figure><tg-map lat="39.9042" long="116.4074" zoom="13"/><figcaption>${caption}</figcaption></figure>`);
    expect(html.match(/<tg-map /g)).toHaveLength(1);
    expect(checkRichHtml(html)).toEqual([]);
  });

  it("a day without a location has no map; a fictional day's location is shown after the timeline", () => {
    // Test fixture, fictional: a made-up place on the first day, not from any source.
    const fictional: Briefing = {
      ...briefing,
      timeline: briefing.timeline.map((day, index) =>
        index === 0
          ? { ...day, location: { lat: 1.5, long: -2.25, zoom: 15, caption: { kk: "Ойдан шығарылған орын", ru: "Вымышленное место" } } }
          : { ...day, location: undefined },
      ),
    };
    const ru = renderFullBriefing(fictional, { locale: "ru", t: translators.ru }).text;
    expect(ru).toContain('<figure><tg-map lat="1.5" long="-2.25" zoom="15"/><figcaption>Вымышленное место</figcaption></figure>');
    expect(ru.match(/<tg-map /g)).toHaveLength(1);
    expect(ru.indexOf("<tg-map")).toBeGreaterThan(ru.indexOf("</ul>"));
    const none: Briefing = { ...briefing, timeline: briefing.timeline.map((day) => ({ ...day, location: undefined })) };
    expect(renderFullBriefing(none, { locale: "kk", t: translators.kk }).text).not.toContain("<tg-map");
  });

  it("the schema refuses a location off the globe, a zoom Telegram does not take, or a caption in one language", () => {
    const day = briefing.timeline[0]!;
    const withLocation = (location: unknown) => ({ ...briefing, timeline: [{ ...day, location }, ...briefing.timeline.slice(1)] });
    const good = { lat: 39.9042, long: 116.4074, zoom: 13, caption: { kk: "Бейжің", ru: "Пекин" } };
    expect(briefingSchema.safeParse(withLocation(good)).success).toBe(true);
    for (const bad of [
      { ...good, lat: 91 },
      { ...good, long: -181 },
      { ...good, zoom: 25 },
      { ...good, zoom: 13.5 },
      { ...good, caption: { kk: "Бейжің" } },
    ]) {
      expect(briefingSchema.safeParse(withLocation(bad)).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
