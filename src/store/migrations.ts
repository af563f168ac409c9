/**
 * Schema history. Append only: a migration that has shipped is never edited,
 * because databases in the field have already run it (tracked in PRAGMA user_version).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    language      TEXT CHECK (language IN ('kk', 'ru')),
    first_seen_at TEXT NOT NULL
  );
  CREATE TABLE chats (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    title         TEXT,
    language      TEXT CHECK (language IN ('kk', 'ru')),
    first_seen_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE subscriptions (
    chat_id        INTEGER PRIMARY KEY,
    chat_kind      TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    frequency      TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    weekday        INTEGER CHECK (weekday BETWEEN 1 AND 7),
    minute_of_day  INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone       TEXT NOT NULL,
    sectors        TEXT,               -- JSON array of sector ids; NULL means every sector, present and future
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    stop_reason    TEXT,
    active_since   INTEGER NOT NULL,   -- ms since epoch, as are all instants below
    next_check_at  INTEGER NOT NULL,
    last_period    TEXT,
    content_mark   TEXT,               -- newest content date covered by the chat's previous digest
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  );
  CREATE INDEX subscriptions_due ON subscriptions (status, next_check_at, chat_id);

  CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    period          TEXT NOT NULL,
    due_at          INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'empty', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    error           TEXT,
    message_id      INTEGER,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    UNIQUE (chat_id, period)
  );
  CREATE INDEX deliveries_queue ON deliveries (status, next_attempt_at, id);
  CREATE INDEX deliveries_finished ON deliveries (finished_at, status);

  CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // Instant digests: 'instant' joins the frequencies. SQLite cannot change a CHECK constraint, so the table is
  // rebuilt under the new one (create, copy, drop, rename) and its index made again.
  `
  CREATE TABLE subscriptions_v3 (
    chat_id        INTEGER PRIMARY KEY,
    chat_kind      TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    frequency      TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'instant')),
    weekday        INTEGER CHECK (weekday BETWEEN 1 AND 7),
    minute_of_day  INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone       TEXT NOT NULL,
    sectors        TEXT,
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    stop_reason    TEXT,
    active_since   INTEGER NOT NULL,
    next_check_at  INTEGER NOT NULL,
    last_period    TEXT,
    content_mark   TEXT,
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  );
  INSERT INTO subscriptions_v3 (chat_id, chat_kind, language, frequency, weekday, minute_of_day, timezone, sectors, status,
      stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at)
    SELECT chat_id, chat_kind, language, frequency, weekday, minute_of_day, timezone, sectors, status,
      stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at
    FROM subscriptions;
  DROP TABLE subscriptions;
  ALTER TABLE subscriptions_v3 RENAME TO subscriptions;
  CREATE INDEX subscriptions_due ON subscriptions (status, next_check_at, chat_id);
  `,
  // The script a person, a group and a digest read Kazakh in. Existing rows read Cyrillic, as before.
  `
  ALTER TABLE users ADD COLUMN script TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn'));
  ALTER TABLE chats ADD COLUMN script TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn'));
  ALTER TABLE subscriptions ADD COLUMN script TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn'));
  `,
  // Forum topics and silent digests. A subscription is one per chat and topic: thread_id is the topic's
  // message_thread_id, 0 for no topic (a chat without topics, a forum's General topic), so that the key stays a plain
  // NOT NULL primary key. A delivery is once per chat, topic and period. Both tables are rebuilt under their new keys;
  // existing rows have no topic and keep their sound (silent = 0), as before.
  `
  CREATE TABLE subscriptions_v5 (
    chat_id        INTEGER NOT NULL,
    thread_id      INTEGER NOT NULL DEFAULT 0,
    chat_kind      TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    script         TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn')),
    frequency      TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'instant')),
    weekday        INTEGER CHECK (weekday BETWEEN 1 AND 7),
    minute_of_day  INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone       TEXT NOT NULL,
    sectors        TEXT,
    silent         INTEGER NOT NULL DEFAULT 0 CHECK (silent IN (0, 1)),
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    stop_reason    TEXT,
    active_since   INTEGER NOT NULL,
    next_check_at  INTEGER NOT NULL,
    last_period    TEXT,
    content_mark   TEXT,
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (chat_id, thread_id)
  );
  INSERT INTO subscriptions_v5 (chat_id, thread_id, chat_kind, language, script, frequency, weekday, minute_of_day, timezone,
      sectors, silent, status, stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at)
    SELECT chat_id, 0, chat_kind, language, script, frequency, weekday, minute_of_day, timezone,
      sectors, 0, status, stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at
    FROM subscriptions;
  DROP TABLE subscriptions;
  ALTER TABLE subscriptions_v5 RENAME TO subscriptions;
  CREATE INDEX subscriptions_due ON subscriptions (status, next_check_at, chat_id, thread_id);

  CREATE TABLE deliveries_v5 (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    thread_id       INTEGER NOT NULL DEFAULT 0,
    period          TEXT NOT NULL,
    due_at          INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'empty', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    error           TEXT,
    message_id      INTEGER,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    UNIQUE (chat_id, thread_id, period)
  );
  INSERT INTO deliveries_v5 (id, chat_id, thread_id, period, due_at, status, attempts, next_attempt_at, error, message_id,
      created_at, finished_at)
    SELECT id, chat_id, 0, period, due_at, status, attempts, next_attempt_at, error, message_id, created_at, finished_at
    FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v5 RENAME TO deliveries;
  CREATE INDEX deliveries_queue ON deliveries (status, next_attempt_at, id);
  CREATE INDEX deliveries_finished ON deliveries (finished_at, status);
  `,
  // Channels are managed from the private chat of the person who set them up: /settings lists them by created_by.
  `
  CREATE INDEX subscriptions_channels_by_creator ON subscriptions (created_by, chat_id) WHERE chat_kind = 'channel';
  `,
  // Kazakh in the Arabic script: 'arab' joins the scripts. SQLite cannot change a CHECK constraint, so the three
  // tables with a script are rebuilt under the new one (create, copy, drop, rename) and their indexes made again.
  `
  CREATE TABLE users_v7 (
    id            INTEGER PRIMARY KEY,
    language      TEXT CHECK (language IN ('kk', 'ru')),
    first_seen_at TEXT NOT NULL,
    script        TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn', 'arab'))
  );
  INSERT INTO users_v7 (id, language, first_seen_at, script) SELECT id, language, first_seen_at, script FROM users;
  DROP TABLE users;
  ALTER TABLE users_v7 RENAME TO users;

  CREATE TABLE chats_v7 (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    title         TEXT,
    language      TEXT CHECK (language IN ('kk', 'ru')),
    first_seen_at TEXT NOT NULL,
    script        TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn', 'arab'))
  );
  INSERT INTO chats_v7 (id, kind, title, language, first_seen_at, script)
    SELECT id, kind, title, language, first_seen_at, script FROM chats;
  DROP TABLE chats;
  ALTER TABLE chats_v7 RENAME TO chats;

  CREATE TABLE subscriptions_v7 (
    chat_id        INTEGER NOT NULL,
    thread_id      INTEGER NOT NULL DEFAULT 0,
    chat_kind      TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    script         TEXT NOT NULL DEFAULT 'cyrl' CHECK (script IN ('cyrl', 'latn', 'arab')),
    frequency      TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'instant')),
    weekday        INTEGER CHECK (weekday BETWEEN 1 AND 7),
    minute_of_day  INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    timezone       TEXT NOT NULL,
    sectors        TEXT,
    silent         INTEGER NOT NULL DEFAULT 0 CHECK (silent IN (0, 1)),
    status         TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    stop_reason    TEXT,
    active_since   INTEGER NOT NULL,
    next_check_at  INTEGER NOT NULL,
    last_period    TEXT,
    content_mark   TEXT,
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (chat_id, thread_id)
  );
  INSERT INTO subscriptions_v7 (chat_id, thread_id, chat_kind, language, script, frequency, weekday, minute_of_day, timezone,
      sectors, silent, status, stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at)
    SELECT chat_id, thread_id, chat_kind, language, script, frequency, weekday, minute_of_day, timezone,
      sectors, silent, status, stop_reason, active_since, next_check_at, last_period, content_mark, created_by, created_at, updated_at
    FROM subscriptions;
  DROP TABLE subscriptions;
  ALTER TABLE subscriptions_v7 RENAME TO subscriptions;
  CREATE INDEX subscriptions_due ON subscriptions (status, next_check_at, chat_id, thread_id);
  CREATE INDEX subscriptions_channels_by_creator ON subscriptions (created_by, chat_id) WHERE chat_kind = 'channel';
  `,
  // A delivery a queue's job takes is held by that job (Store.claimDeliveriesFor): while it is sending, no other job
  // naming the same digest takes it. Rows claimed before have no holder, and any job may take them, as before.
  `
  ALTER TABLE deliveries ADD COLUMN holder TEXT;
  `,
];
