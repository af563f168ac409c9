import { Redis } from "ioredis";
import { StoreOpenError } from "./errors.js";
import { isScript, type Locale, type Script } from "../shared/locale.js";
import type { Period } from "../shared/schedule.js";
import type {
  ChatKind,
  ChatRecord,
  ChatDecision,
  Delivery,
  DeliveryStatus,
  Stats,
  StopReason,
  Store,
  Subscription,
  UserRecord,
} from "./types.js";
import { silentByDefault } from "./types.js";

/**
 * The Store contract on Redis, for several bot instances sharing one state. Every change that touches more than one
 * key runs as a Lua script, so it is atomic across instances as a SQLite transaction is within one.
 *
 * A subscription is named by its chat and forum topic, <sub>: "<chat>" without a topic (as before topics existed), or
 * "<chat>:<thread>" for a topic.
 *
 * Keys (under a prefix): u:<id> and c:<id> hashes; s:<sub> a subscription as JSON, s:due a sorted set of active
 * subscriptions by next check, s:ids every subscription, st:<chat> the threads of a chat's topic subscriptions,
 * s:by:<user> the channels a person set up (read through each subscription's createdBy, so an entry left by a later
 * change is ignored); d:<id> a delivery as JSON, dk:<sub>:<period> its unique key, dc:<sub> a subscription's
 * deliveries, d:pending by next attempt, d:sending, d:done:<status> by finish time; kv:<key> plugin values.
 */

/**
 * Subscriptions stored before scripts existed have none: they read Cyrillic; before topics and silent digests, none
 * had a thread and every one had sound.
 */
type StoredSubscription = Omit<Subscription, "activeSince" | "nextCheckAt" | "script" | "threadId" | "silent"> & {
  activeSince: number;
  nextCheckAt: number;
  script?: Script;
  threadId?: number | null;
  silent?: boolean;
};
type StoredDelivery = {
  id: number;
  chatId: number;
  /** Absent in deliveries stored before topics existed. */
  threadId?: number | null;
  period: string;
  dueAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  error: string | null;
  messageId: number | null;
  finishedAt: number | null;
};

/** The name of a subscription in keys and sets: the chat, and the thread for a forum topic. */
const subscriptionName = (chatId: number | string, threadId: number | null | undefined) =>
  threadId === null || threadId === undefined ? String(chatId) : `${chatId}:${threadId}`;

const toSubscription = (stored: StoredSubscription): Subscription => ({
  ...stored,
  threadId: stored.threadId ?? null,
  silent: stored.silent ?? false,
  script: scriptOf(stored.script),
  activeSince: new Date(stored.activeSince),
  nextCheckAt: new Date(stored.nextCheckAt),
});

const scriptOf = (value: unknown): Script => (isScript(value) ? value : "cyrl");

/** A delivery as claimed: what its subscription or itself lacks when stored before scripts, topics or silence existed. */
const claimed = (delivery: Delivery): Delivery => ({
  ...delivery,
  script: scriptOf(delivery.script),
  threadId: delivery.threadId ?? null,
  silent: delivery.silent ?? false,
});

