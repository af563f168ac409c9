import { InlineKeyboard } from "grammy";
import type { Briefing } from "../content/types.js";
import { joinBlocks, stripHtml, type RenderOptions } from "./format.js";
import { refToPayload, type SectionRef } from "./refs.js";
import { refTitle, sectionBlocks, sourceLine } from "./sections.js";

export type ShareableCard = {
  id: string;
  title: string;
  description: string;
  text: string;
  keyboard: InlineKeyboard;
};

const DESCRIPTION_CHARS = 120;

/** The deep link that opens a section in the bot's private chat. */
export function deepLink(botUsername: string, ref: SectionRef): string {
  return `https://t.me/${botUsername}?start=${refToPayload(ref)}`;
}

/**
 * A section as a self-contained card for other chats: the same text blocks as the menu screen, the source,
 * and buttons that lead back into the bot and pass the card on.
 */
export function renderShareableCard(briefing: Briefing, ref: SectionRef, options: RenderOptions, botUsername: string): ShareableCard {
  const { locale, t } = options;
  const blocks = sectionBlocks(briefing, ref, { ...options, compact: true });
  const title = refTitle(briefing, ref, locale, t);
  const body = stripHtml(blocks.slice(1).join(" ")).replace(/\s+/g, " ").trim();
  return {
    id: `${refToPayload(ref)}.${locale}`,
    title: `${title} · ${briefing.shortTitle[locale]}`,
    description: body.length > DESCRIPTION_CHARS ? `${body.slice(0, DESCRIPTION_CHARS - 1)}…` : body,
    text: joinBlocks(blocks, sourceLine(briefing, options)),
    keyboard: shareKeyboard(ref, options, botUsername),
  };
}

export function shareKeyboard(ref: SectionRef, { t }: RenderOptions, botUsername: string): InlineKeyboard {
  return new InlineKeyboard()
    .url(t("button-open-in-bot"), deepLink(botUsername, ref))
    .row()
    .switchInline(t("button-share"), refToPayload(ref));
}

/** The Share button of a menu screen: pick a chat, and the card goes there through inline mode. */
export function shareButtonRow(ref: SectionRef, { t }: RenderOptions) {
  return [
    InlineKeyboard.switchInlineChosen(t("button-share"), {
      query: refToPayload(ref),
      allow_user_chats: true,
      allow_group_chats: true,
      allow_channel_chats: false,
      allow_bot_chats: false,
    }),
  ];
}
