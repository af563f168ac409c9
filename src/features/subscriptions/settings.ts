import type { BotContext } from "../../bot/context.js";
import type { Deps } from "../../bot/deps.js";
import { canManageChat } from "../../bot/admins.js";
import type { Feature } from "../../bot/feature.js";
import { saveLanguage } from "../../bot/language.js";
import { show } from "../../bot/screens.js";
import { storedSectors, toggleSector } from "../../digest/subscriptions.js";
import type { SettingsChoice, SettingsField } from "../../render/callback-data.js";
import { escapeHtml } from "../../render/format.js";
import { settingsFieldScreen, topicIds, type SettingsFieldScreen } from "../../render/subscription.js";
import { scriptFor } from "../../shared/locale.js";
import { ZONE_PRESETS, type Schedule } from "../../shared/schedule.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";
import type { Subscription } from "../../store/types.js";
import type { SubscriptionDialogs } from "./dialogs.js";
import type { SubscriptionScreens } from "./screens.js";

type ChoiceOf<F extends SettingsField> = Extract<SettingsChoice, { field: F }>;
/** What a settings button does with the chat it was pressed in. */
type FieldHandler<F extends SettingsField> = (ctx: BotContext, choice: ChoiceOf<F>, chatId: number) => Promise<unknown>;
type FieldHandlers = { [F in SettingsField]: FieldHandler<F> };

/**
 * The /settings buttons: a handler per field, each answering the press and redrawing the screen. A button on a
 * message in a forum topic is about that topic's subscription (the topic comes from the message it is on).
 */
