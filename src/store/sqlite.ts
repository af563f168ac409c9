import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StoreOpenError } from "./errors.js";
import { boundedCache } from "../shared/bounded-cache.js";
import type { Locale, Script } from "../shared/locale.js";
import { isInstantPeriod, type Frequency } from "../shared/schedule.js";
import { MIGRATIONS } from "./migrations.js";
import { RecentIds } from "./recent-ids.js";
import type {
  DeliveryClaimNames,
  ReleasedHeld,
  ChatKind,
  ChatRecord,
  ChatDecision,
  Delivery,
  DeliveryKey,
  DeliveryStatus,
  ReadsAtOnce,
  Stats,
  Store,
  StopReason,
  Subscription,
  SubscriptionStatus,
  UserRecord,
} from "./types.js";
import { HOLDER_STOPPED, silentByDefault } from "./types.js";

type UserRow = { id: number; language: Locale | null; script: Script; first_seen_at: string };
type SubscriptionRow = {
  chat_id: number;
  thread_id: number;
  chat_kind: ChatKind;
  language: Locale;
  script: Script;
  frequency: Frequency;
  weekday: number | null;
  minute_of_day: number;
  timezone: string;
  sectors: string | null;
  silent: 0 | 1;
  status: SubscriptionStatus;
  stop_reason: StopReason | null;
  active_since: number;
  next_check_at: number;
  last_period: string | null;
  content_mark: string | null;
  created_by: number | null;
};
type DeliveryRow = {
  status: SubscriptionStatus;
  id: number;
  chat_id: number;
  thread_id: number;
  period: string;
  attempts: number;
  language: Locale;
  script: Script;
  sectors: string | null;
  content_mark: string | null;
  chat_kind: ChatKind;
  silent: 0 | 1;
};
type ChatRow = { id: number; kind: ChatKind; title: string | null; language: Locale | null; script: Script; first_seen_at: string };

const MAX_CACHED_USERS = 50_000;
const MAX_CACHED_SUBSCRIPTIONS = 10_000;
const MAX_CACHED_VALUES = 50_000;
/** thread_id of a subscription or delivery without a forum topic: a plain NOT NULL key column (see migration 5). */
const NO_THREAD = 0;
const threadColumn = (threadId: number | null | undefined) => threadId ?? NO_THREAD;
const threadOfColumn = (column: number) => (column === NO_THREAD ? null : column);
/** Topic reasons stop one topic's subscription; every other loss stops the whole chat. */
const isTopicReason = (reason: StopReason) => reason === "topic_closed" || reason === "topic_deleted";

/** Marks a key-value entry known to be absent: LRUCache cannot hold undefined (or null), and absence is cached too. */
const ABSENT = Symbol("absent");

export function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** The Store contract with plain return values: SQLite answers synchronously. */
type SyncStore = {
  [K in Exclude<keyof Store, "atOnce">]: Store[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => R
    : { [M in keyof Store[K]]: Store[K][M] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };
};

/** Presents a synchronous engine through the asynchronous Store contract. */
function withPromises(sync: SyncStore): Store {
  const store: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(sync)) {
    if (typeof member === "function") store[name] = async (...args: unknown[]) => (member as (...args: unknown[]) => unknown)(...args);
  }
  const { keyValue } = sync;
  store.keyValue = {
    get: async (key: string) => keyValue.get(key),
    set: async (key: string, value: string) => keyValue.set(key, value),
    delete: async (key: string) => keyValue.delete(key),
  };
  const atOnce: ReadsAtOnce = {
    firstSightOfUpdate: sync.firstSightOfUpdate,
    getUser: sync.getUser,
    getChat: sync.getChat,
    getSubscription: sync.getSubscription,
    keyValue: keyValue.get,
  };
  store.atOnce = atOnce;
  return store as unknown as Store;
}

/** What is wrong with the database file, in the words an operator needs, from what opening it threw. */
function openFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "SQLITE_NOTADB":
      return "the file is not a SQLite database";
    case "SQLITE_CANTOPEN":
      return "it cannot be opened (a folder in the way, or no permission to read it)";
    case "SQLITE_READONLY":
    case "SQLITE_PERM":
    case "EACCES":
    case "EPERM":
      return `no permission to write it (${detail})`;
    case "ENOTDIR":
    case "EEXIST":
      return `a file is in the way of its folder (${detail})`;
    default:
      return detail;
  }
}

