export type Clock = {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

export type RateLimits = {
  /** Messages per second to all chats together (Telegram: about 30). */
  perSecond: number;
  /** Messages per minute to one group (Telegram: 20). */
  perGroupPerMinute: number;
  /**
   * Messages to one private chat in a burst; after a burst, one a second (Telegram: "about one a second, short bursts
   * allowed"). Unset: private chats are limited only by `perSecond`.
   */
  privateChatBurst?: number;
  /**
   * Digests sent as paid broadcasts (allow_paid_broadcast, "paid" slots): all messages together up to this many a
   * second, every message that is not a paid broadcast (replies, alerts, notices) still within `perSecond`. Unset:
   * everything within `perSecond`.
   */
  paidPerSecond?: number;
};

export const TELEGRAM_LIMITS: RateLimits = { perSecond: 30, perGroupPerMinute: 20, privateChatBurst: 3 };

/** No limit at all: for runs that measure the bot's own work (an in-process API) rather than its pacing. */
export const NO_LIMITS: RateLimits = {
  perSecond: Number.MAX_SAFE_INTEGER,
  perGroupPerMinute: Number.MAX_SAFE_INTEGER,
};

/**
 * Who waits for a slot. Replies (everything the bot sends while answering people) go before digests: a digest takes a
 * slot only when no reply of this process waits for one (and, in Redis mode, none of any instance waits for the
 * whole budget). "paid" is a digest sent as a paid broadcast (the digests' Api with sendAsPaidBroadcasts): it waits
 * with the digests and, when the limits have `paidPerSecond`, counts in that rate alone. Every other message, whatever
 * its priority ("digest" too: alerts, notices), counts in the free `perSecond` as Telegram counts it; without
 * `paidPerSecond` "paid" is a digest like any other.
 */
export type SendPriority = "reply" | "digest" | "paid";

/**
 * Windows are measured this much longer than Telegram's. A slot counts from its answer (see SendSlot), which is later
 * than its arrival at Telegram, so the margin only covers clocks that tick in whole milliseconds and a little more.
 */
export const JITTER_MARGIN_MS = 10;

/**
 * A slot of the budget, taken for one message. Its time in the windows is when it was granted until `sent` is
 * called once the request is answered; from then on it is the time of the answer. Telegram counts a message when it
 * arrives, somewhere between the two: counting it from the answer keeps the windows behind Telegram's, however long
 * the request took to leave a busy process.
 */
export type SendSlot = {
  sent(): void;
  /**
   * The message did not go after all (its caller gave up as the slot came, or its screen edit was replaced in that
   * moment): its place in the windows is given back, since Telegram never counted it.
   */
  unused(): void;
};

/** A slot taken, or how long to wait before asking again and whether the whole budget or only this chat is full. */
export type Grant = { granted: true; slot: SendSlot } | { granted: false; waitMs: number; blocks: Blocked };
/**
 * What is full: the whole budget, the free share of it (with paid broadcasts: the free 30 a second, which every
 * message but a paid broadcast counts in), or only this chat.
 */
export type Blocked = "all" | "free" | "chat";

/**
 * Where the counts of sent messages live: this process's memory, or Redis for every instance together. `take`
 * counts the message when it grants the slot; a refusal counts nothing.
 */
export type SendWindows = {
  take(chatId: number | undefined, priority: SendPriority): Grant | Promise<Grant>;
  /** Telegram said "retry after": nobody sends until then. */
  closeFor(seconds: number): void | Promise<void>;
};

const MAX_TRACKED_CHATS = 5000;

/** One entry `at` leaves a list of times (none when the window has dropped it meanwhile). */
function forget(times: number[], at: number): void {
  const index = times.lastIndexOf(at);
  if (index !== -1) times.splice(index, 1);
}

/** In a sorted list of times, one entry `from` becomes `to` (a later time than any in the list: it goes last). */
function moveLater(times: number[], from: number, to: number): void {
  forget(times, from);
  times.push(to);
}

/** A private chat's bucket: tokens left at `at`; it refills one a second up to the burst. */
type Bucket = { tokens: number; at: number };

/**
 * A slot of the memory windows, counted at `at` in each of `lists` that applies (the bot's second, the free second, a
 * group's minute) and, for a private chat, in `bucket`. Sent, it counts from its answer; unused, it leaves the lists,
 * and `refundToken` gives its chat the token back.
 */
function memorySlot(clock: Clock, at: number, lists: (number[] | undefined)[], bucket?: Bucket, refundToken?: () => void): SendSlot {
  return {
    sent() {
      const answeredAt = clock.now();
      for (const times of lists) if (times) moveLater(times, at, answeredAt);
      if (bucket) bucket.at = Math.max(bucket.at, answeredAt);
    },
    unused() {
      for (const times of lists) if (times) forget(times, at);
      refundToken?.();
    },
  };
}

/** Windows that could not be asked (Redis away and no fallback) are asked again after this long. */
const TAKE_FAILED_WAIT_MS = 100;

/** The windows of one process: sliding windows per bot and per group, a token bucket per private chat. */
export function memoryWindows(limits: RateLimits, clock: Clock = realClock): SendWindows {
  const second = 1000 + JITTER_MARGIN_MS;
  const minute = 60_000 + JITTER_MARGIN_MS;
  const burst = limits.privateChatBurst;
  // Every message of the last second; with paid broadcasts, the free ones (all but paid broadcasts) apart too.
  const recent: number[] = [];
  const allPerSecond = limits.paidPerSecond ?? limits.perSecond;
  // Without a limit (NO_LIMITS) the bot's second is not kept at all: nothing to count, and nothing to pay for it.
  const countsAll = allPerSecond < Number.MAX_SAFE_INTEGER;
  const countsGroups = limits.perGroupPerMinute < Number.MAX_SAFE_INTEGER;
  let sweepAbove = MAX_TRACKED_CHATS;
  const recentFree: number[] | undefined = limits.paidPerSecond === undefined ? undefined : [];
  const groupRecent = new Map<number, number[]>();
  const buckets = new Map<number, Bucket>();
  let closedUntil = 0;

  function forgetQuietChats(at: number): void {
    for (const [chatId, sent] of groupRecent) if (sent.at(-1)! <= at - minute) groupRecent.delete(chatId);
    if (burst !== undefined) for (const [chatId, bucket] of buckets) if (bucket.at <= at - burst * second) buckets.delete(chatId);
  }

  function tokensOf(chatId: number, at: number): number {
    const bucket = buckets.get(chatId);
    return bucket ? Math.min(burst!, bucket.tokens + (at - bucket.at) / second) : burst!;
  }

  /** A token back to a chat's bucket as it is now (later takes replace it), up to the burst. */
  function refundToken(chatId: number): void {
    const bucket = buckets.get(chatId);
    if (bucket) bucket.tokens = Math.min(burst!, bucket.tokens + 1);
  }

  return {
    take(chatId, priority) {
      const at = clock.now();
      while (recent.length > 0 && recent[0]! <= at - second) recent.shift();
      let allWait = Math.max(0, closedUntil - at);
      if (recent.length >= allPerSecond) allWait = Math.max(allWait, recent[recent.length - allPerSecond]! + second - at);
      if (allWait > 0) return { granted: false, waitMs: allWait, blocks: "all" };
      const free = priority === "paid" ? undefined : recentFree;
      if (free) {
        while (free.length > 0 && free[0]! <= at - second) free.shift();
        if (free.length >= limits.perSecond) {
          return { granted: false, waitMs: free[free.length - limits.perSecond]! + second - at, blocks: "free" };
        }
      }
      let sent: number[] | undefined;
      if (chatId !== undefined && chatId < 0 && countsGroups) {
        sent = groupRecent.get(chatId) ?? [];
        while (sent.length > 0 && sent[0]! <= at - minute) sent.shift();
        if (sent.length >= limits.perGroupPerMinute) {
          return { granted: false, waitMs: sent[sent.length - limits.perGroupPerMinute]! + minute - at, blocks: "chat" };
        }
      }
      let tokens: number | undefined;
      if (chatId !== undefined && chatId > 0 && burst !== undefined) {
        tokens = tokensOf(chatId, at);
        if (tokens < 1) return { granted: false, waitMs: Math.ceil((1 - tokens) * second), blocks: "chat" };
      }
      if (countsAll) recent.push(at);
      free?.push(at);
      if (sent) {
        sent.push(at);
        groupRecent.set(chatId!, sent);
      }
      const bucket = tokens === undefined ? undefined : { tokens: tokens - 1, at };
      if (bucket) buckets.set(chatId!, bucket);
      if (groupRecent.size + buckets.size > sweepAbove) {
        // Quiet chats are forgotten when the maps grow past twice what they held after the last sweep: a sweep costs
        // one pass, paid for by as many new chats, however many chats are active within a minute.
        forgetQuietChats(at);
        sweepAbove = Math.max(MAX_TRACKED_CHATS, 2 * (groupRecent.size + buckets.size));
      }
      const refund = bucket ? () => refundToken(chatId!) : undefined;
      return { granted: true, slot: memorySlot(clock, at, [countsAll ? recent : undefined, free, sent], bucket, refund) };
    },
    closeFor(seconds) {
      closedUntil = Math.max(closedUntil, clock.now() + seconds * 1000);
    },
  };
}

type Waiter = { chatId: number | undefined; priority: SendPriority; resolve: (slot: SendSlot | undefined) => void; done: boolean };

/**
 * One round over the waiters, in order of the queues (replies first): each gets a slot if the windows give one now.
 * Returns how long until the earliest refused waiter may try again (Infinity when none was refused).
 */
async function serveRound(windows: SendWindows, queues: Waiter[][], finish: (waiter: Waiter, slot: SendSlot) => void): Promise<number> {
  let sleepMs = Infinity;
  let budgetFull = false;
  const fullChats = new Set<number>();
  // The free share is full (paid broadcasts): no other free message goes this round, paid broadcasts still may.
  let freeFull = false;
  for (const queue of queues) {
    for (const waiter of [...queue]) {
      if (freeFull && waiter.priority !== "paid") continue;
      if (waiter.done || (waiter.chatId !== undefined && fullChats.has(waiter.chatId))) continue;
      const grant = await Promise.resolve(windows.take(waiter.chatId, waiter.priority)).catch((): Grant => ({
        granted: false,
        waitMs: TAKE_FAILED_WAIT_MS,
        blocks: "all",
      }));
      if (grant.granted) {
        finish(waiter, grant.slot);
        continue;
      }
      sleepMs = Math.min(sleepMs, grant.waitMs);
      if (grant.blocks === "all") {
        budgetFull = true;
        break;
      }
      if (grant.blocks === "free") {
        freeFull = true;
        continue;
      }
      if (waiter.chatId !== undefined) fullChats.add(waiter.chatId);
    }
    // Replies first: while one waits for the whole budget, no digest takes a slot.
    if (budgetFull) break;
  }
  return sleepMs;
}

/**
 * One budget for every message the bot sends. Waiters are served in order, replies before digests; a waiter whose
 * own chat is full (a group's 20 a minute, a private chat's burst) is passed over, so one busy chat never holds up
 * the others, while the messages of one chat keep their order. Only a full budget (30 a second, or a 429's
 * retry_after) holds everyone.
 */
export function createSendBudget(windows: SendWindows, clock: Clock = realClock) {
  const replies: Waiter[] = [];
  const digests: Waiter[] = [];
  let pumping = false;
  let wake: AbortController | undefined;
  // A waiter came while a round was under way: the next round starts without sleeping, so it is looked at now.
  let arrived = false;

  function finish(waiter: Waiter, slot: SendSlot | undefined): void {
    // A waiter that gave up while its slot was being taken (Redis answers a step later) leaves the slot unused.
    if (waiter.done) {
      slot?.unused();
      return;
    }
    waiter.done = true;
    const queue = waiter.priority === "reply" ? replies : digests;
    queue.splice(queue.indexOf(waiter), 1);
    waiter.resolve(slot);
  }

  /** Serves the waiters until none is left, sleeping while every one of them is held. */
  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (replies.length + digests.length > 0) {
        arrived = false;
        const sleepMs = await serveRound(windows, [replies, digests], finish);
        if (replies.length + digests.length === 0 || sleepMs === Infinity || arrived) continue;
        wake = new AbortController();
        await clock.sleep(Math.max(1, sleepMs), wake.signal);
        wake = undefined;
      }
    } finally {
      pumping = false;
    }
  }

  function enqueue(
    chatId: number | undefined,
    priority: SendPriority,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<SendSlot | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const abort = () => finish(waiter, undefined);
      // Only a waiter that queues gets a timer: a slot taken at once costs none.
      const timer = timeoutMs === undefined ? undefined : setTimeout(abort, timeoutMs);
      const waiter: Waiter = {
        chatId,
        priority,
        resolve: (slot) => {
          // A long-lived signal (a sender's "stopping") must not gather a listener for every message it sent.
          signal?.removeEventListener("abort", abort);
          clearTimeout(timer);
          resolve(slot);
        },
        done: false,
      };
      (priority === "reply" ? replies : digests).push(waiter);
      signal?.addEventListener("abort", abort, { once: true });
      arrived = true;
      if (!pumping) void pump();
      else wake?.abort();
    });
  }

  return {
    /**
     * Resolves with a slot when a message to `chatId` (undefined: no chat, such as an inline message) may go out now,
     * counted; undefined if `signal` aborts or `timeoutMs` passes first. The caller tells the slot when the request
     * has been answered.
     */
    acquire(chatId: number | undefined, priority: SendPriority, signal?: AbortSignal, timeoutMs?: number): Promise<SendSlot | undefined> {
      if (signal?.aborted) return Promise.resolve(undefined);
      if (pumping || replies.length + digests.length > 0) return enqueue(chatId, priority, signal, timeoutMs);
      // Nobody waits: a free slot is taken at once, without a queue (the common case, and the cheap one).
      const grant = windows.take(chatId, priority);
      if (grant instanceof Promise) {
        return grant.then((taken) => {
          if (!taken.granted) return enqueue(chatId, priority, signal, timeoutMs);
          // Its caller gave up while the slot was being taken: the slot is given back.
          if (!signal?.aborted) return taken.slot;
          taken.slot.unused();
          return undefined;
        });
      }
      return grant.granted ? Promise.resolve(grant.slot) : enqueue(chatId, priority, signal, timeoutMs);
    },
    /** Telegram said "retry after": the whole budget closes until then (in Redis mode, for every instance). */
    closeFor(seconds: number): Promise<void> {
      return Promise.resolve(windows.closeFor(seconds));
    },
  };
}
export type SendBudget = ReturnType<typeof createSendBudget>;

/** A budget of one process with the given limits. */
export const localSendBudget = (limits: RateLimits, clock: Clock = realClock) => createSendBudget(memoryWindows(limits, clock), clock);
