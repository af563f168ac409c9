import { Redis, type ClientContext, type Result } from "ioredis";
import { JITTER_MARGIN_MS, memoryWindows, type Grant, type RateLimits, type SendSlot, type SendWindows } from "./send-budget.js";

/**
 * Takes a slot for every instance together, in one step on the Redis server (by its own clock, so instances'
 * clocks do not matter):
 *   KEYS: the bot's sliding second (sorted set), the closed-until time, the "a reply waits" mark, the chat's window,
 *         the free sliding second
 *         (paid broadcasts only), then the chat windows of the slots this instance saw answered since its last step
 *   ARGV: perSecond, second ms, perGroupPerMinute, minute ms, private burst (0: none), refill ms, chat kind
 *         ("group", "private", "none"), priority ("reply", "digest", "paid"), a unique member id, paid rate (0: none),
 *         then each answered slot's member id, chat kind and whether it counts in the free second ("1" or "0")
 * Returns {1, 1 if the slot counts in the free second else 0} when granted, else {0, ms to wait, 1 if the whole budget
 * is full / 2 if the free share is / 0 if only the chat is}. With paid broadcasts the bot's second holds `paid rate`
 * messages, and every message but a paid broadcast ("reply" and "digest" alike) is counted in the free second too,
 * which holds `perSecond`.
 * A reply held by the full budget leaves a mark that lives a second longer than its wait (its timer may fire late on
 * a busy machine): digests of every instance wait while it lives, asking again every few milliseconds, so the next
 * slot goes to the reply; the reply that gets a slot takes the mark away, and the digests go on at once. A quarter of
 * a second was once too little under the load of the whole test suite: a digest took the slot a reply was owed. The
 * margin costs only when the waiting reply is gone (its instance stopped): digests then wait that much longer.
 */
const MARK_MARGIN_MS = 1000;
const MARK_POLL_MS = 5;
/** The Redis server's time in milliseconds, as \`now\`: every script measures by it. */
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;
/** Where a script finds what dating answered slots needs: its keys and arguments, as Lua expressions or indexes. */
type RedateArgs = { all: string; free: string; firstKey: number; firstArg: number; secondMs: string; minuteMs: string };
/**
 * Slots answered since this instance's last step (see SendSlot): their time in the windows becomes now, as the memory
 * windows' moveLater does. A slot answered after its second had passed was trimmed from the windows meanwhile: it is
 * added again, since Telegram may have counted it as late as its answer, and the window's key lives on from now. Each
 * slot is named by its chat's window in KEYS from `firstKey` on, and by its member id, chat kind and free-second mark
 * in ARGV from `firstArg` on.
 */
