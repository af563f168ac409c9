import type { Context } from "grammy";

/**
 * The forum topic an update belongs to: the message_thread_id of a message (or of the message a pressed button is
 * on) in a topic, and null for everything else — a chat without topics, a forum's General topic, and a reply thread
 * in a group without topics, whose message_thread_id names no topic (is_topic_message tells the two apart).
 */
export function forumTopicOf(ctx: Context): number | null {
  const message = ctx.msg;
  return message?.is_topic_message === true && message.message_thread_id !== undefined ? message.message_thread_id : null;
}