/** Lua shared by the scripts: JSON helpers that keep nulls, and finishing or stopping in one place. */
const LUA_PRELUDE = `
local P = ARGV[1]
local function getjson(key) local raw = redis.call('GET', key); if raw then return cjson.decode(raw) end; return nil end
local function setjson(key, value) redis.call('SET', key, cjson.encode(value)) end
local function isthread(thread) return thread ~= nil and thread ~= cjson.null and thread ~= '' end
local function subname(chat, thread) if isthread(thread) then return chat .. ':' .. thread end; return chat end
local function finish(id, status, err, now)
  local d = getjson(P .. 'd:' .. id); if not d then return nil end
  redis.call('ZREM', P .. 'd:pending', id); redis.call('SREM', P .. 'd:sending', id)
  d.status = status; d.finishedAt = now; if err then d.error = err end
  setjson(P .. 'd:' .. id, d); redis.call('ZADD', P .. 'd:done:' .. status, now, id)
  return d
end
local function stop(sub, reason, now)
  local s = getjson(P .. 's:' .. sub); if not s then return 0 end
  local was = s.status
  s.status = 'stopped'; s.stopReason = reason; setjson(P .. 's:' .. sub, s)
  redis.call('ZREM', P .. 's:due', sub)
  for _, id in ipairs(redis.call('SMEMBERS', P .. 'dc:' .. sub)) do
    local d = getjson(P .. 'd:' .. id)
    if d and (d.status == 'pending' or d.status == 'sending') then finish(id, 'dropped', nil, now) end
  end
  if was == 'stopped' then return 0 end
  return 1
end
-- Every subscription of a chat that is still running stops (one stopped before keeps its reason); returns how many.
local function stopchat(chat, reason, now)
  local stopped = 0
  local subs = { chat }
  for _, thread in ipairs(redis.call('SMEMBERS', P .. 'st:' .. chat)) do table.insert(subs, chat .. ':' .. thread) end
  for _, sub in ipairs(subs) do
    local s = getjson(P .. 's:' .. sub)
    if s and s.status ~= 'stopped' then stopped = stopped + stop(sub, reason, now) end
  end
  return stopped
end
`;