const REDATE_ANSWERED = ({ all, free, firstKey, firstArg, secondMs, minuteMs }: RedateArgs) => `
for i = 0, #KEYS - ${firstKey} do
  local chat, member = KEYS[${firstKey} + i], ARGV[${firstArg} + 3 * i]
  local kind, inFree = ARGV[${firstArg} + 3 * i + 1], ARGV[${firstArg} + 3 * i + 2]
  redis.call('ZADD', ${all}, now, member)
  redis.call('PEXPIRE', ${all}, ${secondMs} * 2)
  if inFree == '1' then
    redis.call('ZADD', ${free}, now, member)
    redis.call('PEXPIRE', ${free}, ${secondMs} * 2)
  end
  if kind == 'group' then
    redis.call('ZADD', chat, now, member)
    redis.call('PEXPIRE', chat, ${minuteMs} + 1000)
  elseif kind == 'private' then
    local at = tonumber(redis.call('HGET', chat, 'at') or '0')
    if at > 0 and now > at then redis.call('HSET', chat, 'at', now) end
  end
end
`;
const TAKE_REDATES: RedateArgs = {
  all: "KEYS[1]",
  free: "KEYS[5]",
  firstKey: 6,
  firstArg: 11,
  secondMs: "tonumber(ARGV[2])",
  minuteMs: "tonumber(ARGV[4])",
};
const TAKE = `${NOW}${REDATE_ANSWERED(TAKE_REDATES)}
-- Milliseconds until the sliding window at key (window ms long) has room for one more of limit; 0 when it has now.
local function windowWait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
local perSecond, second = tonumber(ARGV[1]), tonumber(ARGV[2])
local paid = tonumber(ARGV[10])
local allPerSecond = perSecond
if paid > 0 then allPerSecond = paid end
local allWait = 0
local closed = tonumber(redis.call('GET', KEYS[2]) or '0')
if closed > now then allWait = closed - now end
if ARGV[8] ~= 'reply' then
  local mark = redis.call('PTTL', KEYS[3])
  if mark > 0 then allWait = math.max(allWait, math.min(mark, ${MARK_POLL_MS})) end
end
allWait = math.max(allWait, windowWait(KEYS[1], allPerSecond, second))
if allWait > 0 then
  if ARGV[8] == 'reply' then redis.call('SET', KEYS[3], '1', 'PX', allWait + ${MARK_MARGIN_MS}) end
  return {0, allWait, 1}
end
local countsFree = paid > 0 and ARGV[8] ~= 'paid'
if countsFree then
  local freeWait = windowWait(KEYS[5], perSecond, second)
  if freeWait > 0 then return {0, math.max(1, freeWait), 2} end
end
local tokens
if ARGV[7] == 'group' then
  local groupWait = windowWait(KEYS[4], tonumber(ARGV[3]), tonumber(ARGV[4]))
  if groupWait > 0 then return {0, math.max(1, groupWait), 0} end
elseif ARGV[7] == 'private' then
  local burst, refill = tonumber(ARGV[5]), tonumber(ARGV[6])
  local state = redis.call('HMGET', KEYS[4], 'tokens', 'at')
  tokens = burst
  if state[1] then tokens = math.min(burst, tonumber(state[1]) + (now - tonumber(state[2])) / refill) end
  if tokens < 1 then return {0, math.max(1, math.ceil((1 - tokens) * refill)), 0} end
end
redis.call('ZADD', KEYS[1], now, ARGV[9])
redis.call('PEXPIRE', KEYS[1], second * 2)
if countsFree then
  redis.call('ZADD', KEYS[5], now, ARGV[9])
  redis.call('PEXPIRE', KEYS[5], second * 2)
end
if ARGV[8] == 'reply' then redis.call('DEL', KEYS[3]) end
if ARGV[7] == 'group' then
  redis.call('ZADD', KEYS[4], now, ARGV[9])
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[4]) + 1000)
elseif ARGV[7] == 'private' then
  redis.call('HSET', KEYS[4], 'tokens', tostring(tokens - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[5]) * tonumber(ARGV[6]) + 1000)
end
if countsFree then return {1, 1} end
return {1, 0}
`;

/**
 * Answered slots dated on their own, when no step of this instance came to take them: KEYS: the bot's second, the free
 * second; ARGV: second ms, minute ms, then the slots as in TAKE.
 */
const SENT_REDATES: RedateArgs = {
  all: "KEYS[1]",
  free: "KEYS[2]",
  firstKey: 3,
  firstArg: 3,
  secondMs: "tonumber(ARGV[1])",
  minuteMs: "tonumber(ARGV[2])",
};
const SENT = `${NOW}${REDATE_ANSWERED(SENT_REDATES)}
return 0
`;

/**
 * A slot whose message did not go, given back (see SendSlot.unused): it leaves the bot's second, the free second and
 * a group's minute, and a private chat's bucket gets its token back, up to the burst. KEYS: the bot's second, the free
 * second, the chat's window; ARGV: the slot's member id, chat kind, free-second mark ("1" or "0"), the private burst.
 */
const GIVE_BACK = `
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] == '1' then redis.call('ZREM', KEYS[2], ARGV[1]) end
if ARGV[2] == 'group' then
  redis.call('ZREM', KEYS[3], ARGV[1])
elseif ARGV[2] == 'private' then
  local tokens = redis.call('HGET', KEYS[3], 'tokens')
  if tokens then redis.call('HSET', KEYS[3], 'tokens', tostring(math.min(tonumber(ARGV[4]), tonumber(tokens) + 1))) end
end
return 0
`;

