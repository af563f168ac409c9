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
  it("creates its folder, migrates to the latest version and uses WAL", async () => {
    const path = tempPath();
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("keeps users, their language and first contact across a restart", async () => {
    const path = tempPath();
    const first = openSqliteStore(path, () => new Date("2025-09-05T10:00:00Z"));
    await first.touchUser(42);
    await first.setUserLanguage(42, "kk");
    await first.touchUser(42);
    await first.close();

    const second = openSqliteStore(path);
    expect(await second.getUser(42)).toEqual({ id: 42, language: "kk", firstSeenAt: "2025-09-05T10:00:00.000Z" });
    expect(await second.getUser(7)).toBeUndefined();
    await second.close();
  });

  it("stores chats and a group's language; re-touching keeps the language", async () => {
    const store = openSqliteStore(tempPath());
    await store.touchChat({ id: -100, kind: "supergroup", title: "Press" });
    await store.setChatLanguage(-100, "ru");
    await store.touchChat({ id: -100, kind: "supergroup", title: "Press team" });
    expect(await store.getChat(-100)).toMatchObject({ kind: "supergroup", title: "Press team", language: "ru" });
    await store.close();
  });

  it("a language chosen before any other contact creates the user", async () => {
    const store = openSqliteStore(tempPath());
    await store.setUserLanguage(5, "ru");
    expect((await store.getUser(5))?.language).toBe("ru");
    await store.close();
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
    await store.close();
    return openSqliteStore(path, now);
  },
});
