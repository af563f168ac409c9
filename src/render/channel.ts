import { Keyboard } from "grammy";
import type { ChatAdministratorRights, ReplyKeyboardRemove } from "grammy/types";
import type { Translate } from "../shared/locale.js";

/** The request id of the channel picker: a chat shared with another id is no answer to it. */
export const CHANNEL_REQUEST_ID = 1;

/** Posting is the one right the digest needs, from the person as from the bot; nothing more is asked of either. */
export const POST_RIGHTS: ChatAdministratorRights = {
  is_anonymous: false,
  can_manage_chat: false,
  can_delete_messages: false,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: false,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_send_welcome_messages: false,
  can_post_messages: true,
};

/**
 * Telegram's own chat picker, which exists only on reply keyboards: it lists the channels where the person is an
 * admin who can post and the bot is already a member that can post, and shares the chosen one with its title.
 */
export function channelPickerKeyboard(t: Translate): Keyboard {
  return new Keyboard()
    .requestChat(t("button-channel-digest"), CHANNEL_REQUEST_ID, {
      chat_is_channel: true,
      user_administrator_rights: POST_RIGHTS,
      bot_administrator_rights: POST_RIGHTS,
      bot_is_member: true,
      request_title: true,
    })
    .row()
    .text(t("button-channel-cancel"))
    .resized()
    .oneTime();
}

/** The reply keyboard goes once the picker has been answered. */
export const REMOVE_KEYBOARD: ReplyKeyboardRemove = { remove_keyboard: true };
