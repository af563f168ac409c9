import type { Api } from "grammy";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";

/** Telegram's limits on the profile texts (Bot API: setMyDescription 0–512, setMyShortDescription 0–120 characters). */
export const PROFILE_LIMITS = { description: 512, shortDescription: 120 } as const;

/** The profile texts' keys in locales/: the empty chat's "What can this bot do?" and the profile page's line. */
export const PROFILE_KEYS = { description: "bot-description", shortDescription: "bot-short-description" } as const;

/**
 * Sets the bot's description and short description for kk, for ru and a default (in `fallback`) from the locale files,
 * each only where it differs from what Telegram already has: a restart reads six texts and writes none. Returns how
 * many texts it wrote.
 */
export async function registerProfile(api: Api, translators: Record<Locale, Translate>, fallback: Locale): Promise<number> {
  let written = 0;
  for (const language of [undefined, ...LOCALES]) {
    const t = translators[language ?? fallback];
    const scope = language ? { language_code: language } : {};
    const description = t(PROFILE_KEYS.description);
    if ((await api.getMyDescription(scope)).description !== description) {
      await api.setMyDescription(description, scope);
      written++;
    }
    const shortDescription = t(PROFILE_KEYS.shortDescription);
    if ((await api.getMyShortDescription(scope)).short_description !== shortDescription) {
      await api.setMyShortDescription(shortDescription, scope);
      written++;
    }
  }
  return written;
}
