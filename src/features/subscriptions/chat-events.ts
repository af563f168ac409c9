import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import type { Feature } from "../../bot/feature.js";
import { stopLostChat } from "../../digest/subscriptions.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";

/**
 * What Telegram tells us about chats: a chat we lost stops its digests; a forum topic closed stops its own until it
 * is reopened; a group that moved takes them along.
 */
export function chatEventsPart({ store }: Deps): Feature {
  const composer = new Composer<BotContext>();

  // Blocked in a private chat, or removed from a group: nothing more can be delivered there.
  composer.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== "kicked" && status !== "left") return;
    await stopLostChat(store, ctx.chat.id, ctx.chat.type === "private" ? "blocked" : "removed");
  });

  // A forum topic closed by its administrators takes no more posts: its digest stops until the topic is reopened, and
  // resumes then on its own (only a digest stopped by the closing; one paused or unsubscribed stays as it is).
  composer.on("message:forum_topic_closed", async (ctx) => {
    const threadId = forumTopicOf(ctx);
    if (threadId === null) return;
    const subscription = await store.getSubscription(ctx.chat.id, threadId);
    if (subscription?.status === "active") await store.stopSubscription(ctx.chat.id, "topic_closed", threadId);
  });
  composer.on("message:forum_topic_reopened", async (ctx) => {
    const threadId = forumTopicOf(ctx);
    if (threadId === null) return;
    const subscription = await store.getSubscription(ctx.chat.id, threadId);
    if (subscription?.status === "stopped" && subscription.stopReason === "topic_closed")
      await store.resumeSubscription(ctx.chat.id, threadId);
  });

  // A group upgraded to a supergroup gets a new id: its subscription follows.
  composer.on("message:migrate_to_chat_id", (ctx) => store.moveChat(ctx.chat.id, ctx.message.migrate_to_chat_id));

  return { composer };
}
