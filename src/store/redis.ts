import { Redis, type ClientContext, type Result } from "ioredis";
import { StoreOpenError } from "./errors.js";
import type { Locale, Script } from "../shared/locale.js";
import type { Period, Schedule } from "../shared/schedule.js";
import type {
  ReleasedHeld,
  DeliveryClaimNames,
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
import { HOLDER_STOPPED, silentByDefault } from "./types.js";

/**
 * The Store contract on Redis, for several bot instances sharing one state. Every change that reads before it writes,
 * or touches more than one key, runs as one Lua script, so it is atomic across instances as a SQLite statement or
 * transaction is within one (decision 0023). A change writes only the fields it changes: two instances changing
 * different settings of one subscription at once keep both. A stopped subscription stays stopped whatever pause or
 * settings change meets it (stop wins): a pause takes only an active subscription, a settings change never touches
 * the status, and only a resume or a new subscription (a person's explicit restart) makes it active again.
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

/** Data stored by older versions is brought to this shape once, at open (SCHEMA_UPGRADES). */
type StoredSubscription = Omit<Subscription, "activeSince" | "nextCheckAt"> & { activeSince: number; nextCheckAt: number };
type StoredDelivery = {
  id: number;
  chatId: number;
  threadId: number | null;
  period: string;
  dueAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  error: string | null;
  messageId: number | null;
  finishedAt: number | null;
  /** The queue's job that claimed it (Store.claimDeliveriesFor); absent when claimed otherwise, or before holders were kept. */
  holder?: string;
};

/** The name of a subscription in keys and sets: the chat, and the thread for a forum topic. */
const subscriptionName = (chatId: number | string, threadId: number | null | undefined) =>
  threadId === null || threadId === undefined ? String(chatId) : `${chatId}:${threadId}`;

const toSubscription = (stored: StoredSubscription): Subscription => ({
  ...stored,
  activeSince: new Date(stored.activeSince),
  nextCheckAt: new Date(stored.nextCheckAt),
});

/** A weekday only for a weekly schedule. */
const normalSchedule = (schedule: Schedule): Schedule => ({
  ...schedule,
  weekday: schedule.frequency === "weekly" ? schedule.weekday : null,
});

/**
 * Lua shared by the scripts: JSON helpers that keep nulls and empty lists, a chat's subscriptions, and claiming,
 * finishing or stopping in one place. cjson writes an empty Lua table as {}, so an empty sector list is written as []
 * by encode.
 */
const LUA_PRELUDE = `
local P = ARGV[1]
local EMPTY_LIST = '#an empty list#'
local function encode(value)
  if type(value.sectors) ~= 'table' or next(value.sectors) ~= nil then return cjson.encode(value) end
  local list = value.sectors
  value.sectors = EMPTY_LIST
  local raw = string.gsub(cjson.encode(value), '"sectors":"' .. EMPTY_LIST .. '"', '"sectors":[]')
  value.sectors = list
  return raw
end
local function getjson(key) local raw = redis.call('GET', key); if raw then return cjson.decode(raw) end; return nil end
local function setjson(key, value) redis.call('SET', key, encode(value)) end
local function isthread(thread) return thread ~= nil and thread ~= cjson.null and thread ~= '' end
local function subname(chat, thread) if isthread(thread) then return chat .. ':' .. thread end; return chat end
-- The names of a chat's subscriptions: its own and each forum topic's.
local function chatsubs(chat)
  local subs = { chat }
  for _, thread in ipairs(redis.call('SMEMBERS', P .. 'st:' .. chat)) do table.insert(subs, chat .. ':' .. thread) end
  return subs
end
local function finish(id, status, err, now)
  local d = getjson(P .. 'd:' .. id); if not d then return nil end
  redis.call('ZREM', P .. 'd:pending', id); redis.call('SREM', P .. 'd:sending', id)
  d.status = status; d.finishedAt = now; if err then d.error = err end
  setjson(P .. 'd:' .. id, d); redis.call('ZADD', P .. 'd:done:' .. status, now, id)
  return d
end
-- Delivery d (its id) back in the queue, due at time at: any job's to take.
local function topending(id, d, at)
  redis.call('SREM', P .. 'd:sending', id)
  d.status = 'pending'; d.nextAttemptAt = at
  setjson(P .. 'd:' .. id, d); redis.call('ZADD', P .. 'd:pending', at, id)
end
-- Takes delivery d (its id) for holder (nil: none) as the JSON of a claimed delivery; or, when its subscription is gone
-- or no longer active, drops it (not wanted any more) and gives nil.
local function claimone(id, d, holder, now)
  local s = getjson(P .. 's:' .. subname(d.chatId, d.threadId))
  if not s or s.status ~= 'active' then
    finish(id, 'dropped', s and ('subscription ' .. s.status) or 'subscription gone', now)
    return nil
  end
  redis.call('ZREM', P .. 'd:pending', id); redis.call('SADD', P .. 'd:sending', id)
  d.status = 'sending'; d.attempts = d.attempts + 1; d.holder = holder; setjson(P .. 'd:' .. id, d)
  return encode({ id = d.id, chatId = d.chatId, threadId = d.threadId, period = d.period, attempts = d.attempts,
    language = s.language, script = s.script, sectors = s.sectors, contentMark = s.contentMark, silent = s.silent,
    chatKind = s.chatKind })
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
  for _, sub in ipairs(chatsubs(chat)) do
    local s = getjson(P .. 's:' .. sub)
    if s and s.status ~= 'stopped' then stopped = stopped + stop(sub, reason, now) end
  end
  return stopped
end
`;

const SCRIPTS = {
  /**
   * ARGV: prefix, chatId, thread|"", the new subscription's settings as JSON, now → the subscription as JSON. Active
   * from now (since its start when it was active already); what the digest run recorded (last period, content mark)
   * stays.
   */
  saveSubscription: `${LUA_PRELUDE}
local chat, thread, now = ARGV[2], ARGV[3], tonumber(ARGV[5])
local sub = subname(chat, thread)
local was = getjson(P .. 's:' .. sub)
local s = cjson.decode(ARGV[4])
s.status = 'active'; s.stopReason = cjson.null; s.nextCheckAt = now
s.activeSince = (was and was.status == 'active') and was.activeSince or now
s.lastPeriod = was and was.lastPeriod or cjson.null
s.contentMark = was and was.contentMark or cjson.null
setjson(P .. 's:' .. sub, s)
redis.call('SADD', P .. 's:ids', sub); redis.call('ZADD', P .. 's:due', now, sub)
if isthread(thread) then redis.call('SADD', P .. 'st:' .. chat, thread) end
if s.chatKind == 'channel' and s.createdBy ~= cjson.null then redis.call('SADD', P .. 's:by:' .. tostring(s.createdBy), chat) end
return encode(s)`,
  /**
   * ARGV: prefix, subscription name, the change as JSON (only the fields it changes), now → the subscription as JSON,
   * or "" when there is none. Checked again at the next tick; the status is not the change's to touch.
   */
  updateSubscription: `${LUA_PRELUDE}
local sub, now = ARGV[2], tonumber(ARGV[4])
local s = getjson(P .. 's:' .. sub); if not s then return '' end
local change = cjson.decode(ARGV[3])
for _, field in ipairs({ 'language', 'script', 'schedule', 'sectors', 'silent' }) do
  if change[field] ~= nil then s[field] = change[field] end
end
s.nextCheckAt = now; setjson(P .. 's:' .. sub, s)
if s.status == 'active' then redis.call('ZADD', P .. 's:due', now, sub) end
return encode(s)`,
  /** ARGV: prefix, subscription name. Only an active subscription pauses: a stopped one stays stopped. */
  pause: `${LUA_PRELUDE}
local s = getjson(P .. 's:' .. ARGV[2]); if not s or s.status ~= 'active' then return 0 end
s.status = 'paused'; setjson(P .. 's:' .. ARGV[2], s); redis.call('ZREM', P .. 's:due', ARGV[2])
return 1`,
  /** ARGV: prefix, subscription name, now. A paused or stopped subscription is active again from now. */
  resume: `${LUA_PRELUDE}
local sub, now = ARGV[2], tonumber(ARGV[3])
local s = getjson(P .. 's:' .. sub); if not s or s.status == 'active' then return 0 end
s.status = 'active'; s.stopReason = cjson.null; s.activeSince = now; s.nextCheckAt = now
setjson(P .. 's:' .. sub, s); redis.call('ZADD', P .. 's:due', now, sub)
return 1`,
  /**
   * ARGV: prefix, "u"|"c", id, language, script, first seen (ISO), subscriptions too (1|0). A person is recorded when
   * unknown, a chat only changed when known; every subscription of the chat (its own, each topic's) follows.
   */
  setLanguage: `${LUA_PRELUDE}
local hash = P .. ARGV[2] .. ':' .. ARGV[3]
if ARGV[2] == 'u' then redis.call('HSETNX', hash, 'firstSeenAt', ARGV[6]) end
if redis.call('EXISTS', hash) == 1 then redis.call('HSET', hash, 'language', ARGV[4], 'script', ARGV[5]) end
if ARGV[7] == '1' then
  for _, sub in ipairs(chatsubs(ARGV[3])) do
    local s = getjson(P .. 's:' .. sub)
    if s then s.language = ARGV[4]; s.script = ARGV[5]; setjson(P .. 's:' .. sub, s) end
  end
end
return 1`,
  /**
   * ARGV: prefix, now, held until|"", then five for each decision of a tick's page: chatId, thread|"", periodKey|"",
   * dueAt, nextCheckAt. One call a page, not one a decision: a call costs Redis and the tick more than a decision's own
   * work. A new instant delivery ("i…") finishes the subscription's older instant deliveries still pending as empty: it
   * covers everything they would have said. With a hold, the next check is written only while the subscription is
   * still due at it (see Store.recordDecisions).
   */
  recordDecisions: `${LUA_PRELUDE}
local now, held = tonumber(ARGV[2]), tonumber(ARGV[3])
local function record(chat, thread, period, dueAt, nextCheckAt)
  local sub = subname(chat, thread)
  local s = getjson(P .. 's:' .. sub); if not s then return end
  if period ~= '' then
    local unique = P .. 'dk:' .. sub .. ':' .. period
    if redis.call('SET', unique, '0', 'NX') then
      if string.sub(period, 1, 1) == 'i' then
        for _, older in ipairs(redis.call('SMEMBERS', P .. 'dc:' .. sub)) do
          local d = getjson(P .. 'd:' .. older)
          if d and d.status == 'pending' and string.sub(d.period, 1, 1) == 'i' then
            finish(older, 'empty', 'superseded by a newer instant digest', now)
          end
        end
      end
      local id = redis.call('INCR', P .. 'd:seq')
      redis.call('SET', unique, id)
      setjson(P .. 'd:' .. id, { id = id, chatId = tonumber(chat), threadId = isthread(thread) and tonumber(thread) or cjson.null,
        period = period, dueAt = tonumber(dueAt), status = 'pending', attempts = 0, nextAttemptAt = now,
        error = cjson.null, messageId = cjson.null, finishedAt = cjson.null })
      redis.call('ZADD', P .. 'd:pending', now, id)
      redis.call('SADD', P .. 'dc:' .. sub, id)
    end
    s.lastPeriod = period
  end
  if held == nil or tonumber(redis.call('ZSCORE', P .. 's:due', sub)) == held then
    s.nextCheckAt = tonumber(nextCheckAt)
    if s.status == 'active' then redis.call('ZADD', P .. 's:due', nextCheckAt, sub) end
  end
  setjson(P .. 's:' .. sub, s)
end
for i = 4, #ARGV, 5 do record(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]) end
return 1`,
  /**
   * ARGV: prefix, now, limit, held until → the subscriptions (JSON each) due at now, earliest first, up to limit; each is
   * due next at "held until" (see Store.takeDueSubscriptions). A due entry whose subscription is gone leaves the due
   * set: held, it would come back at every tick.
   */
  takeDue: `
local P, held = ARGV[1], ARGV[4]
local page = {}
for _, sub in ipairs(redis.call('ZRANGEBYSCORE', P .. 's:due', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local raw = redis.call('GET', P .. 's:' .. sub)
  if raw then
    redis.call('ZADD', P .. 's:due', held, sub)
    table.insert(page, raw)
  else
    redis.call('ZREM', P .. 's:due', sub)
  end
end
return page`,
  /** ARGV: prefix, now, limit → JSON list of claimed deliveries */
  claim: `${LUA_PRELUDE}
local now = tonumber(ARGV[2])
local claimed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'd:pending', '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))) do
  local d = getjson(P .. 'd:' .. id)
  -- A pending entry whose record is gone leaves the queue: kept, it would come back at every claim.
  if not d then redis.call('ZREM', P .. 'd:pending', id) end
  local claimed1 = d and claimone(id, d, nil, now)
  if claimed1 then table.insert(claimed, claimed1) end
end
return '[' .. table.concat(claimed, ',') .. ']'`,
  /**
   * ARGV: prefix, now, holder, then chatId, thread|"", period for each delivery → JSON list of those claimed. A sending
   * delivery is taken only by its holder (or by any, if it has none: claimed before holders were kept).
   */
  claimFor: `${LUA_PRELUDE}
local now, holder = tonumber(ARGV[2]), ARGV[3]
local claimed = {}
for i = 4, #ARGV, 3 do
  local sub = subname(ARGV[i], ARGV[i + 1])
  local id = redis.call('GET', P .. 'dk:' .. sub .. ':' .. ARGV[i + 2])
  local d = id and getjson(P .. 'd:' .. id)
  local open = d and (d.status == 'pending' or (d.status == 'sending' and (not d.holder or d.holder == holder)))
  local claimed1 = open and claimone(id, d, holder, now)
  if claimed1 then table.insert(claimed, claimed1) end
end
return '[' .. table.concat(claimed, ',') .. ']'`,
  /**
   * ARGV: prefix, at, holder, maxAttempts, error, then delivery ids → JSON { released, failed } of those still sending
   * under holder: failed for good at maxAttempts claims, else put back.
   */
  releaseHeld: `${LUA_PRELUDE}
local at, holder, maxAttempts = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local released, failed = {}, {}
for i = 6, #ARGV do
  local d = getjson(P .. 'd:' .. ARGV[i])
  if d and d.status == 'sending' and d.holder == holder then
    if d.attempts >= maxAttempts then
      finish(ARGV[i], 'failed', ARGV[5], at)
      table.insert(failed, d.id)
    else
      d.holder = nil; topending(ARGV[i], d, at)
      table.insert(released, d.id)
    end
  end
end
return '{"released":[' .. table.concat(released, ',') .. '],"failed":[' .. table.concat(failed, ',') .. ']}'`,
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
local d = getjson(P .. 'd:' .. ARGV[2]); if not d or d.status ~= 'sending' then return 0 end
d.error = ARGV[4]
if ARGV[5] == '0' then d.attempts = d.attempts - 1 end
topending(ARGV[2], d, tonumber(ARGV[3]))
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
  if d then topending(id, d, d.nextAttemptAt) else redis.call('SREM', P .. 'd:sending', id) end
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
  /**
   * Schema upgrade 1, ARGV: prefix, subscription names…: a subscription stored before scripts reads Cyrillic; before
   * topics and silent digests, it has no thread and its sound; a channel's is listed under the person who set it up.
   */
  upgradeSubscriptions: `${LUA_PRELUDE}
for i = 2, #ARGV do
  local s = getjson(P .. 's:' .. ARGV[i])
  if s then
    if s.script ~= 'latn' then s.script = 'cyrl' end
    if s.threadId == nil then s.threadId = cjson.null end
    if s.silent == nil then s.silent = false end
    setjson(P .. 's:' .. ARGV[i], s)
    if s.chatKind == 'channel' and s.createdBy ~= nil and s.createdBy ~= cjson.null then
      redis.call('SADD', P .. 's:by:' .. tostring(s.createdBy), tostring(s.chatId))
    end
  end
end
return 1`,
  /** Schema upgrade 1, ARGV: prefix, delivery ids…: a delivery stored before topics has no thread. */
  upgradeDeliveries: `${LUA_PRELUDE}
for i = 2, #ARGV do
  local d = getjson(P .. 'd:' .. ARGV[i])
  if d and d.threadId == nil then d.threadId = cjson.null; setjson(P .. 'd:' .. ARGV[i], d) end
end
return 1`,
  /** ARGV: prefix, version. The stored schema version only goes up (instances opening at once upgrade alike). */
  raiseSchema: `${LUA_PRELUDE}
if tonumber(redis.call('GET', P .. 'schema') or '0') < tonumber(ARGV[2]) then redis.call('SET', P .. 'schema', ARGV[2]) end
return 1`,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Arg = string | number;

/** The scripts as commands of ioredis (defineCommand), on a connection and in a pipeline alike. */
declare module "ioredis" {
  // Only an interface merges with ioredis's own declaration.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface RedisCommander<Context extends ClientContext = { type: "default" }> {
    saveSubscription(prefix: string, chatId: number, thread: Arg, settings: string, now: number): Result<string, Context>;
    updateSubscription(prefix: string, subscription: string, change: string, now: number): Result<string, Context>;
    pause(prefix: string, subscription: string): Result<number, Context>;
    resume(prefix: string, subscription: string, now: number): Result<number, Context>;
    setLanguage(
      prefix: string,
      hash: "u" | "c",
      id: number,
      language: Locale,
      script: Script,
      firstSeenAt: string,
      subscriptions: 0 | 1,
    ): Result<number, Context>;
    recordDecisions(prefix: string, now: number, heldUntil: Arg, ...decisions: Arg[]): Result<number, Context>;
    takeDue(prefix: string, now: number, limit: number, heldUntil: number): Result<string[], Context>;
    claim(prefix: string, now: number, limit: number): Result<string, Context>;
    claimFor(prefix: string, now: number, holder: string, ...keys: Arg[]): Result<string, Context>;
    releaseHeld(prefix: string, at: number, holder: string, maxAttempts: number, error: string, ...ids: number[]): Result<string, Context>;
    markSent(prefix: string, id: number, messageId: number, contentMark: string, now: number): Result<number, Context>;
    finish(prefix: string, id: number, status: DeliveryStatus, error: string, now: number): Result<number, Context>;
    retry(prefix: string, id: number, nextAttemptAt: number, error: string, countsAsAttempt: 0 | 1): Result<number, Context>;
    drop(prefix: string, id: number, reason: StopReason, error: string, now: number): Result<number, Context>;
    stop(prefix: string, subscription: string, reason: StopReason, now: number): Result<number, Context>;
    stopChat(prefix: string, chatId: number, reason: StopReason, now: number): Result<number, Context>;
    requeue(prefix: string): Result<number, Context>;
    move(prefix: string, from: number, to: number): Result<number, Context>;
    upgradeSubscriptions(prefix: string, ...subscriptions: string[]): Result<number, Context>;
    upgradeDeliveries(prefix: string, ...ids: string[]): Result<number, Context>;
    raiseSchema(prefix: string, version: number): Result<number, Context>;
  }
}

/** Records read or changed at a time by a schema upgrade. */
const UPGRADE_BATCH = 500;

/**
 * Brings data stored by older versions to the shape this code reads, once, at open; the stored version ("schema")
 * says which upgrades ran, as SQLite's PRAGMA user_version does for its migrations. Append only: an upgrade that has
 * shipped is never edited. Each step is idempotent, record by record in a script, so that instances opening at once
 * and an instance already running meet only whole records. Instances of an older version are stopped before (they
 * would write old shapes again).
 */
const SCHEMA_UPGRADES: readonly ((redis: Redis, prefix: string) => Promise<void>)[] = [
  // 1: scripts, forum topics and silent digests. Users and chats read Cyrillic until they choose; subscriptions and
  // deliveries get their script, thread and sound (upgradeSubscriptions, upgradeDeliveries).
  async (redis, prefix) => {
    for (const hash of ["u", "c"]) {
      for await (const keys of redis.scanStream({ match: `${prefix}${hash}:*`, type: "hash", count: 1000 })) {
        const pipeline = redis.pipeline();
        for (const key of keys as string[]) pipeline.hsetnx(key, "script", "cyrl");
        await pipeline.exec();
      }
    }
    const names = await redis.smembers(`${prefix}s:ids`);
    for (let start = 0; start < names.length; start += UPGRADE_BATCH) {
      await redis.upgradeSubscriptions(prefix, ...names.slice(start, start + UPGRADE_BATCH));
    }
    const last = Number((await redis.get(`${prefix}d:seq`)) ?? 0);
    for (let first = 1; first <= last; first += UPGRADE_BATCH) {
      const ids = Array.from({ length: Math.min(UPGRADE_BATCH, last - first + 1) }, (_, index) => String(first + index));
      await redis.upgradeDeliveries(prefix, ...ids);
    }
  },
];

/** The schema version this code reads. */
export const REDIS_SCHEMA_VERSION = SCHEMA_UPGRADES.length;

async function upgradeSchema(redis: Redis, prefix: string): Promise<void> {
  const stored = Number((await redis.get(`${prefix}schema`)) ?? 0);
  for (let version = stored; version < SCHEMA_UPGRADES.length; version++) {
    await SCHEMA_UPGRADES[version]!(redis, prefix);
    await redis.raiseSchema(prefix, version + 1);
  }
}

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

/** What every part of the store works with: the connection (scripts defined), the key prefix and the clock. */
type Engine = { redis: Redis; prefix: string; now: () => Date; key: (...parts: (string | number)[]) => string };

/** The subscriptions stored under the given names, skipping those gone since the names were read. */
async function readSubscriptions({ redis, key }: Engine, names: (string | number)[]): Promise<StoredSubscription[]> {
  if (names.length === 0) return [];
  const raws = await redis.mget(names.map((name) => key("s", name)));
  return raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as StoredSubscription);
}

