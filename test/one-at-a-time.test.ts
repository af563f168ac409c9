import { Context } from "grammy";
import { describe, expect, it } from "vitest";
import { sequenceKey } from "../src/create-bot.js";
import { keepTurn, oneAtATime, passTurn } from "../src/telegram/one-at-a-time.js";

type Fake = Context & { key?: string };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const ctxWith = (key?: string) => ({ key }) as Fake;

describe("oneAtATime", () => {
  const middleware = oneAtATime<Fake>((ctx) => ctx.key);

  it("runs updates with the same key one after another, in arrival order", async () => {
    const log: string[] = [];
    const first = deferred();
    const a = middleware(ctxWith("chat"), async () => {
      log.push("a starts");
      await first.promise;
      log.push("a ends");
    });
    const b = middleware(ctxWith("chat"), async () => void log.push("b runs"));
    const c = middleware(ctxWith("chat"), async () => void log.push("c runs"));
    await Promise.resolve();
    expect(log).toEqual(["a starts"]);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(log).toEqual(["a starts", "a ends", "b runs", "c runs"]);
  });

  it("runs different keys, and updates without a key, concurrently", async () => {
    const log: string[] = [];
    const blocked = deferred();
    const a = middleware(ctxWith("one"), async () => {
      log.push("one");
      await blocked.promise;
    });
    const b = middleware(ctxWith("two"), async () => void log.push("two"));
    const c = middleware(ctxWith(undefined), async () => void log.push("none"));
    await Promise.all([b, c]);
    expect(log).toEqual(["one", "two", "none"]);
    blocked.resolve();
    await a;
  });

  it("takes numbers as keys: the same number queues, another runs at once", async () => {
    const byNumber = oneAtATime<Context & { id?: number }>((ctx) => ctx.id);
    const log: string[] = [];
    const blocked = deferred();
    const a = byNumber({ id: -1001 } as never, async () => {
      log.push("a");
      await blocked.promise;
    });
    const b = byNumber({ id: -1001 } as never, async () => void log.push("b"));
    const c = byNumber({ id: 7 } as never, async () => void log.push("c"));
    await c;
    expect(log).toEqual(["a", "c"]);
    blocked.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a", "c", "b"]);
  });

  it("a failing update rejects to its own caller and does not hold up the next", async () => {
    const failing = middleware(ctxWith("chat"), async () => {
      throw new Error("handler failed");
    });
    let ran = false;
    const next = middleware(ctxWith("chat"), async () => void (ran = true));
    await expect(failing).rejects.toThrow("handler failed");
    await next;
    expect(ran).toBe(true);
  });

  it("an update that passes its turn lets the next update of its key start while it finishes", async () => {
    const log: string[] = [];
    const edit = deferred();
    const first = ctxWith("chat");
    const a = middleware(first, async () => {
      log.push("a shows its screen");
      passTurn(first);
      await edit.promise;
      log.push("a's screen answered");
    });
    const b = middleware(ctxWith("chat"), async () => void log.push("b runs"));
    await b;
    expect(log).toEqual(["a shows its screen", "b runs"]);
    edit.resolve();
    await a;
    expect(log).toEqual(["a shows its screen", "b runs", "a's screen answered"]);
  });

  it("an update that keeps its turn (a dialogue) holds the next one to its end, even if it passes it later", async () => {
    const log: string[] = [];
    const edit = deferred();
    const first = ctxWith("chat");
    const a = middleware(first, async () => {
      keepTurn(first);
      passTurn(first);
      await edit.promise;
      log.push("a ends");
    });
    const b = middleware(ctxWith("chat"), async () => void log.push("b runs"));
    await Promise.resolve();
    expect(log).toEqual([]);
    edit.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a ends", "b runs"]);
  });
});

describe("sequenceKey", () => {
  const user = { id: 42, is_bot: false, first_name: "U" };
  const contextOf = (update: object) => new Context({ update_id: 1, ...update }, {} as never, {} as never);

  it("queues a user's inline queries with their private chat, and a group's updates by the group", () => {
    const inPrivate = contextOf({
      message: { message_id: 1, date: 0, chat: { id: 42, type: "private", first_name: "U" }, from: user, text: "x" },
    });
    const inline = contextOf({ inline_query: { id: "1", from: user, query: "", offset: "" } });
    const inGroup = contextOf({
      message: { message_id: 1, date: 0, chat: { id: -100, type: "group", title: "G" }, from: user, text: "x" },
    });
    expect(sequenceKey(inPrivate)).toBe(42);
    expect(sequenceKey(inline)).toBe(sequenceKey(inPrivate));
    expect(sequenceKey(inGroup)).toBe(-100);
  });
});
