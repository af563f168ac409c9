import { FeatureComposer } from "../../bot/composer.js";
import { channelRefusal } from "../../bot/admins.js";
import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import type { Feature } from "../../bot/feature.js";
import { replyScreen } from "../../bot/screens.js";
import { subscribeChannel } from "../../digest/subscriptions.js";
import { CHANNEL_REQUEST_ID, REMOVE_KEYBOARD } from "../../render/channel.js";
import { escapeHtml } from "../../render/format.js";
import { toReaderScript } from "../../shared/script.js";
import { LOCALES, SCRIPTS } from "../../shared/locale.js";
import type { SubscriptionScreens } from "./screens.js";

/**
 * Channels, set up from a private chat: the channel chosen in Telegram's picker is accepted once Telegram confirms
 * that the person can post there and so can the bot. In the channel itself the bot posts digests only: a command
 * posted there gets a pointer to the private chat, and every other post is left alone.
 */
export function channelsPart(deps: Deps, screens: SubscriptionScreens): Feature {
  const { store, translators } = deps;
  const composer = new FeatureComposer<BotContext>();
  const privateChat = composer.chatType("private");

  /** Interface text as a message that also takes the picker's reply keyboard away. */
  const replyClosingPicker = (ctx: BotContext, text: string) =>
    ctx.reply(escapeHtml(text), { parse_mode: "HTML", reply_markup: REMOVE_KEYBOARD });

  privateChat.on("message:chat_shared", async (ctx) => {
    const { request_id: requestId, chat_id: chatId, title } = ctx.message.chat_shared;
    if (requestId !== CHANNEL_REQUEST_ID) return replyClosingPicker(ctx, ctx.t("stale-button"));
    const refusal = await channelRefusal(ctx.api, chatId, ctx.from.id, ctx.me.id);
    if (refusal) return replyClosingPicker(ctx, ctx.t(`channel-refused-${refusal}`));
    const saved = await subscribeChannel(store, {
      chatId,
      title: title ?? null,
      locale: ctx.locale,
      script: ctx.script,
      createdBy: ctx.from.id,
      defaultTimezone: deps.defaultTimezone,
    });
    await replyClosingPicker(ctx, ctx.t("channel-connected", { title: title ?? String(chatId) }));
    await replyScreen(ctx, await screens.settings(ctx, saved, { chatId, threadId: null, channel: { title: title ?? null } }));
  });

  // The picker's second button: the person changed their mind. The keyboard keeps the language and script it was shown
  // in, which the person may have changed since: its label is recognised in each of them.
  const cancelLabels = new Set(
    LOCALES.flatMap((locale) => {
      const label = translators[locale]("button-channel-cancel");
      return SCRIPTS.map((script) => toReaderScript(label, script));
    }),
  );
  privateChat.on("message:text", async (ctx, next) => {
    if (!cancelLabels.has(ctx.message.text)) return next();
    await replyClosingPicker(ctx, ctx.t("channel-pick-cancelled"));
  });

  composer.on("channel_post", async (ctx) => {
    const post = ctx.channelPost;
    const entity = post.entities?.[0];
    // Ordinary posts are the channel's own business: never answered.
    if (post.text === undefined || entity?.type !== "bot_command" || entity.offset !== 0) return;
    const mention = post.text.slice(1, entity.length).split("@")[1];
    if (mention !== undefined && mention.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    // A channel has one voice for all its readers: without a language of its own, the pointer is in both.
    const pointer = (t: (key: string, variables?: Record<string, string>) => string) => t("channel-command", { bot: ctx.me.username });
    const text = ctx.localeKnown ? pointer(ctx.t) : [pointer(translators.kk), pointer(translators.ru)].join("\n\n");
    await ctx.reply(escapeHtml(text), { parse_mode: "HTML" });
  });

  return { composer };
}