/** The deliveries stored under the given ids, skipping those gone since the ids were read. */
async function readDeliveries({ redis, key }: Engine, ids: readonly string[]): Promise<StoredDelivery[]> {
  if (ids.length === 0) return [];
  const raws = await redis.mget(ids.map((id) => key("d", id)));
  return raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as StoredDelivery);
}

const parsedSubscription = (raw: string) => (raw === "" ? undefined : toSubscription(JSON.parse(raw) as StoredSubscription));

/** People and chats, and the language and script their digests follow. */
function userAndChatPart({
  redis,
  prefix,
  now,
  key,
}: Engine): Pick<Store, "getUser" | "touchUser" | "setUserLanguage" | "getChat" | "touchChat" | "setChatLanguage"> {
  const readUser = async (userId: number): Promise<UserRecord | undefined> => {
    const fields = await redis.hgetall(key("u", userId));
    if (!fields.firstSeenAt) return undefined;
    return {
      id: userId,
      language: (fields.language as Locale | undefined) ?? null,
      script: fields.script as Script,
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
      script: fields.script as Script,
      firstSeenAt: fields.firstSeenAt,
    };
  };
  return {
    getUser: readUser,
    async touchUser(userId) {
      await redis.multi().hsetnx(key("u", userId), "firstSeenAt", now().toISOString()).hsetnx(key("u", userId), "script", "cyrl").exec();
      return (await readUser(userId))!;
    },
    async setUserLanguage(userId, language, script = "cyrl") {
      // A person's private chat has the person's id: their digest follows their language and script.
      await redis.setLanguage(prefix, "u", userId, language, script, now().toISOString(), 1);
    },
    getChat: readChat,
    async touchChat(chat) {
      const fields: Record<string, string> = { kind: chat.kind };
      if (chat.title !== null) fields.title = chat.title;
      await redis
        .multi()
        .hsetnx(key("c", chat.id), "firstSeenAt", now().toISOString())
        .hsetnx(key("c", chat.id), "script", "cyrl")
        .hset(key("c", chat.id), fields)
        .exec();
      return (await readChat(chat.id))!;
    },
    async setChatLanguage(chatId, language, script = "cyrl") {
      await redis.setLanguage(prefix, "c", chatId, language, script, now().toISOString(), chatId < 0 ? 1 : 0);
    },
  };
}

