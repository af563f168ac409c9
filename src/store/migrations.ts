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
];
