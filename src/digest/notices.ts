import { Api, type ApiClientOptions } from "grammy";
import type { Logger } from "../logger.js";
import type { SendBudget } from "../telegram/send-budget.js";
import { botTransformers } from "../telegram/transformers.js";

/**
 * How long a notice of a digest run keeps trying (its turn, 429 waits) before it is given up and logged: a group's
 * full minute and a long retry_after fit in it. A stop does not wait for it: the sender and the queue abort their
 * notices when they stop.
 */
export const NOTICE_DEADLINE_MS = 2 * 60 * 1000;

/**
 * The Api of what the bot sends that is neither a reply nor a digest (a forum topic's digest stopped, a channel's
 * digest stopped, the operators' alerts): Telegram counts these like any message, so they go through the replies'
 * delivery, behind readers' replies (digest priority): each waits for its slot of the send budget, waits out a 429
 * and is given up at `deadlineMs` (NOTICE_DEADLINE_MS unless given). Never a paid broadcast: this Api has no
 * asPaidBroadcast, whatever PAID_BROADCAST_RATE says.
 */
export function createNoticesApi(
  token: string,
  client: ApiClientOptions,
  delivery: { budget: SendBudget; logger: Logger; deadlineMs?: number },
): Api {
  const api = new Api(token, client);
  botTransformers({ deadlineMs: NOTICE_DEADLINE_MS, ...delivery, priority: "digest" })(api);
  return api;
}
