import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandList, registerCommands } from "../src/bot/command-menu.js";
import { FALLBACK_LOCALE } from "../src/i18n.js";
import { startHarness, type Harness } from "./support/harness.js";

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const MENU = [
  "start",
  "briefing",
  "timeline",
  "agreements",
  "sectors",
  "quotes",
  "figures",
  "subscribe",
  "settings",
  "digest",
  "unsubscribe",
  "language",
  "help",
  "about",
];

describe("the command menu", () => {
  it("lists the installed features' commands in the order people know, without the operators' /stats", () => {
    expect(harness.deps.commandMenu().map((entry) => entry.command)).toEqual(MENU);
  });

  it("registers a menu per language and scope; groups get every command but /start", async () => {
    const { deps } = harness;
    await registerCommands(harness.bot.api, deps.commandMenu(), deps.translators, FALLBACK_LOCALE);
    const calls = harness.fake.callsTo("setMyCommands");
    expect(calls).toHaveLength(9);
    const groupsInKazakh = calls.find((call) => call.payload.scope.type === "all_group_chats" && call.payload.language_code === "kk")!;
    expect(groupsInKazakh.payload.commands.map((command: { command: string }) => command.command)).toEqual(
      MENU.filter((name) => name !== "start"),
    );
    expect(groupsInKazakh.payload.commands[0].description).toBe(deps.translators.kk("command-briefing"));
  });

  it("writes the same list for /help, one command a line", () => {
    const list = commandList(harness.deps.commandMenu(), harness.deps.translators.ru).split("\n");
    expect(list).toHaveLength(MENU.length);
    expect(list[0]).toBe(`/start — ${harness.deps.translators.ru("command-start")}`);
  });
});