/**
 * Opens the database, settings and migrations included. Anything that fails here is the file at DATABASE_PATH (not a
 * database, no permission, a folder in the way): it ends in a StoreOpenError naming both, and the file is not written
 * to (the first statement that reads the header fails before anything is changed).
 */
function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    // 4 MB of page cache (the driver's default is 16 MB): the working set of a bot is small, and memory matters more.
    db.pragma("cache_size = -4000");
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw new StoreOpenError(
      `Cannot open the SQLite database at DATABASE_PATH (${path}): ${openFailure(error)}\n` +
        "Check DATABASE_PATH: it names the database file, which is created when missing.",
    );
  }
}

/** The statements of users and chats (and the language their subscriptions follow). */
function prepareUserAndChatStatements(db: Database.Database) {
  return {
    getUser: db.prepare<[number], UserRow>("SELECT id, language, script, first_seen_at FROM users WHERE id = ?"),
    insertUser: db.prepare<[number, string]>("INSERT OR IGNORE INTO users (id, first_seen_at) VALUES (?, ?)"),
    setUserLanguage: db.prepare<[number, Locale, Script, string]>(
      `INSERT INTO users (id, language, script, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET language = excluded.language, script = excluded.script`,
    ),
    getChat: db.prepare<[number], ChatRow>("SELECT id, kind, title, language, script, first_seen_at FROM chats WHERE id = ?"),
    upsertChat: db.prepare<[number, ChatKind, string | null, string]>(
      `INSERT INTO chats (id, kind, title, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title`,
    ),
    setChatLanguage: db.prepare<[Locale, Script, number]>("UPDATE chats SET language = ?, script = ? WHERE id = ?"),
    setSubscriptionLanguage: db.prepare<[Locale, Script, number]>("UPDATE subscriptions SET language = ?, script = ? WHERE chat_id = ?"),
  };
}

/** The statements of subscriptions: their settings, status and chat. */
function prepareSubscriptionStatements(db: Database.Database) {
  return {
    getSubscription: db.prepare<[number, number], SubscriptionRow>("SELECT * FROM subscriptions WHERE chat_id = ? AND thread_id = ?"),
    channelSubscriptionsOf: db.prepare<[number], SubscriptionRow>(
      "SELECT * FROM subscriptions WHERE created_by = ? AND chat_kind = 'channel' ORDER BY chat_id",
    ),
    saveSubscription: db.prepare(
      `INSERT INTO subscriptions (chat_id, thread_id, chat_kind, language, script, frequency, weekday, minute_of_day, timezone, sectors,
         silent, status, stop_reason, active_since, next_check_at, created_by, created_at, updated_at)
       VALUES (@chatId, @threadId, @chatKind, @language, @script, @frequency, @weekday, @minuteOfDay, @timezone, @sectors,
         @silent, 'active', NULL, @now, @now, @createdBy, @now, @now)
       ON CONFLICT (chat_id, thread_id) DO UPDATE SET
         chat_kind = excluded.chat_kind, language = excluded.language, script = excluded.script, frequency = excluded.frequency,
         weekday = excluded.weekday, minute_of_day = excluded.minute_of_day, timezone = excluded.timezone,
         sectors = excluded.sectors, silent = excluded.silent, stop_reason = NULL, next_check_at = excluded.next_check_at,
         active_since = CASE WHEN status = 'active' THEN active_since ELSE excluded.active_since END,
         status = 'active', created_by = excluded.created_by, updated_at = excluded.updated_at`,
    ),
    // Only the fields the change gives (NULL: not changed; sectors, which may be NULL, say so in @setSectors), in one
    // statement, as the Redis store's script: two changes of different fields keep both, and the status is not theirs.
    updateSubscription: db.prepare<[Record<string, unknown>], SubscriptionRow>(
      `UPDATE subscriptions SET language = COALESCE(@language, language), script = COALESCE(@script, script),
         frequency = COALESCE(@frequency, frequency), weekday = CASE WHEN @frequency IS NULL THEN weekday ELSE @weekday END,
         minute_of_day = COALESCE(@minuteOfDay, minute_of_day), timezone = COALESCE(@timezone, timezone),
         sectors = CASE WHEN @setSectors = 1 THEN @sectors ELSE sectors END, silent = COALESCE(@silent, silent),
         next_check_at = @now, updated_at = @now
       WHERE chat_id = @chatId AND thread_id = @threadId
       RETURNING *`,
    ),
    pause: db.prepare<[number, number, number]>(
      "UPDATE subscriptions SET status = 'paused', updated_at = ? WHERE chat_id = ? AND thread_id = ? AND status = 'active'",
    ),
    resume: db.prepare<[number, number, number, number, number]>(
      `UPDATE subscriptions SET status = 'active', stop_reason = NULL, active_since = ?, next_check_at = ?, updated_at = ?
       WHERE chat_id = ? AND thread_id = ? AND status <> 'active'`,
    ),
    stop: db.prepare<[StopReason, number, number, number]>(
      "UPDATE subscriptions SET status = 'stopped', stop_reason = ?, updated_at = ? WHERE chat_id = ? AND thread_id = ?",
    ),
    cancelQueued: db.prepare<[number, number, number]>(
      "UPDATE deliveries SET status = 'dropped', finished_at = ? WHERE chat_id = ? AND thread_id = ? AND status IN ('pending', 'sending')",
    ),
    stopChat: db.prepare<[StopReason, number, number]>(
      "UPDATE subscriptions SET status = 'stopped', stop_reason = ?, updated_at = ? WHERE chat_id = ? AND status <> 'stopped'",
    ),
    cancelChatQueued: db.prepare<[number, number]>(
      "UPDATE deliveries SET status = 'dropped', finished_at = ? WHERE chat_id = ? AND status IN ('pending', 'sending')",
    ),
    moveSubscription: db.prepare<[number, number]>(
      "UPDATE OR IGNORE subscriptions SET chat_id = ?, chat_kind = 'supergroup' WHERE chat_id = ?",
    ),
    moveDeliveries: db.prepare<[number, number]>("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?"),
    moveChatLanguage: db.prepare<[number, number]>(
      `INSERT INTO chats (id, kind, title, language, script, first_seen_at)
         SELECT ?, 'supergroup', title, language, script, first_seen_at FROM chats WHERE id = ?
       ON CONFLICT (id) DO UPDATE SET language = COALESCE(chats.language, excluded.language),
         script = CASE WHEN chats.language IS NULL THEN excluded.script ELSE chats.script END`,
    ),
  };
}

