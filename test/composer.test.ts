import { Api, Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { FeatureComposer, inOrder } from "../src/bot/composer.js";

const me = { id: 1, is_bot: true, first_name: "Bot", username: "test_bot" } as UserFromGetMe;
const api = new Api("0:test");
const textIn = (chatType: "private" | "supergroup", text: string): Context => {
  const chat =
    chatType === "private" ? { id: 7, type: "private" as const, first_name: "A" } : { id: -7, type: "supergroup" as const, title: "G" };
  const update: Update = { update_id: 1, message: { message_id: 1, date: 0, chat, from: { id: 7, is_bot: false, first_name: "A" }, text } };
  return new Context(update, api, me);
};

/** Runs the composer on ctx; says which handler took it, or "next" when it was passed on. */
async function route(composer: FeatureComposer<Context>, ctx: Context): Promise<string[]> {
  const seen: string[] = [];
  (ctx as Context & { seen: string[] }).seen = seen;
  await composer.middleware()(ctx, async () => {
    seen.push("next");
  });
  return seen;
}
const mark = (name: string) => (ctx: Context) => {
  (ctx as Context & { seen: string[] }).seen.push(name);
};

describe("FeatureComposer: grammY's filters, decided with a plain call", () => {
  it("routes like grammY's Composer: chained on/chatType/drop, sync and async predicates, next when no filter takes the update", async () => {
    const composer = new FeatureComposer<Context>();
    composer
      .chatType("private")
      .on("message:text")
      .drop(async (ctx) => ctx.message.text.startsWith("/"), mark("private text"));
    composer.filter((ctx) => ctx.chat?.type === "supergroup", mark("group"));

    expect(await route(composer, textIn("private", "hello"))).toEqual(["private text"]);
    expect(await route(composer, textIn("private", "/start"))).toEqual(["next"]);
    expect(await route(composer, textIn("supergroup", "hello"))).toEqual(["group"]);
  });

  it("reads the filtered composer at each update: middleware added to it after the filter counts", async () => {
    const composer = new FeatureComposer<Context>();
    const privateChats = composer.chatType("private");
    expect(await route(composer, textIn("private", "hello"))).toEqual(["next"]);
    privateChats.use(mark("added later"));
    expect(await route(composer, textIn("private", "hello"))).toEqual(["added later"]);
  });
});

describe("inOrder: the bot's middleware as one chain", () => {
  it("runs each middleware in turn, the last one's next being the caller's, and stops where one does not call next", async () => {
    const seen: string[] = [];
    const step = (name: string) => async (_ctx: Context, next: () => Promise<void>) => {
      seen.push(name);
      await next();
      seen.push(`${name} done`);
    };
    await inOrder<Context>([step("a"), (_ctx, next) => next(), step("b")])(textIn("private", "x"), async () => {
      seen.push("next");
    });
    expect(seen).toEqual(["a", "b", "next", "b done", "a done"]);
    seen.length = 0;
    await inOrder<Context>([step("a"), () => undefined, step("b")])(textIn("private", "x"), async () => {
      seen.push("next");
    });
    expect(seen).toEqual(["a", "a done"]);
  });

  it("rejects when a middleware throws, synchronously or not, so bot.catch sees the error", async () => {
    const next = async () => undefined;
    const syncThrow = inOrder<Context>([
      (_ctx, next) => next(),
      () => {
        throw new Error("sync");
      },
    ]);
    await expect(syncThrow(textIn("private", "x"), next)).rejects.toThrow("sync");
    const asyncThrow = inOrder<Context>([() => Promise.reject(new Error("async"))]);
    await expect(asyncThrow(textIn("private", "x"), next)).rejects.toThrow("async");
  });
});
