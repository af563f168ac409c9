import type { Transformer } from "grammy";

/**
 * Editing a message to what it already shows (a double tap, two people in a group pressing the same button)
 * makes Telegram answer 400 "message is not modified". Nothing is wrong then, so it is turned into success
 * here, once for every edit the bot makes, instead of being caught in each handler.
 */
export const ignoreNotModified: Transformer = (previous, method, payload, signal) => {
  // Every call of the bot passes here: a continuation on the call's promise, not an async frame of its own.
  if (!/^edit(Ephemeral)?Message/.test(method)) return previous(method, payload, signal);
  return previous(method, payload, signal).then((response) => {
    type Answer = typeof response;
    if (!response.ok && /message is not modified/i.test(response.description)) return { ok: true, result: true } as Answer;
    return response;
  });
};