/** The statements of the digest run: which subscriptions are due, and what it decided for each. */
function prepareDecisionStatements(db: Database.Database) {
  return {
    dueSubscriptions: db.prepare<[number, number], SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE status = 'active' AND next_check_at <= ?
       ORDER BY next_check_at, chat_id, thread_id LIMIT ?`,
    ),
    insertDelivery: db.prepare<[number, number, string, number, number, number]>(
      `INSERT OR IGNORE INTO deliveries (chat_id, thread_id, period, due_at, status, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
    ),
    // An instant digest covers everything since the chat's previous digest, so an older one still waiting adds
    // nothing: it is finished without a message rather than sent as well (one message per chat and change).
    supersedeInstant: db.prepare<[number, number, number, string]>(
      `UPDATE deliveries SET status = 'empty', error = 'superseded by a newer instant digest', finished_at = ?
       WHERE chat_id = ? AND thread_id = ? AND status = 'pending' AND period LIKE 'i%' AND period <> ?`,
    ),
    setLastPeriod: db.prepare<[string, number, number]>("UPDATE subscriptions SET last_period = ? WHERE chat_id = ? AND thread_id = ?"),
    setNextCheck: db.prepare<[number, number, number]>("UPDATE subscriptions SET next_check_at = ? WHERE chat_id = ? AND thread_id = ?"),
    setNextCheckIfHeld: db.prepare<[number, number, number, number]>(
      "UPDATE subscriptions SET next_check_at = ? WHERE chat_id = ? AND thread_id = ? AND next_check_at = ?",
    ),
  };
}

