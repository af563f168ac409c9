import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../src/store/migrations.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";
import { describeStoreContract } from "./support/store-contract.js";

const folders: string[] = [];
function tempPath(): string {
  const folder = mkdtempSync(join(tmpdir(), "briefing-store-"));
  folders.push(folder);
  return join(folder, "nested", "bot.db");
}
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe("SQLite store", () => {
  it("creates its folder, migrates to the latest version and uses WAL", () => {
    const path = tempPath();
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("keeps users, their language and first contact across a restart", () => {
    const path = tempPath();
    const first = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
    first.touchUser(42);
    first.setUserLanguage(42, "kk");
    first.touchUser(42);
    first.close();

    const second = openSqliteStore(path);
    expect(second.getUser(42)).toEqual({ id: 42, language: "kk", firstSeenAt: "2025-09-05T10:00:00.000Z" });
    expect(second.getUser(7)).toBeUndefined();
    second.close();
  });

  it("stores chats and a group's language; re-touching keeps the language", () => {
    const store = openSqliteStore(tempPath());
    store.touchChat({ id: -100, kind: "supergroup", title: "Press" });
    store.setChatLanguage(-100, "ru");
    store.touchChat({ id: -100, kind: "supergroup", title: "Press team" });
    expect(store.getChat(-100)).toMatchObject({ kind: "supergroup", title: "Press team", language: "ru" });
    store.close();
  });

  it("a language chosen before any other contact creates the user", () => {
    const store = openSqliteStore(tempPath());
    store.setUserLanguage(5, "ru");
    expect(store.getUser(5)?.language).toBe("ru");
    store.close();
  });
});

const openedAt = new WeakMap<Store, string>();
describeStoreContract("SQLite", {
  open: async (now) => {
    const path = tempPath();
    const store = openSqliteStore(path, now);
    openedAt.set(store, path);
    return store;
  },
  reopen: async (store, now) => {
    const path = openedAt.get(store)!;
    store.close();
    return openSqliteStore(path, now);
  },
});
