import type { Api } from "grammy";
import type { BotCommandScope } from "grammy/types";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";

/** Where Telegram's command menu lists a command: in every chat, only in private chats, or nowhere (operators'). */
export type MenuPlacement = "everywhere" | "private" | "hidden";

/** A command as the menu shows it. Its description is "command-<name>" in locales/. */
export type MenuEntry = { command: string; menu: Exclude<MenuPlacement, "hidden"> };

export const menuDescriptionKey = (command: string) => `command-${command}`;

/** The menu as text, for /help and for the answer to an unknown command. */
export function commandList(menu: readonly MenuEntry[], t: Translate): string {
  return menu.map(({ command }) => `/${command} — ${t(menuDescriptionKey(command))}`).join("\n");
}

/** Registers localized command menus: for kk, for ru, and a default (in `fallback`) for everyone else. */
export async function registerCommands(
  api: Api,
  menu: readonly MenuEntry[],
  translators: Record<Locale, Translate>,
  fallback: Locale,
): Promise<void> {
  const scopes: { scope: BotCommandScope; groups: boolean }[] = [
    { scope: { type: "default" }, groups: false },
    { scope: { type: "all_private_chats" }, groups: false },
    { scope: { type: "all_group_chats" }, groups: true },
  ];
  const languages: (Locale | undefined)[] = [undefined, ...LOCALES];
  for (const { scope, groups } of scopes) {
    for (const language of languages) {
      const t = translators[language ?? fallback];
      const commands = menu
        .filter((entry) => !groups || entry.menu === "everywhere")
        .map(({ command }) => ({ command, description: t(menuDescriptionKey(command)) }));
      await api.setMyCommands(commands, { scope, ...(language ? { language_code: language } : {}) });
    }
  }
}
