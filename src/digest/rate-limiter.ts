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
};

const MAX_TRACKED_GROUPS = 5000;
/**
 * Requests reach Telegram a few milliseconds apart from when they left; windows are measured this much longer so
 * that jitter never packs one more message into Telegram's own second.
 */
const JITTER_MARGIN_MS = 25;

export const TELEGRAM_LIMITS: RateLimits = { perSecond: 30, perGroupPerMinute: 20 };

/**
 * Sliding-window limits for outgoing messages, plus a flood gate: when Telegram answers 429, every sender waits
 * out `retry_after`, not only the request that got it.
 */
export function createRateLimiter(limits: RateLimits, clock: Clock = realClock) {
  const recent: number[] = [];
  const groupRecent = new Map<number, number[]>();
  let closedUntil = 0;

  function forgetQuietGroups(at: number): void {
    for (const [chatId, sent] of groupRecent) if (sent.at(-1)! <= at - 60_000) groupRecent.delete(chatId);
  }

  function waitFor(chatId: number, at: number): number {
    const second = 1000 + JITTER_MARGIN_MS;
    while (recent.length > 0 && recent[0]! <= at - second) recent.shift();
    let wait = Math.max(0, closedUntil - at);
    if (recent.length >= limits.perSecond) wait = Math.max(wait, recent[recent.length - limits.perSecond]! + second - at);
    if (chatId < 0) {
      const sent = groupRecent.get(chatId) ?? [];
      const minute = 60_000 + JITTER_MARGIN_MS;
      while (sent.length > 0 && sent[0]! <= at - minute) sent.shift();
      if (sent.length === 0) groupRecent.delete(chatId);
      if (sent.length >= limits.perGroupPerMinute) {
        wait = Math.max(wait, sent[sent.length - limits.perGroupPerMinute]! + minute - at);
      }
    }
    return wait;
  }

  return {
    /** Resolves when a message to `chatId` may go out now, and counts it. False if aborted while waiting. */
    async acquire(chatId: number, signal?: AbortSignal): Promise<boolean> {
      for (;;) {
        if (signal?.aborted) return false;
        const at = clock.now();
        const wait = waitFor(chatId, at);
        if (wait <= 0) {
          recent.push(at);
          if (chatId < 0) {
            const sent = groupRecent.get(chatId) ?? [];
            sent.push(at);
            groupRecent.set(chatId, sent);
            if (groupRecent.size > MAX_TRACKED_GROUPS) forgetQuietGroups(at);
          }
          return true;
        }
        await clock.sleep(wait, signal);
      }
    },
    /** Telegram said "retry after": nobody sends until then. */
    closeFor(seconds: number): void {
      closedUntil = Math.max(closedUntil, clock.now() + seconds * 1000);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