/** The statements of the delivery queue: claiming, finishing and retrying. */
function prepareDeliveryStatements(db: Database.Database) {
  return {
    requeue: db.prepare("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'"),
    claim: db.prepare<[number, number], { id: number }>(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, holder = NULL
       WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?)
       RETURNING id`,
    ),
    deliveryForSending: db.prepare<[number], DeliveryRow>(
      `SELECT d.id, d.chat_id, d.thread_id, d.period, d.attempts, s.language, s.script, s.sectors, s.content_mark, s.silent, s.status,
         s.chat_kind
       FROM deliveries d JOIN subscriptions s ON s.chat_id = d.chat_id AND s.thread_id = d.thread_id WHERE d.id = ?`,
    ),
    claimFor: db.prepare<[string, number, number, string, string], { id: number }>(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, holder = ?
       WHERE chat_id = ? AND thread_id = ? AND period = ?
         AND (status = 'pending' OR (status = 'sending' AND (holder IS NULL OR holder = ?))) RETURNING id`,
    ),
    pending: db.prepare<[number, number], { chat_id: number; thread_id: number; period: string; next_attempt_at: number }>(
      `SELECT chat_id, thread_id, period, next_attempt_at FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    held: db.prepare<[number], { id: number; chat_id: number; thread_id: number; period: string; holder: string }>(
      "SELECT id, chat_id, thread_id, period, holder FROM deliveries WHERE status = 'sending' AND holder IS NOT NULL ORDER BY id LIMIT ?",
    ),
    release: db.prepare<[number, number, string, number], { id: number }>(
      `UPDATE deliveries SET status = 'pending', holder = NULL, next_attempt_at = ?
       WHERE id = ? AND status = 'sending' AND holder = ? AND attempts < ? RETURNING id`,
    ),
    failHeld: db.prepare<[string, number, number, string, number], { id: number }>(
      `UPDATE deliveries SET status = 'failed', error = ?, finished_at = ?
       WHERE id = ? AND status = 'sending' AND holder = ? AND attempts >= ? RETURNING id`,
    ),
    finish: db.prepare<[DeliveryStatus, number | null, string | null, number, number]>(
      "UPDATE deliveries SET status = ?, message_id = ?, error = ?, finished_at = ? WHERE id = ?",
    ),
    setContentMark: db.prepare<[string, number]>(
      `UPDATE subscriptions SET content_mark = ?
       WHERE (chat_id, thread_id) = (SELECT chat_id, thread_id FROM deliveries WHERE id = ?)`,
    ),
    retry: db.prepare<[number, string, number, number]>(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, error = ?, attempts = attempts - ? WHERE id = ? AND status = 'sending'",
    ),
    chatOfDelivery: db.prepare<[number], { chat_id: number; thread_id: number }>("SELECT chat_id, thread_id FROM deliveries WHERE id = ?"),
  };
}

/** The statements of the figures and of the key-value table. */
function prepareStatsAndKeyValueStatements(db: Database.Database) {
  return {
    subscriberStats: db.prepare<[], { language: Locale; frequency: Frequency; status: SubscriptionStatus; count: number }>(
      `SELECT language, frequency, status, COUNT(*) AS count FROM subscriptions
       GROUP BY language, frequency, status ORDER BY language, frequency, status`,
    ),
    deliveryStats: db.prepare<[number], { status: DeliveryStatus; count: number }>(
      "SELECT status, COUNT(*) AS count FROM deliveries WHERE finished_at >= ? GROUP BY status",
    ),
    queued: db.prepare<[], { count: number; oldest: number | null }>(
      "SELECT COUNT(*) AS count, MIN(due_at) AS oldest FROM deliveries WHERE status IN ('pending', 'sending')",
    ),

    kvGet: db.prepare<[string], { value: string }>("SELECT value FROM kv WHERE key = ?"),
    kvSet: db.prepare<[string, string]>("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    kvDelete: db.prepare<[string]>("DELETE FROM kv WHERE key = ?"),
  };
}

/** Every statement of the store, prepared once at open; each that writes subscriptions counts its runs in `writes`. */
function prepareStatements(db: Database.Database, writes: SubscriptionWrites) {
  const statements = {
    ...prepareUserAndChatStatements(db),
    ...prepareSubscriptionStatements(db),
    ...prepareDecisionStatements(db),
    ...prepareDeliveryStatements(db),
    ...prepareStatsAndKeyValueStatements(db),
  };
  for (const statement of Object.values(statements)) {
    if (WRITES_SUBSCRIPTIONS.test(statement.source)) countRuns(statement, writes);
  }
  return statements;
}

/** Any statement that changes rows of subscriptions, whatever the rest of it does (the name quoted or not, in main or not). */
const WRITES_SUBSCRIPTIONS =
  /\b(?:UPDATE(?:\s+OR\s+\w+)?|INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+(?:["`[]?main["`\]]?\.)?["`[]?subscriptions\b/i;

/**
 * How many times subscriptions have been written. A subscription read is kept only while this count stays as it was
 * when it was read (subscriptionSettingsPart): this process is the only writer of its database, and every write goes
 * through a statement counted here, so a kept read is never older than the row.
 */
type SubscriptionWrites = { count: number };

/** Counts every run of a statement in `writes`, whichever way it is run (run, or get and all for RETURNING). */
function countRuns(statement: { run: unknown; get: unknown; all: unknown }, writes: SubscriptionWrites): void {
  for (const method of ["run", "get", "all"] as const) {
    const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
    Object.defineProperty(statement, method, {
      value: (...args: unknown[]) => {
        try {
          return original(...args);
        } finally {
          writes.count++;
        }
      },
    });
  }
}

type Statements = ReturnType<typeof prepareStatements>;

/** What every part of the store works with: the database, its statements, the count of subscription writes, the clock. */
type Engine = { db: Database.Database; statements: Statements; writes: SubscriptionWrites; now: () => Date };

const toUser = (row: UserRow): UserRecord => ({ id: row.id, language: row.language, script: row.script, firstSeenAt: row.first_seen_at });
const toChat = (row: ChatRow): ChatRecord => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  language: row.language,
  script: row.script,
  firstSeenAt: row.first_seen_at,
});
const toSubscription = (row: SubscriptionRow): Subscription => ({
  chatId: row.chat_id,
  threadId: threadOfColumn(row.thread_id),
  chatKind: row.chat_kind,
  language: row.language,
  script: row.script,
  schedule: { frequency: row.frequency, weekday: row.weekday, minuteOfDay: row.minute_of_day, timezone: row.timezone },
  sectors: row.sectors === null ? null : (JSON.parse(row.sectors) as string[]),
  status: row.status,
  stopReason: row.stop_reason,
  activeSince: new Date(row.active_since),
  nextCheckAt: new Date(row.next_check_at),
  lastPeriod: row.last_period,
  contentMark: row.content_mark,
  createdBy: row.created_by,
  silent: row.silent === 1,
});
/** A delivery row's key: its chat, topic and period. */
const keyOfRow = (row: { chat_id: number; thread_id: number; period: string }): Required<DeliveryKey> => ({
  chatId: row.chat_id,
  threadId: threadOfColumn(row.thread_id),
  period: row.period,
});
const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  ...keyOfRow(row),
  attempts: row.attempts,
  language: row.language,
  script: row.script,
  sectors: row.sectors === null ? null : (JSON.parse(row.sectors) as string[]),
  contentMark: row.content_mark,
  chatKind: row.chat_kind,
  silent: row.silent === 1,
});
const sectorsColumn = (sectors: string[] | null) => (sectors === null ? null : JSON.stringify(sectors));

/** People and chats, and the language and script their digests follow. */
function userAndChatPart({
  statements,
  now,
}: Engine): Pick<SyncStore, "getUser" | "touchUser" | "setUserLanguage" | "getChat" | "touchChat" | "setChatLanguage"> {
  // Every update reads its sender's language; this process is the only writer, so a bounded cache is safe. It drops
  // the least recently used entry when full, so the people of current updates stay cached.
  const users = boundedCache<number, UserRecord>(MAX_CACHED_USERS);
  const remember = (user: UserRecord) => {
    users.set(user.id, user);
    return user;
  };
  return {
    getUser(userId) {
      const cached = users.get(userId);
      if (cached) return cached;
      const row = statements.getUser.get(userId);
      return row && remember(toUser(row));
    },
    touchUser(userId) {
      statements.insertUser.run(userId, now().toISOString());
      return remember(toUser(statements.getUser.get(userId)!));
    },
    setUserLanguage(userId, language, script = "cyrl") {
      users.delete(userId);
      statements.setUserLanguage.run(userId, language, script, now().toISOString());
      // A person's private chat has the person's id: their digest follows their language and script.
      statements.setSubscriptionLanguage.run(language, script, userId);
    },
    getChat(chatId) {
      const row = statements.getChat.get(chatId);
      return row && toChat(row);
    },
    touchChat(chat) {
      statements.upsertChat.run(chat.id, chat.kind, chat.title, now().toISOString());
      return toChat(statements.getChat.get(chat.id)!);
    },
    setChatLanguage(chatId, language, script = "cyrl") {
      statements.setChatLanguage.run(language, script, chatId);
      if (chatId < 0) statements.setSubscriptionLanguage.run(language, script, chatId);
    },
  };
}

/** Reading and writing a subscription's settings. */
function subscriptionSettingsPart({
  statements,
  writes,
  now,
}: Engine): Pick<SyncStore, "getSubscription" | "channelSubscriptionsOf" | "saveSubscription" | "updateSubscription"> {
  // Every screen of a chat reads its subscription (the digest button), and most of them change nothing: reads are
  // kept until the next write to subscriptions (SubscriptionWrites), the least recently read going first.
  const reads = boundedCache<string, { writes: number; subscription: Subscription | null }>(MAX_CACHED_SUBSCRIPTIONS);
  const getSubscription = (chatId: number, threadId?: number | null) => {
    const key = `${chatId}:${threadColumn(threadId)}`;
    const kept = reads.get(key);
    if (kept?.writes === writes.count) return kept.subscription ?? undefined;
    const row = statements.getSubscription.get(chatId, threadColumn(threadId));
    const subscription = row && toSubscription(row);
    reads.set(key, { writes: writes.count, subscription: subscription ?? null });
    return subscription;
  };
  return {
    getSubscription,
    channelSubscriptionsOf(userId) {
      return statements.channelSubscriptionsOf.all(userId).map(toSubscription);
    },
    saveSubscription(subscription) {
      const { schedule } = subscription;
      statements.saveSubscription.run({
        chatId: subscription.chatId,
        threadId: threadColumn(subscription.threadId),
        chatKind: subscription.chatKind,
        language: subscription.language,
        script: subscription.script ?? "cyrl",
        frequency: schedule.frequency,
        weekday: schedule.frequency === "weekly" ? schedule.weekday : null,
        minuteOfDay: schedule.minuteOfDay,
        timezone: schedule.timezone,
        sectors: sectorsColumn(subscription.sectors),
        silent: (subscription.silent ?? silentByDefault(subscription.chatKind)) ? 1 : 0,
        createdBy: subscription.createdBy,
        now: now().getTime(),
      });
      return getSubscription(subscription.chatId, subscription.threadId)!;
    },
    updateSubscription(chatId, change, threadId) {
      const { schedule } = change;
      const row = statements.updateSubscription.get({
        chatId,
        threadId: threadColumn(threadId),
        language: change.language ?? null,
        script: change.script ?? null,
        frequency: schedule?.frequency ?? null,
        weekday: schedule?.frequency === "weekly" ? schedule.weekday : null,
        minuteOfDay: schedule?.minuteOfDay ?? null,
        timezone: schedule?.timezone ?? null,
        setSectors: change.sectors === undefined ? 0 : 1,
        sectors: change.sectors === undefined ? null : sectorsColumn(change.sectors),
        silent: change.silent === undefined ? null : change.silent ? 1 : 0,
        now: now().getTime(),
      });
      return row && toSubscription(row);
    },
  };
}

/** A subscription's status (paused, resumed, stopped, with the chat's) and its chat becoming a supergroup. */
function subscriptionStatusPart({
  db,
  statements,
  now,
}: Engine): Pick<SyncStore, "pauseSubscription" | "resumeSubscription" | "stopSubscription" | "stopChat" | "moveChat"> {
  return {
    pauseSubscription(chatId, threadId) {
      statements.pause.run(now().getTime(), chatId, threadColumn(threadId));
    },
    resumeSubscription(chatId, threadId) {
      const at = now().getTime();
      statements.resume.run(at, at, at, chatId, threadColumn(threadId));
    },
    stopSubscription: db.transaction((chatId: number, reason: StopReason, threadId?: number | null) => {
      const at = now().getTime();
      statements.stop.run(reason, at, chatId, threadColumn(threadId));
      statements.cancelQueued.run(at, chatId, threadColumn(threadId));
    }),
    stopChat: db.transaction((chatId: number, reason: StopReason): number => {
      const at = now().getTime();
      const stopped = statements.stopChat.run(reason, at, chatId).changes;
      statements.cancelChatQueued.run(at, chatId);
      return stopped;
    }),
    moveChat: db.transaction((fromChatId: number, toChatId: number) => {
      statements.moveChatLanguage.run(toChatId, fromChatId);
      statements.moveSubscription.run(toChatId, fromChatId);
      statements.moveDeliveries.run(toChatId, fromChatId);
    }),
  };
}

/** The digest run: which subscriptions are due, and recording what it decided for each. */
function decisionPart({ db, statements, now }: Engine): Pick<SyncStore, "takeDueSubscriptions" | "recordDecisions"> {
  return {
    takeDueSubscriptions: db.transaction((at: Date, limit: number, heldUntil: Date) => {
      const rows = statements.dueSubscriptions.all(at.getTime(), limit);
      for (const row of rows) statements.setNextCheck.run(heldUntil.getTime(), row.chat_id, row.thread_id);
      return rows.map(toSubscription);
    }),
    recordDecisions: db.transaction((decisions: readonly ChatDecision[], heldUntil?: Date) => {
      const at = now().getTime();
      for (const { chatId, threadId, deliver, nextCheckAt } of decisions) {
        const thread = threadColumn(threadId);
        if (deliver) {
          if (isInstantPeriod(deliver.key)) statements.supersedeInstant.run(at, chatId, thread, deliver.key);
          statements.insertDelivery.run(chatId, thread, deliver.key, deliver.dueAt.getTime(), at, at);
          statements.setLastPeriod.run(deliver.key, chatId, thread);
        }
        if (heldUntil) statements.setNextCheckIfHeld.run(nextCheckAt.getTime(), chatId, thread, heldUntil.getTime());
        else statements.setNextCheck.run(nextCheckAt.getTime(), chatId, thread);
      }
    }),
  };
}

/** Finishes a delivery with its status, and the message that carried it when sent. */
const finishDelivery =
  ({ statements, now }: Engine) =>
  (deliveryId: number, status: DeliveryStatus, error: string | null, messageId: number | null = null) =>
    statements.finish.run(status, messageId, error, now().getTime(), deliveryId);

/** The deliveries of claimed ids whose subscription is still active; the others are dropped. */
function claimIds(engine: Engine, ids: number[]): Delivery[] {
  const finish = finishDelivery(engine);
  const claimed: Delivery[] = [];
  for (const id of ids) {
    const row = engine.statements.deliveryForSending.get(id);
    if (row?.status !== "active") {
      // Paused or stopped after the digest was queued: it is not wanted any more.
      finish(id, "dropped", row ? `subscription ${row.status}` : "subscription gone");
      continue;
    }
    claimed.push(toDelivery(row));
  }
  return claimed;
}

/** Taking deliveries from the queue to send them, and the updates already seen. */
function claimPart(engine: Engine): Pick<SyncStore, DeliveryClaimNames> {
  const { db, statements } = engine;
  const claim = db.transaction((at: number, limit: number): Delivery[] =>
    claimIds(
      engine,
      statements.claim
        .all(at, limit)
        .map((row) => row.id)
        .sort((a, b) => a - b),
    ),
  );
  const claimFor = db.transaction((keys: readonly DeliveryKey[], holder: string): Delivery[] =>
    claimIds(
      engine,
      keys.flatMap(({ chatId, threadId, period }) =>
        statements.claimFor.all(holder, chatId, threadColumn(threadId), period, holder).map((row) => row.id),
      ),
    ),
  );
  const release = db.transaction((ids: readonly number[], holder: string, at: number, maxAttempts: number): ReleasedHeld => ({
    released: ids.flatMap((id) => statements.release.all(at, id, holder, maxAttempts).map((row) => row.id)),
    failed: ids.flatMap((id) => statements.failHeld.all(HOLDER_STOPPED, at, id, holder, maxAttempts).map((row) => row.id)),
  }));
  // One process reads every update of this database, so memory is enough to recognise a repeat.
  const seenUpdates = new RecentIds();
  return {
    requeueInterrupted() {
      return statements.requeue.run().changes;
    },
    claimDeliveries(at, limit) {
      return claim(at.getTime(), limit);
    },
    claimDeliveriesFor(keys, holder) {
      return claimFor(keys, holder);
    },
    firstSightOfUpdate(updateId) {
      return seenUpdates.firstSight(updateId);
    },
    pendingDeliveries(before, limit) {
      return statements.pending
        .all(before.getTime(), limit)
        .map((row) => ({ ...keyOfRow(row), nextAttemptAt: new Date(row.next_attempt_at) }));
    },
    heldDeliveries(limit) {
      return statements.held.all(limit).map((row) => ({ ...keyOfRow(row), id: row.id, holder: row.holder }));
    },
    releaseHeld(deliveryIds, holder, { at, maxAttempts }) {
      return release(deliveryIds, holder, at.getTime(), maxAttempts);
    },
  };
}

/** How a claimed delivery ends: sent, empty, put back, retried, failed or dropped (stopping what it was for). */
function outcomePart(
  engine: Engine,
  { stopSubscription, stopChat }: Pick<SyncStore, "stopSubscription" | "stopChat">,
): Pick<SyncStore, "markSent" | "markEmpty" | "putBack" | "markAttemptFailed" | "markFailed" | "markDropped"> {
  const { db, statements } = engine;
  const finish = finishDelivery(engine);
  return {
    markSent: db.transaction((deliveryId: number, messageId: number, contentMark: string) => {
      finish(deliveryId, "sent", null, messageId);
      statements.setContentMark.run(contentMark, deliveryId);
    }),
    markEmpty(deliveryId) {
      finish(deliveryId, "empty", null);
    },
    putBack(deliveryId, nextAttemptAt, error) {
      // The claim counted an attempt: taken back.
      statements.retry.run(nextAttemptAt.getTime(), error, 1, deliveryId);
    },
    markAttemptFailed(deliveryId, retryAt, error) {
      statements.retry.run(retryAt.getTime(), error, 0, deliveryId);
    },
    markFailed(deliveryId, error) {
      finish(deliveryId, "failed", error);
    },
    markDropped: db.transaction((deliveryId: number, reason: StopReason, error: string): boolean => {
      finish(deliveryId, "dropped", error);
      const row = statements.chatOfDelivery.get(deliveryId);
      if (!row) return false;
      if (!isTopicReason(reason)) return stopChat(row.chat_id, reason) > 0;
      const running = statements.getSubscription.get(row.chat_id, row.thread_id)?.status;
      stopSubscription(row.chat_id, reason, threadOfColumn(row.thread_id));
      return running !== undefined && running !== "stopped";
    }),
  };
}

/** The figures, the health check and closing. */
function operationsPart({ db, statements }: Engine): Pick<SyncStore, "stats" | "healthy" | "close"> {
  return {
    stats(since): Stats {
      const deliveries: Stats["deliveries"] = { pending: 0, sending: 0, sent: 0, empty: 0, failed: 0, dropped: 0 };
      for (const row of statements.deliveryStats.all(since.getTime())) deliveries[row.status] = row.count;
      const queued = statements.queued.get();
      return {
        subscribers: statements.subscriberStats.all(),
        deliveries,
        queued: queued?.count ?? 0,
        oldestQueuedAt: queued?.oldest == null ? null : new Date(queued.oldest),
      };
    },
    healthy() {
      try {
        return db.open && db.prepare("SELECT 1 AS one").get() !== undefined;
      } catch {
        return false;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/** Plugin values (dialogue state) that survive restarts. */
function keyValuePart({ statements }: Engine): SyncStore["keyValue"] {
  // Drops the least recently used entry when full, so the keys of current updates stay cached.
  const values = boundedCache<string, string | typeof ABSENT>(MAX_CACHED_VALUES);
  return {
    // Read on every update (dialogue state) and nearly always absent: absence is cached too.
    get(key) {
      const cached = values.get(key);
      if (cached !== undefined) return cached === ABSENT ? undefined : cached;
      const value = statements.kvGet.get(key)?.value;
      values.set(key, value ?? ABSENT);
      return value;
    },
    set(key, value) {
      statements.kvSet.run(key, value);
      values.set(key, value);
    },
    delete(key) {
      statements.kvDelete.run(key);
      values.set(key, ABSENT);
    },
  };
}

/** The Store on SQLite: its parts, each by concern, over one database, its statements and the clock. */
export function openSqliteStore(path: string, now: () => Date = () => new Date()): Store {
  const db = openDatabase(path);
  const writes: SubscriptionWrites = { count: 0 };
  const engine: Engine = { db, statements: prepareStatements(db, writes), writes, now };
  const statusPart = subscriptionStatusPart(engine);
  return withPromises({
    ...userAndChatPart(engine),
    ...subscriptionSettingsPart(engine),
    ...statusPart,
    ...decisionPart(engine),
    ...claimPart(engine),
    ...outcomePart(engine, statusPart),
    ...operationsPart(engine),
    keyValue: keyValuePart(engine),
  });
}
