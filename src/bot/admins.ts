import type { Context } from "grammy";

const ADMIN_STATUSES = new Set(["creator", "administrator"]);

/**
 * Whether the sender may manage this chat's digest: anyone in their private chat; in groups only administrators,
 * asked from Telegram each time (admin lists change), including admins posting anonymously as the group.
 */
export async function canManageChat(ctx: Context): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private") return true;
  if (ctx.message?.sender_chat?.id === chat.id) return true;
  const userId = ctx.from?.id;
  if (userId === undefined) return false;
  const member = await ctx.api.getChatMember(chat.id, userId).catch(() => undefined);
  return member !== undefined && ADMIN_STATUSES.has(member.status);
}
