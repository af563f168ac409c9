import type { Transformer } from "grammy";

/** Methods that send a new message, which Telegram lets a bot send as a paid broadcast. */
const SENDS = /^(send(?!ChatAction$)[A-Z]|copyMessage$|forwardMessage$)/;

/**
 * Every message this Api sends goes out as a paid broadcast (`allow_paid_broadcast`): Telegram lets it past the free
 * 30 a second, up to 1,000, for a fee in Stars from the bot's balance. Installed only on the digests' Api, and only
 * when PAID_BROADCAST_RATE is set; replies stay free. A message of that Api that is not a digest (the notice that a
 * forum topic's digest stopped) says `allow_paid_broadcast: false` and stays free.
 */
export const asPaidBroadcast: Transformer = (previous, method, payload, signal) =>
  previous(
    method,
    SENDS.test(method) && !("allow_paid_broadcast" in payload) ? ({ ...payload, allow_paid_broadcast: true } as typeof payload) : payload,
    signal,
  );
