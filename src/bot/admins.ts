import type { Api, Context } from "grammy";

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

/** Why a channel cannot take the digest from this person (or at all): each gets its own localized answer. */
export type ChannelRefusal =
  /** The person is not an admin of the channel, or one without the right to post (they could not post the digest either). */
  | "person-not-admin"
  /** The bot is not in the channel as an admin that can post. */
  | "bot-cannot-post"
  /** Telegram did not tell us (the bot is not in the channel, or the channel is gone). */
  | "unknown-channel";

type Member = Awaited<ReturnType<Api["getChatMember"]>>;
const canPost = (member: Member) => member.status === "creator" || (member.status === "administrator" && member.can_post_messages === true);

/**
 * Whether a person may manage a channel's digest: its creator, or an admin who can post messages there; and whether
 * the bot can post there itself. Asked of Telegram at each change, because admins and their rights change.
 */
export async function channelRefusal(api: Api, channelId: number, userId: number, botId: number): Promise<ChannelRefusal | undefined> {
  const [person, bot] = await Promise.all([
    api.getChatMember(channelId, userId).catch(() => undefined),
    api.getChatMember(channelId, botId).catch(() => undefined),
  ]);
  if (!person || !bot) return "unknown-channel";
  if (!canPost(person)) return "person-not-admin";
  if (!canPost(bot)) return "bot-cannot-post";
  return undefined;
}
