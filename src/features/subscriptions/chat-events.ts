import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import type { Feature } from "../../bot/feature.js";
import { stopLostChat } from "../../digest/subscriptions.js";

/** What Telegram tells us about chats: a chat we lost stops its digest; a group that moved takes it along. */
export function chatEventsPart({ store }: Deps): Feature {
  const composer = new Composer<BotContext>();

  // Blocked in a private chat, or removed from a group: nothing more can be delivered there.
  composer.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== "kicked" && status !== "left") return;
    await stopLostChat(store, ctx.chat.id, ctx.chat.type === "private" ? "blocked" : "removed");
  });

  // A group upgraded to a supergroup gets a new id: its subscription follows.
  composer.on("message:migrate_to_chat_id", (ctx) => store.moveChat(ctx.chat.id, ctx.message.migrate_to_chat_id));

  return { composer };
}
