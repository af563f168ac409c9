import type { Transformer } from "grammy";

/**
 * Editing a message to what it already shows (a double tap, two people in a group pressing the same button)
 * makes Telegram answer 400 "message is not modified". Nothing is wrong then, so it is turned into success
 * here, once for every edit the bot makes, instead of being caught in each handler.
 */
export const ignoreNotModified: Transformer = async (previous, method, payload, signal) => {
  const response = await previous(method, payload, signal);
  type Answer = typeof response;
  if (!response.ok && /^edit(Ephemeral)?Message/.test(method) && /message is not modified/i.test(response.description)) {
    return { ok: true, result: true } as Answer;
  }
  return response;
};
