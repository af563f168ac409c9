import { Composer, InlineKeyboard } from "grammy";
import { LOCALES } from "../content/types.js";
import type { BotContext } from "../context.js";
import type { Deps } from "../deps.js";
import { sendDigest } from "../digest/sender.js";
import { parseSubscribeArgs } from "../digest/subscribe-args.js";
import { fromLocal, toLocal } from "../digest/zoned-time.js";
import { encodeCallback } from "../render/callback-data.js";
import { bold, escapeHtml } from "../render/format.js";
import type { Rendered } from "../render/sections.js";
import {
  decodeTime,
  sectorChoices,
  settingsFieldScreen,
  settingsScreen,
  ZONE_PRESETS,
} from "../render/subscription.js";
import type { ChatKind, StopReason, Subscription } from "../store/types.js";
import { canManageChat } from "./admins.js";
import { languageSaver } from "./language.js";
import { show } from "./navigation.js";
import type { Router } from "./router.js";
import { isLocale } from "../i18n.js";

/** /subscribe, /settings, /unsubscribe, /digest, /stats, and what Telegram tells us about chats we lost. */
export function digestFeature(deps: Deps, router: Router): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { store, library } = deps;
  const saveLanguage = languageSaver(deps);

  const screenFor = (ctx: BotContext, subscription: Subscription | undefined): Rendered =>
    settingsScreen(subscription, library, { locale: ctx.locale, t: ctx.t });
  const reply = (ctx: BotContext, screen: Rendered, note?: string) =>
    ctx.reply(note ? `${escapeHtml(note)}\n\n${screen.text}` : screen.text, {
      parse_mode: "HTML",
      reply_markup: screen.keyboard,
    });
  const refuse = (ctx: BotContext) =>
    ctx.callbackQuery ? ctx.answerCallbackQuery({ text: ctx.t("admins-only") }) : ctx.reply(escapeHtml(ctx.t("admins-only")), { parse_mode: "HTML" });

  router.command("subscribe", async (ctx) => {
    if (!(await canManageChat(ctx))) return void (await refuse(ctx));
    const args = ctx.match.trim();
    if (args === "") {
      await ctx.conversation.enter("subscribe", { locale: ctx.locale });
      return;
    }
    const parsed = parseSubscribeArgs(args);
    if (!parsed) {
      await ctx.reply(escapeHtml(ctx.t("subscribe-usage")), { parse_mode: "HTML" });
      return;
    }
    const existing = await store.getSubscription(ctx.chat.id);
    const saved = await store.saveSubscription({
      chatId: ctx.chat.id,
      chatKind: ctx.chat.type as ChatKind,
      language: ctx.chat.type === "private" ? ctx.locale : ((await store.getChat(ctx.chat.id))?.language ?? ctx.locale),
      schedule: { ...parsed, timezone: existing?.schedule.timezone ?? deps.defaultTimezone },
      sectors: existing?.sectors ?? null,
      createdBy: ctx.from?.id ?? null,
    });
    await reply(ctx, screenFor(ctx, saved), ctx.t("subscribed"));
  });

  router.command("settings", async (ctx) => reply(ctx, screenFor(ctx, await store.getSubscription(ctx.chat.id))));

  router.command("unsubscribe", async (ctx) => {
    if (!(await canManageChat(ctx))) return void (await refuse(ctx));
    const current = await store.getSubscription(ctx.chat.id);
    if (!current || current.status === "stopped") {
      await ctx.reply(escapeHtml(ctx.t("not-subscribed")), { parse_mode: "HTML" });
      return;
    }
    await store.stopSubscription(ctx.chat.id, "unsubscribed");
    await ctx.reply(escapeHtml(ctx.t("unsubscribed")), { parse_mode: "HTML" });
  });

  // The digest as it stands, for this chat's sectors: the same renderer as scheduled digests, no bookkeeping.
  router.command("digest", async (ctx) => {
    const sectors = (await store.getSubscription(ctx.chat.id))?.sectors ?? null;
    const digest = deps.digests.render(ctx.locale, sectors, null)!;
    await sendDigest(ctx.api, ctx.chat.id, digest);
  });

  router.command("stats", async (ctx, next) => {
    if (!ctx.from || !deps.adminIds.includes(ctx.from.id)) return next();
    const now = deps.now();
    const startOfToday = fromLocal(toLocal(now, deps.defaultTimezone), 0, deps.defaultTimezone);
    const stats = await store.stats(startOfToday);
    const lines = stats.subscribers.map((row) =>
      ctx.t("stats-line", { language: row.language, frequency: row.frequency, status: row.status, count: row.count }),
    );
    const text = [
      bold(ctx.t("stats-title")),
      escapeHtml([ctx.t("stats-subscribers"), ...(lines.length ? lines : [ctx.t("stats-no-subscribers")])].join("\n")),
      escapeHtml(ctx.t("stats-today", { ...stats.deliveries, queued: stats.queued })),
    ].join("\n\n");
    await ctx.reply(text, { parse_mode: "HTML" });
  });

  router.action("settings", async (ctx, { field, value }) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return void (await ctx.answerCallbackQuery({ text: ctx.t("stale-button") }));
    // In groups even looking is for administrators: the screen replaces the message the button was on.
    if (!(await canManageChat(ctx))) return void (await refuse(ctx));
    if (field === undefined) {
      await ctx.answerCallbackQuery();
      return show(ctx, screenFor(ctx, await store.getSubscription(chatId)));
    }

    if (field === "n") {
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter("subscribe", { locale: ctx.locale });
      return;
    }
    if (field === "l") {
      const languageButtons = LOCALES.map((language) =>
        InlineKeyboard.text(deps.translators[language]("language-name"), encodeCallback({ kind: "settings", field: "l", value: language })),
      );
      if (value === undefined) {
        await ctx.answerCallbackQuery();
        const subscription = await store.getSubscription(chatId);
        if (!subscription) return show(ctx, screenFor(ctx, subscription));
        return show(ctx, settingsFieldScreen("l", subscription, library, { locale: ctx.locale, t: ctx.t }, languageButtons));
      }
      if (!isLocale(value)) return stale(ctx, chatId);
      if (ctx.chat?.type === "private") await saveLanguage(ctx, value);
      else {
        await store.setChatLanguage(chatId, value);
        ctx.locale = value;
      }
      await ctx.answerCallbackQuery({ text: ctx.t("language-saved") });
      return show(ctx, screenFor(ctx, await store.getSubscription(chatId)));
    }

    const subscription = await store.getSubscription(chatId);
    if (field === "r" && subscription) {
      await store.resumeSubscription(chatId);
      await ctx.answerCallbackQuery({ text: ctx.t("resumed") });
      return show(ctx, screenFor(ctx, await store.getSubscription(chatId)));
    }
    if (!subscription || subscription.status === "stopped") {
      await ctx.answerCallbackQuery({ text: ctx.t("not-subscribed") });
      return show(ctx, screenFor(ctx, subscription));
    }
    const openField = async (name: "f" | "w" | "t" | "z" | "s", current = subscription) => {
      await ctx.answerCallbackQuery();
      await show(ctx, settingsFieldScreen(name, current, library, { locale: ctx.locale, t: ctx.t }));
    };
    // A value people type (a time, a zone) comes in a short dialogue of its own.
    const askTyped = async (field: "time" | "zone") => {
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter("settingsInput", { locale: ctx.locale, field });
    };
    const saved = async (updated: Subscription | undefined) => {
      await ctx.answerCallbackQuery({ text: ctx.t("settings-saved") });
      await show(ctx, screenFor(ctx, updated));
    };

    switch (field) {
      case "p":
        await store.pauseSubscription(chatId);
        await ctx.answerCallbackQuery({ text: ctx.t("paused") });
        return show(ctx, screenFor(ctx, await store.getSubscription(chatId)));
      case "u":
        await store.stopSubscription(chatId, "unsubscribed");
        await ctx.answerCallbackQuery();
        return show(ctx, { text: escapeHtml(ctx.t("unsubscribed")), keyboard: screenFor(ctx, undefined).keyboard });
      case "f":
        if (value === undefined || value === "w") return openField(value === "w" ? "w" : "f");
        if (value !== "d") return stale(ctx, chatId);
        return saved(await store.updateSubscription(chatId, { schedule: { ...subscription.schedule, frequency: "daily", weekday: null } }));
      case "w": {
        const day = Number(value);
        if (!Number.isInteger(day) || day < 1 || day > 7) return stale(ctx, chatId);
        return saved(await store.updateSubscription(chatId, { schedule: { ...subscription.schedule, frequency: "weekly", weekday: day } }));
      }
      case "t": {
        if (value === undefined) return openField("t");
        if (value === "type") return askTyped("time");
        const minuteOfDay = decodeTime(value);
        if (minuteOfDay === undefined) return stale(ctx, chatId);
        return saved(await store.updateSubscription(chatId, { schedule: { ...subscription.schedule, minuteOfDay } }));
      }
      case "z": {
        if (value === undefined) return openField("z");
        if (value === "type") return askTyped("zone");
        const timezone = ZONE_PRESETS[value];
        if (!timezone) return stale(ctx, chatId);
        return saved(await store.updateSubscription(chatId, { schedule: { ...subscription.schedule, timezone } }));
      }
      case "s": {
        if (value === undefined) return openField("s");
        const all = sectorChoices(library).map((choice) => choice.id);
        if (!all.includes(value)) return stale(ctx, chatId);
        const current = subscription.sectors ?? all;
        const chosen = current.includes(value) ? current.filter((id) => id !== value) : [...current, value];
        if (chosen.length === 0) return void (await ctx.answerCallbackQuery({ text: ctx.t("dialog-sectors-empty") }));
        const updated = await store.updateSubscription(chatId, { sectors: all.every((id) => chosen.includes(id)) ? null : chosen });
        return openField("s", updated);
      }
      default:
        return stale(ctx, chatId);
    }
  });

  async function stale(ctx: BotContext, chatId: number): Promise<void> {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    await show(ctx, screenFor(ctx, await store.getSubscription(chatId)));
  }

  // A dialogue button with no dialogue waiting: finished, timed out, or another member's dialogue in a group.
  router.action("dialog", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("dialog-ended") }));

  // Blocked in a private chat, or removed from a group: nothing more can be delivered there.
  composer.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== "kicked" && status !== "left") return;
    const reason: StopReason = ctx.chat.type === "private" ? "blocked" : "removed";
    if ((await store.getSubscription(ctx.chat.id))?.status !== "stopped") await store.stopSubscription(ctx.chat.id, reason);
  });

  // A group upgraded to a supergroup gets a new id: its subscription follows.
  composer.on("message:migrate_to_chat_id", (ctx) => store.moveChat(ctx.chat.id, ctx.message.migrate_to_chat_id));

  return composer;
}

/** What /start adds for a chat whose digest stopped because the bot was blocked or removed. */
export async function resumeOffer(deps: Deps, ctx: BotContext): Promise<Rendered | undefined> {
  const chatId = ctx.chat?.id;
  const subscription = chatId === undefined ? undefined : await deps.store.getSubscription(chatId);
  if (subscription?.status !== "stopped" || subscription.stopReason === "unsubscribed") return undefined;
  return {
    text: escapeHtml(ctx.t("resume-offer")),
    keyboard: InlineKeyboard.from([
      [InlineKeyboard.text(ctx.t("button-resume"), encodeCallback({ kind: "settings", field: "r" }))],
    ]),
  };
}
