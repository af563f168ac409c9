import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import { canManageChat, channelRefusal } from "../../bot/admins.js";
import type { ActionSpec, Feature } from "../../bot/feature.js";
import { saveLanguage } from "../../bot/language.js";
import { show } from "../../bot/screens.js";
import { storedSectors, subscribeChannel, toggleSector } from "../../digest/subscriptions.js";
import type { SettingsChoice, SettingsField } from "../../render/callback-data.js";
import { channelPickerKeyboard } from "../../render/channel.js";
import { escapeHtml } from "../../render/format.js";
import { settingsFieldScreen, topicIds, type SettingsFieldScreen } from "../../render/subscription.js";
import { scriptFor } from "../../shared/locale.js";
import { ZONE_PRESETS, type Schedule } from "../../shared/schedule.js";
import type { Subscription } from "../../store/types.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";
import type { SubscriptionDialogs } from "./dialogs.js";
import { subscribedNote, type SettingsTarget, type SubscriptionScreens } from "./screens.js";

type ChoiceOf<F extends SettingsField> = Extract<SettingsChoice, { field: F }>;
/** What a settings button does with the chat it acts on. */
type FieldHandler<F extends SettingsField> = (ctx: BotContext, choice: ChoiceOf<F>, target: SettingsTarget) => Promise<unknown>;
type FieldHandlers = { [F in SettingsField]: FieldHandler<F> };

/** What the settings buttons act with: the bot's deps, the subscription dialogues and screens. */
type Settings = { deps: Deps; dialogs: SubscriptionDialogs; screens: SubscriptionScreens };

/** Answers the press (with `answer`, if any) and redraws the settings screen as it now stands. */
async function showSettings({ screens }: Settings, ctx: BotContext, target: SettingsTarget, answer?: string) {
  await ctx.answerCallbackQuery(answer === undefined ? {} : { text: answer });
  await show(ctx, await screens.current(ctx, target));
}

/** The screen of one field: its choices, the current one marked. */
async function openField(
  { deps }: Settings,
  ctx: BotContext,
  field: SettingsFieldScreen,
  subscription: Subscription,
  target: SettingsTarget,
) {
  await ctx.answerCallbackQuery();
  const options = { locale: ctx.locale, t: ctx.t, script: ctx.script };
  const channel = target.channel ? { chatId: target.chatId, title: target.channel.title } : undefined;
  await show(ctx, settingsFieldScreen(field, subscription, ctx.edition.library, options, deps.translators, channel));
}

/** A value people type (a time, a zone) comes in a short dialogue of its own. */
async function askTyped({ dialogs }: Settings, ctx: BotContext, field: "time" | "zone", target: SettingsTarget) {
  await ctx.answerCallbackQuery();
  const channel = target.channel ? { channelId: target.chatId } : {};
  await dialogs.settingsInput.enter(ctx, { locale: ctx.locale, script: ctx.script, field, ...channel });
}

async function saveSchedule(
  kit: Settings,
  ctx: BotContext,
  target: SettingsTarget,
  schedule: Partial<Schedule>,
  subscription: Subscription,
) {
  await kit.deps.store.updateSubscription(target.chatId, { schedule: { ...subscription.schedule, ...schedule } }, target.threadId);
  await showSettings(kit, ctx, target, ctx.t("settings-saved"));
}

/** Fields that change an existing subscription: without one (or a stopped one), the press says so. */
function requireLiveSubscription<F extends SettingsField>(
  kit: Settings,
  handler: (ctx: BotContext, choice: ChoiceOf<F>, target: SettingsTarget, subscription: Subscription) => Promise<unknown>,
): FieldHandler<F> {
  return async (ctx, choice, target) => {
    const subscription = await kit.deps.store.getSubscription(target.chatId, target.threadId);
    if (!subscription || subscription.status === "stopped") return showSettings(kit, ctx, target, ctx.t("not-subscribed"));
    return handler(ctx, choice, target, subscription);
  };
}

type LifecycleField = "stale" | "subscribe" | "channel" | "language" | "resume" | "pause" | "unsubscribe";

