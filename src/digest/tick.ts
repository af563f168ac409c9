import type { Logger } from "../logger.js";
import type { Decision, Store } from "../store/types.js";
import { decide } from "./schedule.js";

export const TICK_PAGE_SIZE = 100;
const RETRY_BROKEN_AFTER_MS = 60 * 60 * 1000;

export type TickResult = { checked: number; queued: number };

/**
 * One scheduler pass at `now`: every active subscription due for a look gets the scheduling rule applied and its
 * owed digest queued, once per (chat, period) — the store's unique key makes a repeated or concurrent tick harmless.
 * Subscriptions are read a page at a time, so memory does not grow with their number.
 */
export async function tick(store: Store, now: Date, logger?: Logger, pageSize = TICK_PAGE_SIZE): Promise<TickResult> {
  let checked = 0;
  let queued = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await store.dueSubscriptions(now, after, pageSize);
    const decisions: Decision[] = [];
    for (const subscription of page) {
      checked++;
      try {
        const { deliver, nextCheckAt } = decide(subscription, now);
        decisions.push({ chatId: subscription.chatId, deliver, nextCheckAt });
        if (deliver) queued++;
      } catch (error) {
        // A schedule that cannot be evaluated (say, a zone the runtime no longer knows) must not stop the others.
        logger?.error({ err: error, chat_id: subscription.chatId }, "could not schedule a digest");
        decisions.push({ chatId: subscription.chatId, deliver: undefined, nextCheckAt: new Date(now.getTime() + RETRY_BROKEN_AFTER_MS) });
      }
    }
    // One transaction a page: each decision is still atomic (delivery row and bookkeeping together).
    await store.recordDecisions(decisions);
    if (page.length < pageSize) break;
    after = page.at(-1)!.chatId;
  }
  return { checked, queued };
}
