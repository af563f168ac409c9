import type { Api } from "grammy";
import type { BotCommandScope } from "grammy/types";
import { LOCALES, type Locale } from "./content/types.js";
import type { Translate } from "./render/format.js";

type CommandSpec = { command: string; inGroups: boolean };

/** The commands people see in Telegram's menu, in menu order. Descriptions are "command-<name>" in locales/. */
export const COMMANDS: readonly CommandSpec[] = [
  { command: "start", inGroups: false },
  { command: "briefing", inGroups: true },
  { command: "timeline", inGroups: true },
  { command: "agreements", inGroups: true },
  { command: "sectors", inGroups: true },
  { command: "quotes", inGroups: true },
  { command: "figures", inGroups: true },
  { command: "subscribe", inGroups: true },
  { command: "settings", inGroups: true },
  { command: "digest", inGroups: true },
  { command: "unsubscribe", inGroups: true },
  { command: "language", inGroups: true },
  { command: "help", inGroups: true },
  { command: "about", inGroups: true },
];

export function commandList(t: Translate): string {
  return COMMANDS.map(({ command }) => `/${command} — ${t(`command-${command}`)}`).join("\n");
}

/** Registers localized command menus: for kk, for ru, and a default (Russian) for everyone else. */
export async function registerCommands(api: Api, translators: Record<Locale, Translate>, fallback: Locale): Promise<void> {
  const scopes: { scope: BotCommandScope; groups: boolean }[] = [
    { scope: { type: "default" }, groups: false },
    { scope: { type: "all_private_chats" }, groups: false },
    { scope: { type: "all_group_chats" }, groups: true },
  ];
  const languages: (Locale | undefined)[] = [undefined, ...LOCALES];
  for (const { scope, groups } of scopes) {
    for (const language of languages) {
      const t = translators[language ?? fallback];
      const commands = COMMANDS.filter((spec) => !groups || spec.inGroups).map(({ command }) => ({
        command,
        description: t(`command-${command}`),
      }));
      await api.setMyCommands(commands, { scope, ...(language ? { language_code: language } : {}) });
    }
  }
}