/** Reading and writing a subscription's settings. */
function subscriptionSettingsPart(
  engine: Engine,
): Pick<Store, "getSubscription" | "channelSubscriptionsOf" | "saveSubscription" | "updateSubscription"> {
  const { redis, prefix, now, key } = engine;
  return {
    async getSubscription(chatId, threadId) {
      const raw = await redis.get(key("s", subscriptionName(chatId, threadId)));
      return raw === null ? undefined : toSubscription(JSON.parse(raw) as StoredSubscription);
    },
    async channelSubscriptionsOf(userId) {
      const ids = (await redis.smembers(key("s", "by", userId))).map(Number).sort((a, b) => a - b);
      return (await readSubscriptions(engine, ids))
        .filter((stored) => stored.chatKind === "channel" && stored.createdBy === userId)
        .map(toSubscription);
    },
    async saveSubscription(subscription) {
      const settings = {
        chatId: subscription.chatId,
        threadId: subscription.threadId ?? null,
        chatKind: subscription.chatKind,
        language: subscription.language,
        script: subscription.script ?? "cyrl",
        schedule: normalSchedule(subscription.schedule),
        sectors: subscription.sectors,
        silent: subscription.silent ?? silentByDefault(subscription.chatKind),
        createdBy: subscription.createdBy,
      };
      const { chatId, threadId } = subscription;
      const raw = await redis.saveSubscription(prefix, chatId, threadId ?? "", JSON.stringify(settings), now().getTime());
      return parsedSubscription(raw)!;
    },
    async updateSubscription(chatId, change, threadId) {
      const fields = { ...change, schedule: change.schedule && normalSchedule(change.schedule) };
      const raw = await redis.updateSubscription(prefix, subscriptionName(chatId, threadId), JSON.stringify(fields), now().getTime());
      return parsedSubscription(raw);
    },
  };
}

