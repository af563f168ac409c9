import type { Chat, Message, MessageEntity, Update, User } from "grammy/types";
import { POST_RIGHTS } from "../../src/render/channel.js";

let counter = 1000;
const nextId = () => ++counter;
const now = () => Math.floor(Date.now() / 1000);

export function privateUser(options: { id?: number; language_code?: string; first_name?: string } = {}): User {
  return {
    id: options.id ?? nextId(),
    is_bot: false,
    first_name: options.first_name ?? "Test",
    ...(options.language_code ? { language_code: options.language_code } : {}),
  };
}

export function groupChat(id = -1001234567890, title = "Group"): Chat.SupergroupChat {
  return { id, type: "supergroup", title };
}

/** A supergroup with forum topics. */
export function forumChat(id = -1009876543210, title = "Forum"): Chat.SupergroupChat {
  return { id, type: "supergroup", title, is_forum: true };
}

function privateChatOf(user: User): Chat.PrivateChat {
  return { id: user.id, type: "private", first_name: user.first_name };
}

/** A text message; with `threadId`, one written in that forum topic (as Telegram marks it: is_topic_message). */
export function messageUpdate(from: User, text: string, options: { chat?: Chat; threadId?: number } = {}): Update {
  const entities: MessageEntity[] = [];
  const command = /^\/\S+/.exec(text);
  if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
  const message = {
    message_id: nextId(),
    date: now(),
    chat: options.chat ?? privateChatOf(from),
    from,
    text,
    ...(entities.length ? { entities } : {}),
    ...(options.threadId === undefined ? {} : { message_thread_id: options.threadId, is_topic_message: true }),
  } as Message.TextMessage;
  return { update_id: nextId(), message } as Update;
}

/**
 * A button press on a message; with `thread_id`, a message in that forum topic; with `ephemeral_message_id`, an
 * ephemeral message `from` alone sees (message_id 0, as Telegram reports it).
 */
export function callbackUpdate(
  from: User,
  data: string,
  message: { chat_id: number; message_id: number; text?: string; thread_id?: number; chat?: Chat; ephemeral_message_id?: number },
): Update {
  const chat: Chat =
    message.chat ??
    (message.chat_id < 0 ? groupChat(message.chat_id) : { id: message.chat_id, type: "private", first_name: from.first_name });
  const topic = message.thread_id === undefined ? {} : { message_thread_id: message.thread_id, is_topic_message: true };
  const ephemeral =
    message.ephemeral_message_id === undefined
      ? {}
      : { message_id: 0, ephemeral_message_id: message.ephemeral_message_id, receiver_user: from };
  return {
    update_id: nextId(),
    callback_query: {
      id: String(nextId()),
      from,
      chat_instance: String(message.chat_id),
      data,
      message: {
        message_id: message.message_id,
        date: now(),
        chat,
        text: message.text ?? "",
        ...topic,
        ...ephemeral,
      } as Message.TextMessage,
    },
  };
}

/**
 * A guest message: `text` (with the bot's mention) written in `chat`, a chat the bot is not a member of, as Telegram
 * hands it to a bot in guest mode, with the query id answerGuestQuery takes.
 */
export function guestMessageUpdate(from: User, text: string, chat: Chat = groupChat(-1005550001, "Not the bot's group")): Update {
  const message = { message_id: nextId(), date: now(), chat, from, text, guest_query_id: `guest-${nextId()}` };
  return { update_id: nextId(), guest_message: message } as Update;
}

export function inlineQueryUpdate(from: User, query: string, offset = ""): Update {
  return { update_id: nextId(), inline_query: { id: String(nextId()), from, query, offset, chat_type: "sender" } };
}

export function myChatMemberUpdate(from: User, chat: Chat, newStatus: "kicked" | "left" | "member"): Update {
  const bot = { id: 123456, is_bot: true, first_name: "Visit Briefing", username: "visit_briefing_bot" };
  return {
    update_id: nextId(),
    my_chat_member: {
      chat,
      from,
      date: now(),
      old_chat_member: { status: "member", user: bot },
      new_chat_member: (newStatus === "kicked"
        ? { status: "kicked", user: bot, until_date: 0 }
        : { status: newStatus, user: bot }) as never,
    },
  };
}

export function channelChat(id = -1009876543210, title = "Channel"): Chat.ChannelChat {
  return { id, type: "channel", title };
}

/** The message Telegram sends when a person picks a chat in a request_chat button's picker. */
export function chatSharedUpdate(from: User, shared: { request_id: number; chat_id: number; title?: string }): Update {
  const message = { message_id: nextId(), date: now(), chat: privateChatOf(from), from, chat_shared: shared } as Message;
  return { update_id: nextId(), message } as Update;
}

/** A post in a channel: no sender, the channel is the chat; a leading /command is marked as one, as Telegram does. */
export function channelPostUpdate(channel: Chat.ChannelChat, text: string): Update {
  const command = /^\/\S+/.exec(text);
  const entities: MessageEntity[] = command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : [];
  const post = { message_id: nextId(), date: now(), chat: channel, sender_chat: channel, text, ...(entities.length ? { entities } : {}) };
  return { update_id: nextId(), channel_post: post };
}

/** The bot's membership in a channel changed: removed, or an administrator with or without the right to post. */
export function channelMemberUpdate(from: User, channel: Chat.ChannelChat, member: "kicked" | "left" | { canPost: boolean }): Update {
  const bot = { id: 123456, is_bot: true, first_name: "Visit Briefing", username: "visit_briefing_bot" };
  // An administrator's entry: the rights the picker asks for, with the right to post as given.
  const administrator = (canPost: boolean) => ({
    status: "administrator",
    user: bot,
    can_be_edited: false,
    ...POST_RIGHTS,
    can_manage_chat: true,
    can_post_messages: canPost,
  });
  const next =
    member === "kicked"
      ? { status: "kicked", user: bot, until_date: 0 }
      : member === "left"
        ? { status: "left", user: bot }
        : administrator(member.canPost);
  return {
    update_id: nextId(),
    my_chat_member: { chat: channel, from, date: now(), old_chat_member: administrator(true) as never, new_chat_member: next as never },
  };
}

/**
 * The service message Telegram sends when a forum topic is closed or reopened (every bot receives service messages);
 * without a thread, the forum's General topic, whose messages carry none.
 */
export function forumTopicEventUpdate(
  from: User,
  chat: Chat.SupergroupChat,
  threadId: number | null,
  event: "closed" | "reopened",
): Update {
  return {
    update_id: nextId(),
    message: {
      message_id: nextId(),
      date: now(),
      chat,
      from,
      ...(threadId === null ? {} : { message_thread_id: threadId, is_topic_message: true }),
      ...(event === "closed" ? { forum_topic_closed: {} } : { forum_topic_reopened: {} }),
    },
  };
}
