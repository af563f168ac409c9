import type { Api, Transformer } from "grammy";
import type { SendPriority } from "./send-budget.js";

/** Methods that send a new message, which Telegram lets a bot send as a paid broadcast. */
const SENDS = /^(send(?!ChatAction$)[A-Z]|copyMessage$|forwardMessage$)/;

/**
 * Every message this Api sends goes out as a paid broadcast (`allow_paid_broadcast`): Telegram lets it past the free
 * 30 a second, up to 1,000, for a fee in Stars from the bot's balance. Installed (by sendAsPaidBroadcasts) only on
 * the digests' Api, and only when PAID_BROADCAST_RATE is set; replies stay free. A message that says
 * `allow_paid_broadcast: false` stays free on any Api.
 */
export const asPaidBroadcast: Transformer = (previous, method, payload, signal) =>
  previous(
    method,
    SENDS.test(method) && !("allow_paid_broadcast" in payload) ? ({ ...payload, allow_paid_broadcast: true } as typeof payload) : payload,
    signal,
  );

const payingApis = new WeakSet<Api>();

/**
 * Makes `api` send every message as a paid broadcast (asPaidBroadcast) and remembers it, so that the digests sent on
 * it take "paid" slots of the send budget (digestSlotsOf): what goes out paid and what the budget counts as paid are
 * decided in this one place.
 */
export function sendAsPaidBroadcasts(api: Api): void {
  api.config.use(asPaidBroadcast);
  payingApis.add(api);
}

/**
 * The kind of slot a digest sent on `api` takes: "paid" on an Api that sends paid broadcasts (counted in the paid
 * rate alone), else "digest" (counted in the free 30 a second like every other message).
 */
export const digestSlotsOf = (api: Api): SendPriority => (payingApis.has(api) ? "paid" : "digest");