/** Closes the budget until now + ARGV[1] ms, unless it is already closed for longer. */
const CLOSE = `${NOW}
local until_ = now + tonumber(ARGV[1])
local closed = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > closed then redis.call('SET', KEYS[1], tostring(until_), 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

const PREFIX = "vb-budget";

/**
 * The scripts above as commands of ioredis (defineCommand). TAKE and SENT are given their number of keys first: they
 * name the chat of every answered slot they date.
 */
declare module "ioredis" {
  // Only an interface merges with ioredis's own declaration.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface RedisCommander<Context extends ClientContext = { type: "default" }> {
    sendBudgetTake(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Result<number[], Context>;
    sendBudgetSent(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Result<number, Context>;
    sendBudgetClose(closed: string, ms: number): Result<number, Context>;
    sendBudgetGiveBack(
      all: string,
      free: string,
      chat: string,
      member: string,
      kind: string,
      countsFree: string,
      burst: number,
    ): Result<number, Context>;
  }
}

export type RedisSendWindowsOptions = {
  redis: Redis;
  limits: RateLimits;
  /** Key prefix: instances that share a bot share it. */
  prefix?: string;
  /** Told when Redis does not answer; the process then counts on its own windows until it does. */
  onUnreachable?: (error: unknown) => void;
  /** A step Redis has not answered within this long counts as unanswered (default REDIS_ANSWER_WITHIN_MS). */
  answerWithinMs?: number;
};

/**
 * Redis answers a budget step in about a millisecond. One that takes longer than this is treated like a refused
 * connection: a Redis that hangs (paused, or cut off without the connection closing) would otherwise hold every send
 * of the process, and a waiting reply's deadline and a sender's stop with it.
 */
export const REDIS_ANSWER_WITHIN_MS = 1000;
/**
 * After a step Redis did not answer, the windows are taken in memory this long before Redis is asked again: each
 * message during an outage costs no wait for Redis, and the process still finds Redis back within a second.
 */
const LOCAL_AFTER_FAILURE_MS = 1000;

/**
 * The call's answer, or a rejection once `ms` have passed without one. The rejection waits for the event loop to read
 * what arrived meanwhile (setImmediate runs after I/O): a process that stalled longer than `ms` (a long GC, a starved
 * CPU) finds Redis's answer waiting and takes it, rather than counting alone for a second.
 */
function answeredWithin<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(`Redis did not answer the send budget within ${ms} ms`))), ms);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

/**
 * The budget's windows have a connection of their own, which gives up on a command at once: a send waits for no
 * reconnection, and counts in this instance alone while Redis is away (its errors are told through onUnreachable).
 * No auto-pipelining: the pump asks for one waiter's slot at a time, and a step held for the next turn of a busy event
 * loop costs the whole budget its pace (decision 0035).
 */
export function budgetConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on("error", () => undefined);
  return redis;
}

/** The windows in Redis, and dating the answered slots still waiting, which the backend does before it closes the connection. */
export type RedisSendWindows = SendWindows & { dateAnswered(): Promise<void> };

/** A slot this instance saw answered, until Redis dates it: its chat's window, member id, chat kind and free-second mark. */
type AnsweredSlot = { chatKey: string; member: string; kind: string; countsFree: "1" | "0" };

/**
 * An answered slot waits this long for a step of this instance to go with before it is dated in a step of its own.
 * Until Redis dates it, a slot counts from its grant; Redis then dates it up to this much after its answer, later than
 * Telegram counted it, which keeps the windows behind Telegram's.
 */
const ANSWERED_WAIT_MS = 10;

/**
 * Slots answered and not yet dated in Redis. While messages flow, each goes with this instance's next budget step
 * (one Redis step fewer a message); when none comes within ANSWERED_WAIT_MS, they go together in one step of their own.
 */
function answeredSlots(dateAlone: (slots: AnsweredSlot[]) => Promise<unknown>) {
  let waiting: AnsweredSlot[] = [];
  let timer: NodeJS.Timeout | undefined;
  function takeAll(): AnsweredSlot[] {
    clearTimeout(timer);
    timer = undefined;
    const taken = waiting;
    waiting = [];
    return taken;
  }
  return {
    add(slot: AnsweredSlot): void {
      waiting.push(slot);
      timer ??= setTimeout(() => void dateAlone(takeAll()), ANSWERED_WAIT_MS).unref();
    },
    takeAll,
    /** Dates every slot still waiting now (before the connection closes). */
    async flush(): Promise<void> {
      const slots = takeAll();
      if (slots.length > 0) await dateAlone(slots);
    },
  };
}

/**
 * The scripts' arguments for answered slots: their chat windows among the keys, member, kind and free-second mark of
 * each among the rest.
 */
const answeredKeys = (slots: readonly AnsweredSlot[]) => slots.map((slot) => slot.chatKey);
const answeredArgs = (slots: readonly AnsweredSlot[]) => slots.flatMap((slot) => [slot.member, slot.kind, slot.countsFree]);

/**
 * The send budget's windows in Redis, shared by every instance of the bot: one sliding second for the bot, a sliding
 * minute per group, a token bucket per private chat, one closed-until time for 429s, and the mark of a reply
 * waiting. While Redis does not answer (refuses, or takes longer than `answerWithinMs`), each instance counts in its own
 * memory with the same limits (the store is away then too, so little is sent), asking Redis again a second later.
 */
export function redisSendWindows(options: RedisSendWindowsOptions): RedisSendWindows {
  const { redis, limits } = options;
  const prefix = options.prefix ?? PREFIX;
  const local = memoryWindows(limits);
  const keys = { all: `${prefix}:all`, closed: `${prefix}:closed`, replyWaits: `${prefix}:reply-waits`, free: `${prefix}:free` };
  const second = 1000 + JITTER_MARGIN_MS;
  const minute = 60_000 + JITTER_MARGIN_MS;
  let sequence = 0;
  const instance = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const fail = (error: unknown) => options.onUnreachable?.(error);
  const answerWithinMs = options.answerWithinMs ?? REDIS_ANSWER_WITHIN_MS;
  let localUntil = 0;
  // As commands, the scripts go to Redis by their digest (EVALSHA) after the first call, not as text each time.
  redis.defineCommand("sendBudgetTake", { lua: TAKE });
  redis.defineCommand("sendBudgetSent", { lua: SENT });
  redis.defineCommand("sendBudgetClose", { numberOfKeys: 1, lua: CLOSE });
  redis.defineCommand("sendBudgetGiveBack", { numberOfKeys: 3, lua: GIVE_BACK });
  const answered = answeredSlots((slots) =>
    redis.sendBudgetSent(2 + slots.length, keys.all, keys.free, ...answeredKeys(slots), second, minute, ...answeredArgs(slots)).catch(fail),
  );
  const fixedArgs = [
    Math.min(limits.perSecond, 1e9),
    second,
    Math.min(limits.perGroupPerMinute, 1e9),
    minute,
    limits.privateChatBurst ?? 0,
    second,
  ];

  return {
    async take(chatId, priority) {
      if (Date.now() < localUntil) return local.take(chatId, priority);
      const kind = chatId === undefined ? "none" : chatId < 0 ? "group" : limits.privateChatBurst === undefined ? "none" : "private";
      const chatKey = `${prefix}:chat:${chatId ?? "none"}`;
      const member = `${instance}-${++sequence}`;
      const dating = answered.takeAll();
      try {
        const answer = await answeredWithin(
          redis.sendBudgetTake(
            5 + dating.length,
            ...[keys.all, keys.closed, keys.replyWaits, chatKey, keys.free, ...answeredKeys(dating)],
            ...[...fixedArgs, kind, priority, member, limits.paidPerSecond ?? 0, ...answeredArgs(dating)],
          ),
          answerWithinMs,
        );
        if (answer[0] === 1) {
          const countsFree = answer[1] === 1 ? "1" : "0";
          const slot: SendSlot = {
            sent: () => answered.add({ chatKey, member, kind, countsFree }),
            // Commands of one connection run in order: this instance's next step already finds the slot given back.
            unused: () =>
              void redis
                .sendBudgetGiveBack(keys.all, keys.free, chatKey, member, kind, countsFree, limits.privateChatBurst ?? 0)
                .catch(fail),
          };
          return { granted: true, slot };
        }
        const blocks = answer[2] === 1 ? "all" : answer[2] === 2 ? "free" : "chat";
        return { granted: false, waitMs: Number(answer[1]), blocks } satisfies Grant;
      } catch (error) {
        // The slots it was to date wait again (dating one twice only dates it later).
        for (const slot of dating) answered.add(slot);
        localUntil = Date.now() + LOCAL_AFTER_FAILURE_MS;
        fail(error);
        return local.take(chatId, priority);
      }
    },
    dateAnswered: () => answered.flush(),
    async closeFor(seconds) {
      void local.closeFor(seconds);
      try {
        await answeredWithin(redis.sendBudgetClose(keys.closed, Math.ceil(seconds * 1000)), answerWithinMs);
      } catch (error) {
        fail(error);
      }
    },
  };
}