const SCRIPTS = {
  /**
   * ARGV: prefix, chatId, thread|"", periodKey|"" , dueAt, nextCheckAt, now. A new instant delivery ("i…") finishes
   * the subscription's older instant deliveries still pending as empty: it covers everything they would have said.
   */
  recordDecision: `${LUA_PRELUDE}
local chat, thread, period = ARGV[2], ARGV[3], ARGV[4]
local sub = subname(chat, thread)
local s = getjson(P .. 's:' .. sub); if not s then return 0 end
if period ~= '' then
  local unique = P .. 'dk:' .. sub .. ':' .. period
  if redis.call('SET', unique, '0', 'NX') then
    if string.sub(period, 1, 1) == 'i' then
      for _, older in ipairs(redis.call('SMEMBERS', P .. 'dc:' .. sub)) do
        local d = getjson(P .. 'd:' .. older)
        if d and d.status == 'pending' and string.sub(d.period, 1, 1) == 'i' then
          finish(older, 'empty', 'superseded by a newer instant digest', tonumber(ARGV[7]))
        end
      end
    end
    local id = redis.call('INCR', P .. 'd:seq')
    redis.call('SET', unique, id)
    setjson(P .. 'd:' .. id, { id = id, chatId = tonumber(chat), threadId = isthread(thread) and tonumber(thread) or cjson.null,
      period = period, dueAt = tonumber(ARGV[5]), status = 'pending', attempts = 0, nextAttemptAt = tonumber(ARGV[7]),
      error = cjson.null, messageId = cjson.null, finishedAt = cjson.null })
    redis.call('ZADD', P .. 'd:pending', ARGV[7], id)
    redis.call('SADD', P .. 'dc:' .. sub, id)
  end
  s.lastPeriod = period
end
s.nextCheckAt = tonumber(ARGV[6])
setjson(P .. 's:' .. sub, s)
if s.status == 'active' then redis.call('ZADD', P .. 's:due', ARGV[6], sub) end
return 1`,
  /** ARGV: prefix, now, limit → JSON list of claimed deliveries */
  claim: `${LUA_PRELUDE}
local now = tonumber(ARGV[2])
local claimed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'd:pending', '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))) do
  local d = getjson(P .. 'd:' .. id)
  local s = d and getjson(P .. 's:' .. subname(d.chatId, d.threadId))
  if not s or s.status ~= 'active' then
    finish(id, 'dropped', s and ('subscription ' .. s.status) or 'subscription gone', now)
  else
    redis.call('ZREM', P .. 'd:pending', id); redis.call('SADD', P .. 'd:sending', id)
    d.status = 'sending'; d.attempts = d.attempts + 1; setjson(P .. 'd:' .. id, d)
    table.insert(claimed, { id = d.id, chatId = d.chatId, threadId = d.threadId, period = d.period, attempts = d.attempts,
      language = s.language, script = s.script, sectors = s.sectors, contentMark = s.contentMark, silent = s.silent,
      chatKind = s.chatKind })
  end
end
if #claimed == 0 then return '[]' end
return cjson.encode(claimed)`,
  /** ARGV: prefix, chatId, thread|"", period, now → JSON delivery or "" */
  claimFor: `${LUA_PRELUDE}
local sub = subname(ARGV[2], ARGV[3])
local id = redis.call('GET', P .. 'dk:' .. sub .. ':' .. ARGV[4]); if not id then return '' end
local d = getjson(P .. 'd:' .. id)
if not d or (d.status ~= 'pending' and d.status ~= 'sending') then return '' end
local s = getjson(P .. 's:' .. sub)
if not s or s.status ~= 'active' then finish(id, 'dropped', s and ('subscription ' .. s.status) or 'subscription gone', tonumber(ARGV[5])); return '' end
redis.call('ZREM', P .. 'd:pending', id); redis.call('SADD', P .. 'd:sending', id)
d.status = 'sending'; d.attempts = d.attempts + 1; setjson(P .. 'd:' .. id, d)
return cjson.encode({ id = d.id, chatId = d.chatId, threadId = d.threadId, period = d.period, attempts = d.attempts,
  language = s.language, script = s.script, sectors = s.sectors, contentMark = s.contentMark, silent = s.silent,
  chatKind = s.chatKind })`,
  /** ARGV: prefix, id, messageId, contentMark, now */
  markSent: `${LUA_PRELUDE}
local d = finish(ARGV[2], 'sent', nil, tonumber(ARGV[5])); if not d then return 0 end
d.messageId = tonumber(ARGV[3]); setjson(P .. 'd:' .. ARGV[2], d)
local sub = subname(d.chatId, d.threadId)
local s = getjson(P .. 's:' .. sub); if s then s.contentMark = ARGV[4]; setjson(P .. 's:' .. sub, s) end
return 1`,
  /** ARGV: prefix, id, status, error|"", now */
  finish: `${LUA_PRELUDE}
finish(ARGV[2], ARGV[3], ARGV[4] ~= '' and ARGV[4] or nil, tonumber(ARGV[5])); return 1`,
  /** ARGV: prefix, id, nextAttemptAt, error, countsAsAttempt (1|0) */
  retry: `${LUA_PRELUDE}
local d = getjson(P .. 'd:' .. ARGV[2]); if not d then return 0 end
redis.call('SREM', P .. 'd:sending', ARGV[2])
d.status = 'pending'; d.nextAttemptAt = tonumber(ARGV[3]); d.error = ARGV[4]
if ARGV[5] == '0' then d.attempts = d.attempts - 1 end
setjson(P .. 'd:' .. ARGV[2], d); redis.call('ZADD', P .. 'd:pending', ARGV[3], ARGV[2])
return 1`,
  /**
   * ARGV: prefix, id, reason, error, now → subscriptions it stopped that were still running. A topic reason stops that
   * topic's subscription; any other, the whole chat's.
   */
  drop: `${LUA_PRELUDE}
local d = finish(ARGV[2], 'dropped', ARGV[4], tonumber(ARGV[5]))
if not d then return 0 end
if string.sub(ARGV[3], 1, 6) == 'topic_' then return stop(subname(d.chatId, d.threadId), ARGV[3], tonumber(ARGV[5])) end
return stopchat(d.chatId, ARGV[3], tonumber(ARGV[5]))`,
  /** ARGV: prefix, subscription name, reason, now */
  stop: `${LUA_PRELUDE}
stop(ARGV[2], ARGV[3], tonumber(ARGV[4])); return 1`,
  /** ARGV: prefix, chatId, reason, now → subscriptions stopped now */
  stopChat: `${LUA_PRELUDE}
return stopchat(ARGV[2], ARGV[3], tonumber(ARGV[4]))`,
  /** ARGV: prefix → number requeued */
  requeue: `${LUA_PRELUDE}
local ids = redis.call('SMEMBERS', P .. 'd:sending')
for _, id in ipairs(ids) do
  local d = getjson(P .. 'd:' .. id)
  redis.call('SREM', P .. 'd:sending', id)
  if d then d.status = 'pending'; setjson(P .. 'd:' .. id, d); redis.call('ZADD', P .. 'd:pending', d.nextAttemptAt, id) end
end
return #ids`,
  /** ARGV: prefix, from, to */
  move: `${LUA_PRELUDE}
local from, to = ARGV[2], ARGV[3]
local chat = redis.call('HGETALL', P .. 'c:' .. from)
if #chat > 0 then
  for i = 1, #chat, 2 do redis.call('HSETNX', P .. 'c:' .. to, chat[i], chat[i + 1]) end
  redis.call('HSET', P .. 'c:' .. to, 'kind', 'supergroup')
end
-- The chat's own subscription and each topic's move, with their deliveries.
local threads = redis.call('SMEMBERS', P .. 'st:' .. from)
local moves = { { from, to, nil } }
for _, thread in ipairs(threads) do table.insert(moves, { from .. ':' .. thread, to .. ':' .. thread, thread }) end
for _, move in ipairs(moves) do
  local old, new, thread = move[1], move[2], move[3]
  local s = getjson(P .. 's:' .. old)
  if s and redis.call('EXISTS', P .. 's:' .. new) == 0 then
    s.chatId = tonumber(to); s.chatKind = 'supergroup'; setjson(P .. 's:' .. new, s); redis.call('DEL', P .. 's:' .. old)
    redis.call('SREM', P .. 's:ids', old); redis.call('SADD', P .. 's:ids', new)
    if thread then redis.call('SADD', P .. 'st:' .. to, thread) end
    local due = redis.call('ZSCORE', P .. 's:due', old)
    redis.call('ZREM', P .. 's:due', old); if due then redis.call('ZADD', P .. 's:due', due, new) end
  end
  for _, id in ipairs(redis.call('SMEMBERS', P .. 'dc:' .. old)) do
    local d = getjson(P .. 'd:' .. id)
    if d then
      redis.call('RENAMENX', P .. 'dk:' .. old .. ':' .. d.period, P .. 'dk:' .. new .. ':' .. d.period)
      d.chatId = tonumber(to); setjson(P .. 'd:' .. id, d); redis.call('SADD', P .. 'dc:' .. new, id)
    end
  end
  redis.call('DEL', P .. 'dc:' .. old)
end
redis.call('DEL', P .. 'st:' .. from)
return 1`,
} as const;

