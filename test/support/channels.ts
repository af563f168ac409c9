/* eslint-disable @typescript-eslint/no-explicit-any -- Bot API payloads are arbitrary JSON. */
import type { FakeTelegram } from "./fake-telegram.js";

/** A member of a channel as getChatMember describes them: creator, administrator (with or without posting), member, left. */
export type ChannelMember = "creator" | "poster" | "admin-without-post" | "member" | "left";

/**
 * Makes the fake answer getChatMember for channels as Telegram does, with administrator rights (setMemberStatus
 * knows statuses only). A chat not listed gets the fake's own answer.
 */
export function channelMembers(fake: FakeTelegram, channels: Map<number, Map<number, ChannelMember>>): void {
  fake.override("getChatMember", (payload: Record<string, any>) => {
    const members = channels.get(Number(payload.chat_id));
    if (!members) return undefined;
    const member = members.get(Number(payload.user_id)) ?? "left";
    const user = { id: Number(payload.user_id), is_bot: false, first_name: "User" };
    switch (member) {
      case "creator":
        return { status: "creator", user, is_anonymous: false };
      case "poster":
      case "admin-without-post":
        return { status: "administrator", user, can_be_edited: false, can_manage_chat: true, can_post_messages: member === "poster" };
      default:
        return { status: member, user };
    }
  });
}

/** A channel the bot is not in (or that is gone): Telegram answers getChatMember with 400 "chat not found". */
export function unknownChannel(fake: FakeTelegram, chatId: number): void {
  fake.failNext(
    "getChatMember",
    { error_code: 400, description: "Bad Request: chat not found" },
    { times: 1000, when: (payload) => Number(payload.chat_id) === chatId },
  );
}
