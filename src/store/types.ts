import type { Locale } from "../content/types.js";

export type UserRecord = {
  id: number;
  language: Locale | null;
  firstSeenAt: string;
};

export type ChatKind = "private" | "group" | "supergroup" | "channel";

export type ChatRecord = {
  id: number;
  kind: ChatKind;
  title: string | null;
  language: Locale | null;
  firstSeenAt: string;
};

/** Everything the features persist. Features depend on this interface only, never on the engine behind it. */
export interface Store {
  getUser(userId: number): UserRecord | undefined;
  /** Records the user on first contact; returns the stored record. */
  touchUser(userId: number): UserRecord;
  setUserLanguage(userId: number, language: Locale): void;

  getChat(chatId: number): ChatRecord | undefined;
  touchChat(chat: { id: number; kind: ChatKind; title: string | null }): ChatRecord;
  setChatLanguage(chatId: number, language: Locale): void;

  close(): void;
}