type ScriptName = keyof typeof SCRIPTS;

/** Telegram stops resending an update long before this. */
const UPDATE_MEMORY_SECONDS = 24 * 60 * 60;

/** Queued deliveries read to find the oldest one (see oldestQueued). */
const OLDEST_SAMPLE = 100;

/** The URL as it may appear in a message: a password in it is replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "unparsable URL";
  }
}

export type RedisStoreOptions = { url: string; prefix?: string; now?: () => Date };

export async function openRedisStore(options: RedisStoreOptions): Promise<Store> {
  // A command waits for at most three reconnection attempts, then fails: while Redis restarts, a reader's update fails
  // within a second (and the reader is told to try again) instead of hanging; deliveries wait for the store themselves.
  const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new StoreOpenError(
      `Cannot reach Redis at REDIS_URL (${withoutPassword(options.url)}): ${error instanceof Error ? error.message : String(error)}\n` +
        "Check REDIS_URL and that Redis is running, or unset REDIS_URL to use SQLite.",
    );
  }
  const prefix = options.prefix ?? "vb:";
  const now = options.now ?? (() => new Date());
  const key = (...parts: (string | number)[]) => prefix + parts.join(":");
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 0, lua });
  const run = (name: ScriptName, ...args: (string | number)[]) =>
    (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[name]!(prefix, ...args);

  const readUser = async (userId: number): Promise<UserRecord | undefined> => {
    const fields = await redis.hgetall(key("u", userId));
    if (!fields.firstSeenAt) return undefined;
    return {
      id: userId,
      language: (fields.language as Locale | undefined) ?? null,
      script: scriptOf(fields.script),
      firstSeenAt: fields.firstSeenAt,
    };
  };
  const readChat = async (chatId: number): Promise<ChatRecord | undefined> => {
    const fields = await redis.hgetall(key("c", chatId));
    if (!fields.firstSeenAt) return undefined;
    return {
      id: chatId,
      kind: fields.kind as ChatKind,
      title: fields.title ?? null,
      language: (fields.language as Locale | undefined) ?? null,
      script: scriptOf(fields.script),
      firstSeenAt: fields.firstSeenAt,
    };
  };
  const readSubscription = async (chatId: number, threadId?: number | null): Promise<StoredSubscription | undefined> => {
    const raw = await redis.get(key("s", subscriptionName(chatId, threadId)));
    return raw === null ? undefined : (JSON.parse(raw) as StoredSubscription);
  };
  const writeSubscription = async (stored: StoredSubscription) => {
    const name = subscriptionName(stored.chatId, stored.threadId);
    const multi = redis.multi().set(key("s", name), JSON.stringify(stored)).sadd(key("s", "ids"), name);
    if (stored.threadId != null) multi.sadd(key("st", stored.chatId), stored.threadId);
    if (stored.chatKind === "channel" && stored.createdBy !== null) multi.sadd(key("s", "by", stored.createdBy), stored.chatId);
    if (stored.status === "active") multi.zadd(key("s", "due"), stored.nextCheckAt, name);
    else multi.zrem(key("s", "due"), name);
    await multi.exec();
  };
  /** The chat's language is every one of its subscriptions' language: its own and each topic's. */
  const setSubscriptionLanguage = async (chatId: number, language: Locale, script: Script) => {
    const threads = (await redis.smembers(key("st", chatId))).map(Number);
    for (const threadId of [null, ...threads]) {
      const stored = await readSubscription(chatId, threadId);
      if (stored) await writeSubscription({ ...stored, language, script });
    }
  };

  /**
   * The oldest due time among queued deliveries. Pending ones are ordered by next attempt, not by due time, so this
   * reads the first OLDEST_SAMPLE of them and those being sent: a delivery retried for long can be missed, and the
   * figure is then a little young.
   */
  const oldestQueued = async (): Promise<Date | null> => {
    const ids = [
      ...(await redis.zrange(key("d", "pending"), 0, OLDEST_SAMPLE - 1)),
      ...(await redis.srandmember(key("d", "sending"), OLDEST_SAMPLE)),
    ];
    if (ids.length === 0) return null;
    const raws = await redis.mget(ids.map((id) => key("d", id)));
    const due = raws.filter((raw): raw is string => raw !== null).map((raw) => (JSON.parse(raw) as StoredDelivery).dueAt);
    return due.length === 0 ? null : new Date(Math.min(...due));
  };

  const store: Store = {
    getUser: readUser,
    async touchUser(userId) {
      await redis.hsetnx(key("u", userId), "firstSeenAt", now().toISOString());
      return (await readUser(userId))!;
    },
    async setUserLanguage(userId, language, script = "cyrl") {
      await redis.multi().hsetnx(key("u", userId), "firstSeenAt", now().toISOString()).hset(key("u", userId), { language, script }).exec();
      await setSubscriptionLanguage(userId, language, script);
    },
    getChat: readChat,
    async touchChat(chat) {
      const fields: Record<string, string> = { kind: chat.kind };
      if (chat.title !== null) fields.title = chat.title;
      await redis.multi().hsetnx(key("c", chat.id), "firstSeenAt", now().toISOString()).hset(key("c", chat.id), fields).exec();
      return (await readChat(chat.id))!;
    },
    async setChatLanguage(chatId, language, script = "cyrl") {
      if ((await redis.exists(key("c", chatId))) === 0) return;
      await redis.hset(key("c", chatId), { language, script });
      if (chatId < 0) await setSubscriptionLanguage(chatId, language, script);
    },

    async getSubscription(chatId, threadId) {
      const stored = await readSubscription(chatId, threadId);
      return stored && toSubscription(stored);
    },
    async channelSubscriptionsOf(userId) {
      const ids = (await redis.smembers(key("s", "by", userId))).map(Number).sort((a, b) => a - b);
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map((id) => key("s", id)));
      return raws
        .filter((raw): raw is string => raw !== null)
        .map((raw) => JSON.parse(raw) as StoredSubscription)
        .filter((stored) => stored.chatKind === "channel" && stored.createdBy === userId)
        .map(toSubscription);
    },
    async saveSubscription(subscription) {
      const at = now().getTime();
      const threadId = subscription.threadId ?? null;
      const existing = await readSubscription(subscription.chatId, threadId);
      const schedule = {
        ...subscription.schedule,
        weekday: subscription.schedule.frequency === "weekly" ? subscription.schedule.weekday : null,
      };
      const stored: StoredSubscription = {
        chatId: subscription.chatId,
        threadId,
        chatKind: subscription.chatKind,
        language: subscription.language,
        script: subscription.script ?? "cyrl",
        schedule,
        sectors: subscription.sectors,
        silent: subscription.silent ?? silentByDefault(subscription.chatKind),
        status: "active",
        stopReason: null,
        activeSince: existing?.status === "active" ? existing.activeSince : at,
        nextCheckAt: at,
        lastPeriod: existing?.lastPeriod ?? null,
        contentMark: existing?.contentMark ?? null,
        createdBy: subscription.createdBy,
      };
      await writeSubscription(stored);
      return toSubscription(stored);
    },
    async updateSubscription(chatId, change, threadId) {
      const existing = await readSubscription(chatId, threadId);
      if (!existing) return undefined;
      const schedule = change.schedule ?? existing.schedule;
      const stored: StoredSubscription = {
        ...existing,
        language: change.language ?? existing.language,
        script: change.script ?? scriptOf(existing.script),
        schedule: { ...schedule, weekday: schedule.frequency === "weekly" ? schedule.weekday : null },
        sectors: change.sectors === undefined ? existing.sectors : change.sectors,
        silent: change.silent ?? existing.silent ?? false,
        nextCheckAt: now().getTime(),
      };
      await writeSubscription(stored);
      return toSubscription(stored);
    },
    async pauseSubscription(chatId, threadId) {
      const existing = await readSubscription(chatId, threadId);
      if (existing?.status === "active") await writeSubscription({ ...existing, status: "paused" });
    },
    async resumeSubscription(chatId, threadId) {
      const existing = await readSubscription(chatId, threadId);
      if (!existing || existing.status === "active") return;
      const at = now().getTime();
      await writeSubscription({ ...existing, status: "active", stopReason: null, activeSince: at, nextCheckAt: at });
    },
    async stopSubscription(chatId, reason: StopReason, threadId) {
      await run("stop", subscriptionName(chatId, threadId), reason, now().getTime());
    },
    async stopChat(chatId, reason) {
      return Number(await run("stopChat", chatId, reason, now().getTime()));
    },
    async moveChat(fromChatId, toChatId) {
      await run("move", fromChatId, toChatId);
    },

    async dueSubscriptions(at, limit) {
      const ids = await redis.zrangebyscore(key("s", "due"), "-inf", at.getTime(), "LIMIT", 0, limit);
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map((id) => key("s", id)));
      return raws.filter((raw): raw is string => raw !== null).map((raw) => toSubscription(JSON.parse(raw) as StoredSubscription));
    },
    async recordDecisions(decisions: readonly ChatDecision[]) {
      const at = now().getTime();
      const pipeline = redis.pipeline();
      for (const { chatId, threadId, deliver, nextCheckAt } of decisions) {
        const period: Period | undefined = deliver;
        (pipeline as unknown as Record<string, (...a: (string | number)[]) => unknown>).recordDecision!(
          prefix,
          chatId,
          threadId ?? "",
          period?.key ?? "",
          period?.dueAt.getTime() ?? 0,
          nextCheckAt.getTime(),
          at,
        );
      }
      await pipeline.exec();
    },

    async requeueInterrupted() {
      return Number(await run("requeue"));
    },
    async claimDeliveries(at, limit) {
      return (JSON.parse(String(await run("claim", at.getTime(), limit))) as Delivery[]).map(claimed);
    },
    async claimDeliveryFor(chatId, period, at, threadId) {
      const raw = String(await run("claimFor", chatId, threadId ?? "", period, at.getTime()));
      return raw === "" ? undefined : claimed(JSON.parse(raw) as Delivery);
    },
    async firstSightOfUpdate(updateId) {
      return (await redis.set(key("update", updateId), "1", "EX", UPDATE_MEMORY_SECONDS, "NX")) === "OK";
    },
    async pendingDeliveries(before, limit) {
      const ids = await redis.zrangebyscore(key("d", "pending"), "-inf", before.getTime(), "LIMIT", 0, limit);
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map((id) => key("d", id)));
      return raws
        .filter((raw): raw is string => raw !== null)
        .map((raw) => JSON.parse(raw) as StoredDelivery)
        .map((delivery) => ({ chatId: delivery.chatId, threadId: delivery.threadId ?? null, period: delivery.period }));
    },
    async markSent(deliveryId, messageId, contentMark) {
      await run("markSent", deliveryId, messageId, contentMark, now().getTime());
    },
    async markEmpty(deliveryId) {
      await run("finish", deliveryId, "empty", "", now().getTime());
    },
    async putBack(deliveryId, nextAttemptAt, error) {
      // The claim counted an attempt: taken back.
      await run("retry", deliveryId, nextAttemptAt.getTime(), error, 0);
    },
    async markAttemptFailed(deliveryId, retryAt, error) {
      await run("retry", deliveryId, retryAt.getTime(), error, 1);
    },
    async markFailed(deliveryId, error) {
      await run("finish", deliveryId, "failed", error, now().getTime());
    },
    async markDropped(deliveryId, reason, error) {
      return ((await run("drop", deliveryId, reason, error, now().getTime())) as number) > 0;
    },

    async stats(since: Date): Promise<Stats> {
      const ids = await redis.smembers(key("s", "ids"));
      const counts = new Map<string, Stats["subscribers"][number]>();
      for (let start = 0; start < ids.length; start += 500) {
        const raws = await redis.mget(ids.slice(start, start + 500).map((id) => key("s", id)));
        for (const raw of raws) {
          if (raw === null) continue;
          const { language, schedule, status } = JSON.parse(raw) as StoredSubscription;
          const group = `${language}|${schedule.frequency}|${status}`;
          const entry = counts.get(group) ?? { language, frequency: schedule.frequency, status, count: 0 };
          entry.count++;
          counts.set(group, entry);
        }
      }
      const deliveries: Stats["deliveries"] = { pending: 0, sending: 0, sent: 0, empty: 0, failed: 0, dropped: 0 };
      for (const status of ["sent", "empty", "failed", "dropped"] as const) {
        deliveries[status] = await redis.zcount(key("d", "done", status), since.getTime(), "+inf");
      }
      const queued = (await redis.zcard(key("d", "pending"))) + (await redis.scard(key("d", "sending")));
      const oldestQueuedAt = await oldestQueued();
      const order = (entry: Stats["subscribers"][number]) => `${entry.language}|${entry.frequency}|${entry.status}`;
      return { subscribers: [...counts.values()].sort((a, b) => order(a).localeCompare(order(b))), deliveries, queued, oldestQueuedAt };
    },
    async healthy() {
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    keyValue: {
      get: async (name) => (await redis.get(key("kv", name))) ?? undefined,
      set: async (name, value) => void (await redis.set(key("kv", name), value)),
      delete: async (name) => void (await redis.del(key("kv", name))),
    },
    async close() {
      if (redis.status !== "end") await redis.quit().catch(() => redis.disconnect());
    },
  };
  return store;
}
