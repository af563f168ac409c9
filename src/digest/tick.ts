import type { Logger } from "../logger.js";
import type { ChatDecision, Store } from "../store/types.js";
import { decide } from "./schedule.js";

/**
 * Subscriptions a tick takes, decides and records at a time. A page is one step in the store and, in Redis mode, one
 * enqueue of its digests; while it runs, Redis and the instance's event loop answer nothing else, so the digests
 * already on their way wait for it: pages of 50 keep that wait short (bench part 3d, two instances: 0.92 of the rate
 * against 0.91 with 100), and cost the SQLite digest run nothing measurable (part 4: 20.1 s for 100,000 against 22.3 s).
 */
export const TICK_PAGE_SIZE = 50;
const RETRY_BROKEN_AFTER_MS = 60 * 60 * 1000;

/**
 * A page taken by a tick is not due for other ticks for this long (Store.takeDueSubscriptions): instances that tick at
 * the same minute take pages in turn, each page decided once. A tick that stops before recording its page leaves it
 * due again at the next tick: the hold is shorter than the minute between ticks (a little lag cannot push it past the
 * next one), and far longer than a page takes from its taking to its record.
 */
const PAGE_HELD_MS = 50 * 1000;

export type TickResult = { checked: number; queued: number };

export type TickOptions = {
  store: Store;
  now: Date;
  /** The content mark of the content as it is now, asked for once per tick. */
  contentMark: () => string;
  logger?: Logger;
  /** Subscriptions read at a time (TICK_PAGE_SIZE unless given). */
  pageSize?: number;
  /** Called with each page's decisions once they are recorded (a shared queue enqueues what they owe). */
  afterPage?: (decisions: readonly ChatDecision[]) => Promise<unknown>;
};

/**
 * One scheduler pass at `now`: every active subscription due for a look gets the scheduling rule applied and its
 * owed digest queued, once per (chat, topic, period) — the store's unique key makes a repeated or concurrent tick harmless.
 * Subscriptions are taken a page at a time, so memory does not grow with their number, and ticks of several instances
 * at once share the pages.
 * The content can change while the bot runs, so the current content mark is asked for at each tick, once: every
 * instant subscription of one tick is judged against the same mark, and several edits before it make one digest.
 */
export async function tick({ store, now, contentMark, logger, pageSize = TICK_PAGE_SIZE, afterPage }: TickOptions): Promise<TickResult> {
  const mark = contentMark();
  let checked = 0;
  let queued = 0;
  const heldUntil = new Date(now.getTime() + PAGE_HELD_MS);
  for (;;) {
    const page = await store.takeDueSubscriptions(now, pageSize, heldUntil);
    const decisions: ChatDecision[] = [];
    for (const subscription of page) {
      checked++;
      try {
        const { deliver, nextCheckAt } = decide(subscription, now, mark);
        // A next check not after `now` would have this tick take the subscription again, page after page.
        if (nextCheckAt.getTime() <= now.getTime()) throw new Error(`next check ${nextCheckAt.toISOString()} is not after the tick`);
        decisions.push({ chatId: subscription.chatId, threadId: subscription.threadId, deliver, nextCheckAt });
        if (deliver) queued++;
      } catch (error) {
        // A schedule that cannot be evaluated (say, a zone the runtime no longer knows) must not stop the others.
        logger?.error({ err: error, chat_id: subscription.chatId }, "could not schedule a digest");
        decisions.push({
          chatId: subscription.chatId,
          threadId: subscription.threadId,
          deliver: undefined,
          nextCheckAt: new Date(now.getTime() + RETRY_BROKEN_AFTER_MS),
        });
      }
    }
    // One transaction a page: each decision is still atomic (delivery row and bookkeeping together).
    await store.recordDecisions(decisions, heldUntil);
    await afterPage?.(decisions);
    if (page.length < pageSize) break;
  }
  return { checked, queued };
}