/** A subscription's status (paused, resumed, stopped, with the chat's) and its chat becoming a supergroup. */
function subscriptionStatusPart({
  redis,
  prefix,
  now,
}: Engine): Pick<Store, "pauseSubscription" | "resumeSubscription" | "stopSubscription" | "stopChat" | "moveChat"> {
  return {
    async pauseSubscription(chatId, threadId) {
      await redis.pause(prefix, subscriptionName(chatId, threadId));
    },
    async resumeSubscription(chatId, threadId) {
      await redis.resume(prefix, subscriptionName(chatId, threadId), now().getTime());
    },
    async stopSubscription(chatId, reason: StopReason, threadId) {
      await redis.stop(prefix, subscriptionName(chatId, threadId), reason, now().getTime());
    },
    async stopChat(chatId, reason) {
      return redis.stopChat(prefix, chatId, reason, now().getTime());
    },
    async moveChat(fromChatId, toChatId) {
      await redis.move(prefix, fromChatId, toChatId);
    },
  };
}

/** The digest run: which subscriptions are due, and recording what it decided for each. */
function decisionPart(engine: Engine): Pick<Store, "takeDueSubscriptions" | "recordDecisions"> {
  const { redis, prefix, now } = engine;
  return {
    async takeDueSubscriptions(at, limit, heldUntil) {
      const raws = await redis.takeDue(prefix, at.getTime(), limit, heldUntil.getTime());
      return raws.map((raw) => toSubscription(JSON.parse(raw) as StoredSubscription));
    },
    async recordDecisions(decisions: readonly ChatDecision[], heldUntil?: Date) {
      if (decisions.length === 0) return;
      const args = decisions.flatMap(({ chatId, threadId, deliver, nextCheckAt }): Arg[] => {
        const period: Period | undefined = deliver;
        return [chatId, threadId ?? "", period?.key ?? "", period?.dueAt.getTime() ?? 0, nextCheckAt.getTime()];
      });
      await redis.recordDecisions(prefix, now().getTime(), heldUntil?.getTime() ?? "", ...args);
    },
  };
}

