import type { InlineQueryResultArticle } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { toLatin } from "../src/shared/latin.js";
import { BOT_INFO, startHarness, type Harness } from "./support/harness.js";
import { cardText } from "./support/keyboard.js";
import { guestMessageUpdate, groupChat, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const mention = `@${BOT_INFO.username}`;
/** A group the bot is not a member of (fictional test data): a member summons the bot there in guest mode. */
const strangersGroup = groupChat(-1005550002, "Test group without the bot");

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => harness.close());

async function askAsGuest(user: ReturnType<typeof privateUser>, text: string) {
  const update = guestMessageUpdate(user, text, strangersGroup);
  await harness.send(update);
  const call = harness.fake.lastCall("answerGuestQuery")!;
  expect(call.payload.guest_query_id).toBe(update.guest_message!.guest_query_id);
  return call.payload.result as InlineQueryResultArticle & { input_message_content: { message_text: string; parse_mode: string } };
}

const urlsOf = (result: InlineQueryResultArticle) =>
  (result.reply_markup?.inline_keyboard ?? []).flat().flatMap((button) => ("url" in button ? [button.url] : []));

describe("guest mode", () => {
  it("answers '@bot agreements' with the agreements card in the writer's language, with a button into the bot", async () => {
    const ru = await askAsGuest(privateUser({ language_code: "ru" }), `${mention} соглашения`);
    expect(ru.id).toBe(`${briefing.id}-ag.ru`);
    expect(cardText(ru)).toContain(briefing.agreements.items[0]!.title.ru);
    expect(urlsOf(ru)).toContain(`https://t.me/${BOT_INFO.username}?start=${briefing.id}-ag`);

    const kk = await askAsGuest(privateUser({ language_code: "kk" }), `${mention} келісімдер`);
    expect(kk.id).toBe(`${briefing.id}-ag.kk`);
    expect(cardText(kk)).toContain(briefing.agreements.items[0]!.title.kk);
  });

  it("answers a Kazakh Latin reader in Latin, from the choice in the store", async () => {
    const user = privateUser({ language_code: "kk" });
    await harness.store.touchUser(user.id);
    await harness.store.setUserLanguage(user.id, "kk", "latn");
    const card = await askAsGuest(user, `${mention} келісімдер`);
    expect(cardText(card)).toContain(toLatin(briefing.agreements.items[0]!.title.kk));
    expect(cardText(card)).not.toMatch(/[әғқңөұүһі]/i);
  });

  it("says when nothing matches, in the writer's language, and offers to open the bot", async () => {
    const result = await askAsGuest(privateUser({ language_code: "ru" }), `${mention} qqqzzzxxx`);
    expect(result.title).toBe(harness.deps.translators.ru("guest-nothing-title"));
    expect(result.input_message_content.message_text).toBe(harness.deps.translators.ru("guest-nothing"));
    expect(urlsOf(result)).toEqual([`https://t.me/${BOT_INFO.username}`]);
  });

  it("does not record the chat it was summoned in: the bot is not a member there", async () => {
    await askAsGuest(privateUser({ language_code: "ru" }), `${mention} визит`);
    expect(await harness.store.getChat(strangersGroup.id)).toBeUndefined();
  });
});
