import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROFILE_KEYS, PROFILE_LIMITS, registerProfile } from "../src/bot/profile.js";
import { FALLBACK_LOCALE } from "../src/i18n.js";
import { LOCALES } from "../src/shared/locale.js";
import { startHarness, type Harness } from "./support/harness.js";

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const register = () => registerProfile(harness.bot.api, harness.deps.translators, FALLBACK_LOCALE);

describe("the bot's profile in each language", () => {
  it("sets the description and short description for kk, ru and the default from the locale files", async () => {
    expect(await register()).toBe(6);
    const descriptions = harness.fake.callsTo("setMyDescription").map((call) => call.payload);
    expect(descriptions.map((payload) => payload.language_code)).toEqual([undefined, "kk", "ru"]);
    expect(descriptions[1]!.description).toBe(harness.deps.translators.kk(PROFILE_KEYS.description));
    expect(descriptions[2]!.description).toBe(harness.deps.translators.ru(PROFILE_KEYS.description));
    expect(descriptions[0]!.description).toBe(harness.deps.translators[FALLBACK_LOCALE](PROFILE_KEYS.description));
    const shortInKazakh = harness.fake.callsTo("setMyShortDescription").find((call) => call.payload.language_code === "kk")!;
    expect(shortInKazakh.payload.short_description).toBe(harness.deps.translators.kk(PROFILE_KEYS.shortDescription));
  });

  it("spends no write on a restart: a text Telegram already has is not set again", async () => {
    await register();
    const writes = () => harness.fake.callsTo("setMyDescription").length + harness.fake.callsTo("setMyShortDescription").length;
    const before = writes();
    expect(await register()).toBe(0);
    expect(writes()).toBe(before);
  });

  it("keeps each text within Telegram's limits, in every language", () => {
    for (const locale of LOCALES) {
      const t = harness.deps.translators[locale];
      expect(t(PROFILE_KEYS.description).length).toBeLessThanOrEqual(PROFILE_LIMITS.description);
      expect(t(PROFILE_KEYS.shortDescription).length).toBeLessThanOrEqual(PROFILE_LIMITS.shortDescription);
      expect(t(PROFILE_KEYS.shortDescription)).not.toBe(PROFILE_KEYS.shortDescription);
    }
  });
});