/** Taking deliveries from the queue to send them, and the updates already seen. */
function claimPart(engine: Engine): Pick<Store, DeliveryClaimNames> {
  const { redis, prefix, key } = engine;
  return {
    async requeueInterrupted() {
      return redis.requeue(prefix);
    },
    async claimDeliveries(at, limit) {
      return JSON.parse(await redis.claim(prefix, at.getTime(), limit)) as Delivery[];
    },
    async claimDeliveriesFor(keys, holder, at) {
      if (keys.length === 0) return [];
      const args = keys.flatMap(({ chatId, threadId, period }) => [chatId, threadId ?? "", period]);
      return JSON.parse(await redis.claimFor(prefix, at.getTime(), holder, ...args)) as Delivery[];
    },
    async firstSightOfUpdate(updateId) {
      return (await redis.set(key("update", updateId), "1", "EX", UPDATE_MEMORY_SECONDS, "NX")) === "OK";
    },
    async pendingDeliveries(before, limit) {
      const ids = await redis.zrangebyscore(key("d", "pending"), "-inf", before.getTime(), "LIMIT", 0, limit);
      return (await readDeliveries(engine, ids)).map(({ chatId, threadId, period, nextAttemptAt }) => ({
        chatId,
        threadId,
        period,
        nextAttemptAt: new Date(nextAttemptAt),
      }));
    },
    async heldDeliveries(limit) {
      // Sending: the digests in flight and any a stopped job left, a few hundred at most; only a read.
      return (await readDeliveries(engine, await redis.smembers(key("d", "sending"))))
        .filter((delivery) => delivery.status === "sending" && delivery.holder !== undefined)
        .sort((a, b) => a.id - b.id)
        .slice(0, limit)
        .map(({ id, chatId, threadId, period, holder }) => ({ id, chatId, threadId, period, holder: holder! }));
    },
    async releaseHeld(deliveryIds, holder, { at, maxAttempts }) {
      if (deliveryIds.length === 0) return { released: [], failed: [] };
      return JSON.parse(await redis.releaseHeld(prefix, at.getTime(), holder, maxAttempts, HOLDER_STOPPED, ...deliveryIds)) as ReleasedHeld;
    },
  };
}

