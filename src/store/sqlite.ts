import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Locale } from "../content/types.js";
import { MIGRATIONS } from "./migrations.js";
import type { ChatKind, ChatRecord, Store, UserRecord } from "./types.js";

type UserRow = { id: number; language: Locale | null; first_seen_at: string };
type ChatRow = { id: number; kind: ChatKind; title: string | null; language: Locale | null; first_seen_at: string };

export function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function openSqliteStore(path: string, now: () => Date = () => new Date()): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);

  const statements = {
    getUser: db.prepare<[number], UserRow>("SELECT id, language, first_seen_at FROM users WHERE id = ?"),
    insertUser: db.prepare<[number, string]>("INSERT OR IGNORE INTO users (id, first_seen_at) VALUES (?, ?)"),
    setUserLanguage: db.prepare<[number, Locale, string]>(
      `INSERT INTO users (id, language, first_seen_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET language = excluded.language`,
    ),
    getChat: db.prepare<[number], ChatRow>("SELECT id, kind, title, language, first_seen_at FROM chats WHERE id = ?"),
    upsertChat: db.prepare<[number, ChatKind, string | null, string]>(
      `INSERT INTO chats (id, kind, title, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title`,
    ),
    setChatLanguage: db.prepare<[Locale, number]>("UPDATE chats SET language = ? WHERE id = ?"),
  };

  const toUser = (row: UserRow): UserRecord => ({ id: row.id, language: row.language, firstSeenAt: row.first_seen_at });
  const toChat = (row: ChatRow): ChatRecord => ({
    id: row.id,
    kind: row.kind,
    title: row.title,
    language: row.language,
    firstSeenAt: row.first_seen_at,
  });

  return {
    getUser(userId) {
      const row = statements.getUser.get(userId);
      return row && toUser(row);
    },
    touchUser(userId) {
      statements.insertUser.run(userId, now().toISOString());
      return toUser(statements.getUser.get(userId)!);
    },
    setUserLanguage(userId, language) {
      statements.setUserLanguage.run(userId, language, now().toISOString());
    },
    getChat(chatId) {
      const row = statements.getChat.get(chatId);
      return row && toChat(row);
    },
    touchChat(chat) {
      statements.upsertChat.run(chat.id, chat.kind, chat.title, now().toISOString());
      return toChat(statements.getChat.get(chat.id)!);
    },
    setChatLanguage(chatId, language) {
      statements.setChatLanguage.run(language, chatId);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