/** The buttons that start, stop and place a subscription, and its language. */
function lifecycleFields(kit: Settings): Pick<FieldHandlers, LifecycleField> {
  const { store } = kit.deps;
  return {
    stale: (ctx, _choice, target) => showSettings(kit, ctx, target, ctx.t("stale-button")),
    subscribe: async (ctx, _choice, target) => {
      if (target.channel && ctx.from) {
        // A channel has no dialogue of its own: its digest starts again as it was (or with the defaults).
        const saved = await subscribeChannel(store, {
          chatId: target.chatId,
          title: target.channel.title,
          locale: ctx.locale,
          script: ctx.script,
          createdBy: ctx.from.id,
          defaultTimezone: kit.deps.defaultTimezone,
        });
        return showSettings(kit, ctx, target, subscribedNote(ctx.t, saved, kit.deps.now(), ctx.edition.digests.contentMark));
      }
      await ctx.answerCallbackQuery();
      await kit.dialogs.subscribe.enter(ctx, { locale: ctx.locale, script: ctx.script });
    },
    channel: async (ctx) => {
      // Telegram's chat picker exists on reply keyboards only, which only a private chat shows to one person.
      if (ctx.chat?.type !== "private") return ctx.answerCallbackQuery({ text: ctx.t("channel-private-only") });
      await ctx.answerCallbackQuery();
      await ctx.reply(escapeHtml(ctx.t("channel-pick")), { parse_mode: "HTML", reply_markup: channelPickerKeyboard(ctx.t) });
    },
    language: async (ctx, { language, script }, target) => {
      if (language === undefined) {
        const subscription = await store.getSubscription(target.chatId, target.threadId);
        if (!subscription) return showSettings(kit, ctx, target);
        return openField(kit, ctx, "language", subscription, target);
      }
      if (target.channel) await store.setChatLanguage(target.chatId, language, scriptFor(language, script));
      else if (ctx.chat?.type === "private") await saveLanguage(store, ctx, language, script);
      else {
        await store.setChatLanguage(target.chatId, language, scriptFor(language, script));
        ctx.locale = language;
        ctx.script = scriptFor(language, script);
      }
      return showSettings(kit, ctx, target, ctx.t("language-saved", { language, script: scriptFor(language, script) }));
    },
    resume: async (ctx, _choice, target) => {
      if (!(await store.getSubscription(target.chatId, target.threadId))) return showSettings(kit, ctx, target, ctx.t("not-subscribed"));
      await store.resumeSubscription(target.chatId, target.threadId);
      return showSettings(kit, ctx, target, ctx.t("resumed"));
    },
    pause: requireLiveSubscription(kit, async (ctx, _choice, target) => {
      await store.pauseSubscription(target.chatId, target.threadId);
      return showSettings(kit, ctx, target, ctx.t("paused"));
    }),
    unsubscribe: requireLiveSubscription(kit, async (ctx, _choice, target) => {
      await store.stopSubscription(target.chatId, "unsubscribed", target.threadId);
      await ctx.answerCallbackQuery();
      // The buttons of the screen as it now stands: in a private chat, with the channels the person manages.
      const { keyboard } = await kit.screens.current(ctx, target);
      return show(ctx, { text: escapeHtml(ctx.t("unsubscribed")), keyboard });
    }),
  };
}

/** The buttons that shape the digest: its sound, schedule, time zone and sectors. */
function digestFields(kit: Settings): Omit<FieldHandlers, LifecycleField> {
  const { store } = kit.deps;
  return {
    silent: requireLiveSubscription(kit, async (ctx, { silent }, target) => {
      await store.updateSubscription(target.chatId, { silent }, target.threadId);
      return showSettings(kit, ctx, target, ctx.t("settings-saved"));
    }),
    frequency: requireLiveSubscription(kit, async (ctx, { frequency }, target, subscription) => {
      if (frequency === undefined) return openField(kit, ctx, "frequency", subscription, target);
      // Weekly needs its day first; the weekday button saves both. Daily and instant are saved at once (instant keeps
      // the time and zone, unused, for a switch back).
      if (frequency === "weekly") return openField(kit, ctx, "weekday", subscription, target);
      return saveSchedule(kit, ctx, target, { frequency, weekday: null }, subscription);
    }),
    weekday: requireLiveSubscription(kit, (ctx, { weekday }, target, subscription) =>
      saveSchedule(kit, ctx, target, { frequency: "weekly", weekday }, subscription),
    ),
    time: requireLiveSubscription(kit, async (ctx, { minuteOfDay }, target, subscription) => {
      if (minuteOfDay === undefined) return openField(kit, ctx, "time", subscription, target);
      return saveSchedule(kit, ctx, target, { minuteOfDay }, subscription);
    }),
    typeTime: requireLiveSubscription(kit, (ctx, _choice, target) => askTyped(kit, ctx, "time", target)),
    zone: requireLiveSubscription(kit, async (ctx, { preset }, target, subscription) => {
      if (preset === undefined) return openField(kit, ctx, "zone", subscription, target);
      return saveSchedule(kit, ctx, target, { timezone: ZONE_PRESETS[preset] }, subscription);
    }),
    typeZone: requireLiveSubscription(kit, (ctx, _choice, target) => askTyped(kit, ctx, "zone", target)),
    sectors: requireLiveSubscription(kit, async (ctx, { sector }, target, subscription) => {
      if (sector === undefined) return openField(kit, ctx, "sectors", subscription, target);
      const all = topicIds(ctx.edition.library);
      // A sector of a briefing that no longer exists: a stale button.
      if (!all.includes(sector)) return showSettings(kit, ctx, target, ctx.t("stale-button"));
      const chosen = toggleSector(subscription.sectors ?? all, sector);
      if (chosen.length === 0) return ctx.answerCallbackQuery({ text: ctx.t("dialog-sectors-empty") });
      const updated = await store.updateSubscription(target.chatId, { sectors: storedSectors(chosen, all) }, target.threadId);
      return updated ? openField(kit, ctx, "sectors", updated, target) : showSettings(kit, ctx, target, ctx.t("not-subscribed"));
    }),
  };
}