/** How a claimed delivery ends: sent, empty, put back, retried, failed or dropped (stopping what it was for). */
function outcomePart({
  redis,
  prefix,
  now,
}: Engine): Pick<Store, "markSent" | "markEmpty" | "putBack" | "markAttemptFailed" | "markFailed" | "markDropped"> {
  return {
    async markSent(deliveryId, messageId, contentMark) {
      await redis.markSent(prefix, deliveryId, messageId, contentMark, now().getTime());
    },
    async markEmpty(deliveryId) {
      await redis.finish(prefix, deliveryId, "empty", "", now().getTime());
    },
    async putBack(deliveryId, nextAttemptAt, error) {
      // The claim counted an attempt: taken back.
      await redis.retry(prefix, deliveryId, nextAttemptAt.getTime(), error, 0);
    },
    async markAttemptFailed(deliveryId, retryAt, error) {
      await redis.retry(prefix, deliveryId, retryAt.getTime(), error, 1);
    },
    async markFailed(deliveryId, error) {
      await redis.finish(prefix, deliveryId, "failed", error, now().getTime());
    },
    async markDropped(deliveryId, reason, error) {
      return (await redis.drop(prefix, deliveryId, reason, error, now().getTime())) > 0;
    },
  };
}

/** Subscriptions by language, frequency and status, read in batches of 500, in that order. */
async function subscriberCounts({ redis, key }: Engine): Promise<Stats["subscribers"]> {
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
  const order = (entry: Stats["subscribers"][number]) => `${entry.language}|${entry.frequency}|${entry.status}`;
  return [...counts.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

/**
 * The oldest due time among queued deliveries. Pending ones are ordered by next attempt, not by due time, so this
 * reads the first OLDEST_SAMPLE of them and those being sent: a delivery retried for long can be missed, and the
 * figure is then a little young.
 */
async function oldestQueued(engine: Engine): Promise<Date | null> {
  const { redis, key } = engine;
  const ids = [
    ...(await redis.zrange(key("d", "pending"), 0, OLDEST_SAMPLE - 1)),
    ...(await redis.srandmember(key("d", "sending"), OLDEST_SAMPLE)),
  ];
  const due = (await readDeliveries(engine, ids)).map((delivery) => delivery.dueAt);
  return due.length === 0 ? null : new Date(Math.min(...due));
}

/** The figures, the health check and closing. */
function operationsPart(engine: Engine): Pick<Store, "stats" | "healthy" | "close"> {
  const { redis, key } = engine;
  return {
    async stats(since: Date): Promise<Stats> {
      const subscribers = await subscriberCounts(engine);
      const deliveries: Stats["deliveries"] = { pending: 0, sending: 0, sent: 0, empty: 0, failed: 0, dropped: 0 };
      for (const status of ["sent", "empty", "failed", "dropped"] as const) {
        deliveries[status] = await redis.zcount(key("d", "done", status), since.getTime(), "+inf");
      }
      const queued = (await redis.zcard(key("d", "pending"))) + (await redis.scard(key("d", "sending")));
      const oldestQueuedAt = await oldestQueued(engine);
      return { subscribers, deliveries, queued, oldestQueuedAt };
    },
    async healthy() {
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async close() {
      if (redis.status !== "end") await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Plugin values (dialogue state) that survive restarts. */
function keyValuePart({ redis, key }: Engine): Store["keyValue"] {
  return {
    get: async (name) => (await redis.get(key("kv", name))) ?? undefined,
    set: async (name, value) => void (await redis.set(key("kv", name), value)),
    delete: async (name) => void (await redis.del(key("kv", name))),
  };
}

/**
 * Connects to Redis, defines the scripts and upgrades stored data. Anything that fails here is Redis at REDIS_URL (not
 * reachable, or its data not upgradable): it ends in a StoreOpenError naming it, the password left out.
 */
async function openConnection(options: RedisStoreOptions, prefix: string): Promise<Redis> {
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
  for (const [name, lua] of Object.entries(SCRIPTS) as [ScriptName, string][]) redis.defineCommand(name, { numberOfKeys: 0, lua });
  try {
    await upgradeSchema(redis, prefix);
  } catch (error) {
    redis.disconnect();
    throw new StoreOpenError(
      `Cannot upgrade the data in Redis at REDIS_URL (${withoutPassword(options.url)}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return redis;
}

/** The Store on Redis: its parts, each by concern, over one connection, the key prefix and the clock. */
export async function openRedisStore(options: RedisStoreOptions): Promise<Store> {
  const prefix = options.prefix ?? "vb:";
  const engine: Engine = {
    redis: await openConnection(options, prefix),
    prefix,
    now: options.now ?? (() => new Date()),
    key: (...parts) => prefix + parts.join(":"),
  };
  return {
    ...userAndChatPart(engine),
    ...subscriptionSettingsPart(engine),
    ...subscriptionStatusPart(engine),
    ...decisionPart(engine),
    ...claimPart(engine),
    ...outcomePart(engine),
    ...operationsPart(engine),
    keyValue: keyValuePart(engine),
  };
}