export function settingsPart(deps: Deps, dialogs: SubscriptionDialogs, screens: SubscriptionScreens): Feature {
  const { store } = deps;

  const showSettings = async (ctx: BotContext, chatId: number, answer?: string) => {
    await ctx.answerCallbackQuery(answer === undefined ? {} : { text: answer });
    await show(ctx, screens.settings(ctx, await store.getSubscription(chatId, forumTopicOf(ctx))));
  };
  const openField = async (ctx: BotContext, field: SettingsFieldScreen, subscription: Subscription) => {
    await ctx.answerCallbackQuery();
    await show(ctx, settingsFieldScreen(field, subscription, ctx.edition.library, { locale: ctx.locale, t: ctx.t }, deps.translators));
  };
  /** A value people type (a time, a zone) comes in a short dialogue of its own. */
  const askTyped = async (ctx: BotContext, field: "time" | "zone") => {
    await ctx.answerCallbackQuery();
    await dialogs.settingsInput.enter(ctx, { locale: ctx.locale, script: ctx.script, field });
  };
  const saveSchedule = async (ctx: BotContext, chatId: number, schedule: Partial<Schedule>, subscription: Subscription) => {
    await store.updateSubscription(chatId, { schedule: { ...subscription.schedule, ...schedule } }, forumTopicOf(ctx));
    await showSettings(ctx, chatId, ctx.t("settings-saved"));
  };

  /** Fields that change an existing subscription: without one (or a stopped one), the press says so. */
  function requireLiveSubscription<F extends SettingsField>(
    handler: (ctx: BotContext, choice: ChoiceOf<F>, chatId: number, subscription: Subscription) => Promise<unknown>,
  ): FieldHandler<F> {
    return async (ctx, choice, chatId) => {
      const subscription = await store.getSubscription(chatId, forumTopicOf(ctx));
      if (!subscription || subscription.status === "stopped") return showSettings(ctx, chatId, ctx.t("not-subscribed"));
      return handler(ctx, choice, chatId, subscription);
    };
  }

  const fields: FieldHandlers = {
    stale: (ctx, _choice, chatId) => showSettings(ctx, chatId, ctx.t("stale-button")),
    subscribe: async (ctx) => {
      await ctx.answerCallbackQuery();
      await dialogs.subscribe.enter(ctx, { locale: ctx.locale, script: ctx.script });
    },
    language: async (ctx, { language, script }, chatId) => {
      if (language === undefined) {
        const subscription = await store.getSubscription(chatId, forumTopicOf(ctx));
        if (!subscription) return showSettings(ctx, chatId);
        return openField(ctx, "language", subscription);
      }
      if (ctx.chat?.type === "private") await saveLanguage(store, ctx, language, script);
      else {
        await store.setChatLanguage(chatId, language, scriptFor(language, script));
        ctx.locale = language;
        ctx.script = scriptFor(language, script);
      }
      return showSettings(ctx, chatId, ctx.t("language-saved"));
    },
    resume: async (ctx, _choice, chatId) => {
      if (!(await store.getSubscription(chatId, forumTopicOf(ctx)))) return showSettings(ctx, chatId, ctx.t("not-subscribed"));
      await store.resumeSubscription(chatId, forumTopicOf(ctx));
      return showSettings(ctx, chatId, ctx.t("resumed"));
    },
    silent: requireLiveSubscription(async (ctx, { silent }, chatId) => {
      await store.updateSubscription(chatId, { silent }, forumTopicOf(ctx));
      return showSettings(ctx, chatId, ctx.t("settings-saved"));
    }),
    pause: requireLiveSubscription(async (ctx, _choice, chatId) => {
      await store.pauseSubscription(chatId, forumTopicOf(ctx));
      return showSettings(ctx, chatId, ctx.t("paused"));
    }),
    unsubscribe: requireLiveSubscription(async (ctx, _choice, chatId) => {
      await store.stopSubscription(chatId, "unsubscribed", forumTopicOf(ctx));
      await ctx.answerCallbackQuery();
      return show(ctx, { text: escapeHtml(ctx.t("unsubscribed")), keyboard: screens.settings(ctx, undefined).keyboard });
    }),
    frequency: requireLiveSubscription(async (ctx, { frequency }, chatId, subscription) => {
      if (frequency === undefined) return openField(ctx, "frequency", subscription);
      // Weekly needs its day first; the weekday button saves both. Daily and instant are saved at once (instant keeps
      // the time and zone, unused, for a switch back).
      if (frequency === "weekly") return openField(ctx, "weekday", subscription);
      return saveSchedule(ctx, chatId, { frequency, weekday: null }, subscription);
    }),
    weekday: requireLiveSubscription((ctx, { weekday }, chatId, subscription) =>
      saveSchedule(ctx, chatId, { frequency: "weekly", weekday }, subscription),
    ),
    time: requireLiveSubscription(async (ctx, { minuteOfDay }, chatId, subscription) => {
      if (minuteOfDay === undefined) return openField(ctx, "time", subscription);
      return saveSchedule(ctx, chatId, { minuteOfDay }, subscription);
    }),
    typeTime: requireLiveSubscription((ctx) => askTyped(ctx, "time")),
    zone: requireLiveSubscription(async (ctx, { preset }, chatId, subscription) => {
      if (preset === undefined) return openField(ctx, "zone", subscription);
      return saveSchedule(ctx, chatId, { timezone: ZONE_PRESETS[preset] }, subscription);
    }),
    typeZone: requireLiveSubscription((ctx) => askTyped(ctx, "zone")),
    sectors: requireLiveSubscription(async (ctx, { sector }, chatId, subscription) => {
      if (sector === undefined) return openField(ctx, "sectors", subscription);
      const all = topicIds(ctx.edition.library);
      // A sector of a briefing that no longer exists: a stale button.
      if (!all.includes(sector)) return showSettings(ctx, chatId, ctx.t("stale-button"));
      const chosen = toggleSector(subscription.sectors ?? all, sector);
      if (chosen.length === 0) return ctx.answerCallbackQuery({ text: ctx.t("dialog-sectors-empty") });
      const updated = await store.updateSubscription(chatId, { sectors: storedSectors(chosen, all) }, forumTopicOf(ctx));
      return updated ? openField(ctx, "sectors", updated) : showSettings(ctx, chatId, ctx.t("not-subscribed"));
    }),
  };

  function handleChoice<F extends SettingsField>(ctx: BotContext, choice: ChoiceOf<F>, chatId: number): Promise<unknown> {
    const handler: FieldHandler<F> = fields[choice.field];
    return handler(ctx, choice, chatId);
  }

  return {
    actions: {
      settings: {
        // Subscribing and typed values open dialogues.
        opensDialog: true,
        async handle(ctx, { choice }) {
          const chatId = ctx.chat?.id;
          if (chatId === undefined) return ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
          // In groups even looking is for administrators: the screen replaces the message the button was on.
          if (!(await canManageChat(ctx))) return screens.refuse(ctx);
          if (choice === undefined) return showSettings(ctx, chatId);
          return handleChoice(ctx, choice, chatId);
        },
      },
    },
  };
}
