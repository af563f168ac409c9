import type { InlineKeyboardButton } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { COPY_TEXT_LIMIT } from "../src/render/copy.js";
import { toLatin } from "../src/shared/latin.js";
import { startHarness, type Harness } from "./support/harness.js";
import { lastMessageIn } from "./support/keyboard.js";
import { callbackUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const [shortQuote, longQuote] = briefing.quotes;

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => harness.close());

/** Opens a screen by pressing its section button on the reader's menu, and returns its copy buttons. */
async function copyButtonsOf(user: ReturnType<typeof privateUser>, ref: Parameters<typeof encodeCallback>[0] & { kind: "section" }) {
  await harness.send(messageUpdate(user, "/briefing"));
  const menu = lastMessageIn(harness, user.id);
  await harness.send(callbackUpdate(user, encodeCallback(ref), { chat_id: user.id, message_id: menu.message_id }));
  return (lastMessageIn(harness, user.id).reply_markup?.inline_keyboard ?? [])
    .flat()
    .filter((button): button is InlineKeyboardButton.CopyTextButtonButton => "copy_text" in button);
}

const quoteScreen = (itemId: string) => ({ kind: "section" as const, ref: { briefingId: briefing.id, section: "qt" as const, itemId } });
const figuresScreen = { kind: "section" as const, ref: { briefingId: briefing.id, section: "fg" as const } };

describe("copy buttons", () => {
  it("copy a quote verbatim in Kazakh with its speaker, and the Russian marked as a translation", async () => {
    const [kk] = await copyButtonsOf(privateUser({ language_code: "kk" }), quoteScreen(shortQuote!.id));
    expect(kk!.copy_text.text).toBe(`«${shortQuote!.textKk}» — ${shortQuote!.speaker.kk}`);
    const [ru] = await copyButtonsOf(privateUser({ language_code: "ru" }), quoteScreen(shortQuote!.id));
    expect(ru!.copy_text.text).toBe(`«${shortQuote!.translationRu}» — ${shortQuote!.speaker.ru} (перевод с казахского)`);
  });

  it("give a quote longer than Telegram's 256 characters no button rather than a cut one", async () => {
    expect(longQuote!.textKk.length).toBeGreaterThan(COPY_TEXT_LIMIT);
    expect(await copyButtonsOf(privateUser({ language_code: "kk" }), quoteScreen(longQuote!.id))).toEqual([]);
  });

  it("copy each key figure with what it counts and the source", async () => {
    const buttons = await copyButtonsOf(privateUser({ language_code: "ru" }), figuresScreen);
    expect(buttons).toHaveLength(briefing.figures.length);
    const first = briefing.figures[0]!;
    expect(buttons[0]!.copy_text.text).toBe(`${first.value.ru} — ${first.label.ru} (BAQ.KZ, 5 сентября 2025 г.)`);
    for (const button of buttons) expect(button.copy_text.text.length).toBeLessThanOrEqual(COPY_TEXT_LIMIT);
  });

  it("copy a Kazakh Latin reader's figure in Latin", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.store.touchUser(user.id);
    await harness.store.setUserLanguage(user.id, "kk", "latn");
    const [first] = await copyButtonsOf(user, figuresScreen);
    expect(first!.copy_text.text).toBe(
      toLatin(`${briefing.figures[0]!.value.kk} — ${briefing.figures[0]!.label.kk} (BAQ.KZ, 2025 жылғы 5 қыркүйек)`),
    );
  });
});
