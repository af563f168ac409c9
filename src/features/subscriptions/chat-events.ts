import { FeatureComposer } from "../../bot/composer.js";
import type { ChatMember } from "grammy/types";
import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import type { Feature } from "../../bot/feature.js";
import { tellChannelLostOrLog } from "../../digest/channel-lost.js";
import { stopLostChat } from "../../digest/subscriptions.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";

/** In a channel the bot must be an admin that can post; anywhere else it must still be in the chat. */
function lostChat(chatType: string, member: ChatMember): boolean {
  if (member.status === "kicked" || member.status === "left") return true;
  return chatType === "channel" && !(member.status === "administrator" && member.can_post_messages === true);
}

/**
 * What Telegram tells us about chats: a chat we lost stops its digests; a forum topic closed stops its own until it
 * is reopened; a group that moved takes them along.
 */
export function chatEventsPart({ store, translators, logger }: Deps): Feature {
  const composer = new FeatureComposer<BotContext>();

  // Blocked in a private chat, removed from a group, or removed from a channel or stripped of the right to post there:
  // nothing more can be delivered. The person who set up a channel's digest hears that it stopped and how to resume.
  composer.on("my_chat_member", async (ctx) => {
    if (!lostChat(ctx.chat.type, ctx.myChatMember.new_chat_member)) return;
    const stopped = await stopLostChat(store, ctx.chat.id, ctx.chat.type === "private" ? "blocked" : "removed");
    if (!stopped || ctx.chat.type !== "channel") return;
    await tellChannelLostOrLog({ api: ctx.api, store, translators, logger }, ctx.chat.id);
  });

  // A forum topic closed by its administrators takes no more posts: its digest stops until the topic is reopened, and
  // resumes then on its own (only a digest stopped by the closing; one paused or unsubscribed stays as it is). The
  // General topic's messages carry no thread: closing it stops the group's own digest, as a refused digest there does.
  /** The topic a topic event is about: its thread, null for a forum's General topic, undefined outside a forum. */
  const topicOfEvent = (ctx: BotContext): number | null | undefined => {
    const threadId = forumTopicOf(ctx);
    if (threadId !== null) return threadId;
    return ctx.chat?.type === "supergroup" && ctx.chat.is_forum === true ? null : undefined;
  };
  composer.on("message:forum_topic_closed", async (ctx) => {
    const threadId = topicOfEvent(ctx);
    if (threadId === undefined) return;
    const subscription = await store.getSubscription(ctx.chat.id, threadId);
    if (subscription?.status === "active") await store.stopSubscription(ctx.chat.id, "topic_closed", threadId);
  });
  composer.on("message:forum_topic_reopened", async (ctx) => {
    const threadId = topicOfEvent(ctx);
    if (threadId === undefined) return;
    const subscription = await store.getSubscription(ctx.chat.id, threadId);
    if (subscription?.status === "stopped" && subscription.stopReason === "topic_closed")
      await store.resumeSubscription(ctx.chat.id, threadId);
  });

  // A group upgraded to a supergroup gets a new id: its subscription follows.
  composer.on("message:migrate_to_chat_id", (ctx) => store.moveChat(ctx.chat.id, ctx.message.migrate_to_chat_id));

  return { composer };
}