function handleChoice<F extends SettingsField>(
  fields: FieldHandlers,
  ctx: BotContext,
  choice: ChoiceOf<F>,
  target: SettingsTarget,
): Promise<unknown> {
  const handler: FieldHandler<F> = fields[choice.field];
  return handler(ctx, choice, target);
}

/** A /settings button in the chat it is about (a group's, a forum topic's, a private chat's own subscription). */
function chatSettingsAction(kit: Settings, fields: FieldHandlers): ActionSpec<"settings"> {
  return {
    // Subscribing and typed values open dialogues.
    opensDialog: true,
    async handle(ctx, { choice }) {
      const chatId = ctx.chat?.id;
      if (chatId === undefined) return ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      // In groups even looking is for administrators: the screen replaces the message the button was on.
      if (!(await canManageChat(ctx))) return kit.screens.refuse(ctx);
      // A button on a message in a forum topic is about that topic's subscription.
      const target: SettingsTarget = { chatId, threadId: forumTopicOf(ctx) };
      if (choice === undefined) return showSettings(kit, ctx, target);
      return handleChoice(fields, ctx, choice, target);
    },
  };
}

/** A channel's /settings button, in the private chat of its admin. */
function channelSettingsAction(kit: Settings, fields: FieldHandlers): ActionSpec<"channel"> {
  return {
    // Typed values open a dialogue.
    opensDialog: true,
    async handle(ctx, { chatId, choice }) {
      // A channel is managed from a private chat only; the channel in the button is checked at each press, since
      // a button can be old (rights changed since) or forged (any id can be typed into callback data).
      const userId = ctx.from?.id;
      if (ctx.chat?.type !== "private" || userId === undefined) return ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      // Only a chat recorded as a channel (accepted through the picker) is managed here: a group's id in a forged
      // button is refused before Telegram is asked anything.
      const chat = await kit.deps.store.getChat(chatId);
      if (chat?.kind !== "channel") return ctx.answerCallbackQuery({ text: ctx.t("channel-refused-unknown-channel") });
      const refusal = await channelRefusal(ctx.api, chatId, userId, ctx.me.id);
      if (refusal) return ctx.answerCallbackQuery({ text: ctx.t(`channel-refused-${refusal}`) });
      const target: SettingsTarget = { chatId, threadId: null, channel: { title: chat.title } };
      if (choice === undefined) return showSettings(kit, ctx, target);
      return handleChoice(fields, ctx, choice, target);
    },
  };
}

/**
 * The /settings buttons: a handler per field, each answering the press and redrawing the screen. A button on a
 * message in a forum topic is about that topic's subscription (the topic comes from the message it is on). The same
 * handlers serve a channel's settings in the private chat of its admin, behind a check of their rights at each press.
 */
export function settingsPart(deps: Deps, dialogs: SubscriptionDialogs, screens: SubscriptionScreens): Feature {
  const kit: Settings = { deps, dialogs, screens };
  const fields: FieldHandlers = { ...lifecycleFields(kit), ...digestFields(kit) };
  return { actions: { settings: chatSettingsAction(kit, fields), channel: channelSettingsAction(kit, fields) } };
}
