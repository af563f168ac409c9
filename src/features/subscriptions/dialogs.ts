import { InlineKeyboard } from "grammy";
import type { ForceReply } from "grammy/types";
import type { DialogContext } from "../../bot/context.js";
import { channelRefusal } from "../../bot/admins.js";
import type { Deps } from "../../bot/deps.js";
import { defineDialog, type DialogConversation } from "../../bot/dialogs.js";
import type { Feature } from "../../bot/feature.js";
import { readerTranslate } from "../../bot/prepare.js";
import { replyScreen, replyText, show } from "../../bot/screens.js";
import { DEFAULT_MINUTE_OF_DAY, storedSectors, subscribeChat, toggleSector } from "../../digest/subscriptions.js";
import { canonicalZone } from "../../digest/zoned-time.js";
import { decodeCallback, type DialogAnswer } from "../../render/callback-data.js";
import { bold, escapeHtml, withNote, type Rendered } from "../../render/format.js";
import { mainMenuKeyboard } from "../../render/sections.js";
import {
  dialogButton,
  dialogChoices,
  dialogSound,
  soundButton,
  frequencyButtons,
  sectorButtons,
  topicIds,
  settingsScreen,
  subscriptionLines,
  timeButtons,
  weekdayButtons,
  zoneLabel,
} from "../../render/subscription.js";
import type { Locale, Script, Translate } from "../../shared/locale.js";
import { silentByDefault } from "../../store/types.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";
import { parseTime, type Frequency, type Schedule } from "../../shared/schedule.js";
import { subscribedNote, type SubscriptionScreens } from "./screens.js";

type Step = "frequency" | "weekday" | "time" | "sectors" | "confirm";
type Draft = { frequency: Frequency; weekday: number | null; minuteOfDay: number; sectors: string[]; silent: boolean };

const isCommand = (text: string) => text.startsWith("/");
const isCancel = (text: string) => /^\/cancel(@\w+)?$/i.test(text.trim());

/**
 * The two dialogues of subscriptions: /subscribe step by step (frequency, weekday, time, sectors, confirmation),
 * and one typed value for /settings (a time or a time zone). Their state lives in the store, so a restart or another
 * instance continues them; another command or another bot button leaves them and is handled as usual.
 */
/** What a dialogue is answered in: the reader's language and script, fixed when it opens (like the locale). */
export type DialogReading = { locale: Locale; script?: Script };

export function subscriptionDialogs(deps: Deps, screens: SubscriptionScreens) {
  const { store } = deps;
  // A dialogue runs again from its start at each step: every step reads the content as it is at that step.
  const library = () => deps.edition().library;
  const allSectors = () => topicIds(library());

  const scheduleOf = (draft: Draft, timezone: string): Schedule => ({
    frequency: draft.frequency,
    weekday: draft.frequency === "weekly" ? draft.weekday : null,
    minuteOfDay: draft.minuteOfDay,
    timezone,
  });

  /** The answer to a cancelled dialogue, with the way back to the briefing. */
  const cancelled = (t: Translate): Rendered => ({
    text: escapeHtml(t("dialog-cancelled")),
    keyboard: mainMenuKeyboard(library().latest.id, t),
  });

  function stepScreen(step: Step, draft: Draft, t: Translate, reading: Required<DialogReading>, zone: string): Rendered {
    const { locale } = reading;
    const cancel = [InlineKeyboard.text(t("button-cancel"), dialogButton({ step: "cancel" }))];
    const screen = (prompt: string, rows: ReturnType<typeof frequencyButtons>) => ({
      text: escapeHtml(prompt),
      keyboard: InlineKeyboard.from([...rows, cancel]),
    });
    switch (step) {
      case "frequency":
        return screen(t("dialog-frequency"), frequencyButtons(t, dialogChoices));
      case "weekday":
        return screen(t("dialog-weekday"), weekdayButtons(t, dialogChoices));
      case "time":
        return screen(t("dialog-time", { zone: zoneLabel(zone, t) }), timeButtons(dialogChoices));
      case "sectors":
        return screen(t("dialog-sectors"), [
          ...sectorButtons(library(), draft.sectors, locale, dialogChoices),
          [InlineKeyboard.text(t("button-done"), dialogButton({ step: "ok" }))],
        ]);
      case "confirm": {
        const draftLines = { schedule: scheduleOf(draft, zone), sectors: draft.sectors, language: locale, silent: draft.silent };
        const lines = subscriptionLines(draftLines, library(), { locale, t, script: reading.script });
        return {
          text: `${bold(t("dialog-confirm"))}\n\n${lines.join("\n")}`,
          keyboard: InlineKeyboard.from([
            [soundButton(draft.silent, t, dialogSound)],
            [InlineKeyboard.text(t("button-confirm"), dialogButton({ step: "ok" }))],
            cancel,
          ]),
        };
      }
    }
  }

  /** Applies a button press to the draft; returns the next step, or undefined if the press does not fit this step. */
  function advance(step: Step, draft: Draft, answer: DialogAnswer): Step | "save" | undefined {
    switch (step) {
      case "frequency":
        if (answer.step !== "frequency") return undefined;
        draft.frequency = answer.frequency;
        // Instant has neither a weekday nor a time: straight on to the sectors.
        if (answer.frequency === "instant") return "sectors";
        return answer.frequency === "weekly" ? "weekday" : "time";
      case "weekday":
        if (answer.step !== "weekday") return undefined;
        draft.weekday = answer.weekday;
        return "time";
      case "time":
        if (answer.step !== "time") return undefined;
        draft.minuteOfDay = answer.minuteOfDay;
        return "sectors";
      case "sectors":
        if (answer.step === "ok") return draft.sectors.length > 0 ? "confirm" : "sectors";
        if (answer.step !== "sector" || !allSectors().includes(answer.sector)) return undefined;
        draft.sectors = toggleSector(draft.sectors, answer.sector);
        return "sectors";
      case "confirm":
        // The sound switch is on the confirmation: the suggestion (silent in a group) is seen before it is saved.
        if (answer.step === "silent") {
          draft.silent = answer.silent;
          return "confirm";
        }
        return answer.step === "ok" ? "save" : undefined;
    }
  }

  const subscribe = defineDialog("subscribe", async (conversation: DialogConversation, ctx: DialogContext, args: DialogReading) => {
    const { locale } = args;
    // Dialogues started before scripts existed carry none: Cyrillic.
    const script = args.script ?? "cyrl";
    const t = readerTranslate(deps.translators, () => ({ locale, script }));
    const chat = ctx.chat!;
    const threadId = forumTopicOf(ctx);
    const existing = await conversation.external(() => store.getSubscription(chat.id, threadId));
    const zone = existing?.schedule.timezone ?? deps.defaultTimezone;
    // The time starts as the chat's own: an instant subscription does not ask for one and keeps it for a switch back.
    const draft: Draft = {
      frequency: "daily",
      weekday: null,
      minuteOfDay: existing?.schedule.minuteOfDay ?? DEFAULT_MINUTE_OF_DAY,
      sectors: existing?.sectors ?? allSectors(),
      silent: existing?.silent ?? silentByDefault(chat.type),
    };
    let step: Step = "frequency";
    await show(ctx, stepScreen(step, draft, t, { locale, script }, zone), script);

    for (;;) {
      const next = await conversation.wait();
      if (next.callbackQuery) {
        const action = decodeCallback(next.callbackQuery.data);
        // Another bot button (a menu, a digest): the person moved on; that button works as usual.
        if (action?.kind !== "dialog") await conversation.halt({ next: true });
        if (action?.kind !== "dialog") return;
        if (action.answer.step === "cancel") {
          await next.answerCallbackQuery();
          await show(next, cancelled(t), script);
          return;
        }
        const result = advance(step, draft, action.answer);
        if (result === undefined) {
          await next.answerCallbackQuery({ text: t("dialog-not-understood") });
          await show(next, stepScreen(step, draft, t, { locale, script }, zone), script);
          continue;
        }
        if (result === "save") {
          await next.answerCallbackQuery();
          const saved = await conversation.external(() =>
            subscribeChat(store, {
              chat,
              threadId,
              locale,
              script,
              schedule: scheduleOf(draft, zone),
              sectors: storedSectors(draft.sectors, allSectors()),
              silent: draft.silent,
              createdBy: next.from?.id ?? null,
            }),
          );
          const summary = await screens.withManagedChannels(
            next,
            { chatId: chat.id, threadId },
            settingsScreen(saved, library(), { locale, t, script }),
            t,
            (read) => conversation.external(read),
          );
          const done = subscribedNote(t, saved, deps.now(), deps.edition().digests.contentMark);
          await show(next, withNote(done, summary), script);
          return;
        }
        const emptyChoice = step === "sectors" && result === "sectors" && action.answer.step === "ok";
        await next.answerCallbackQuery(emptyChoice ? { text: t("dialog-sectors-empty") } : {});
        step = result;
        await show(next, stepScreen(step, draft, t, { locale, script }, zone), script);
        continue;
      }

      // A channel picked in Telegram's picker meanwhile leaves the dialogue and is handled as usual.
      if (next.message?.chat_shared) await conversation.halt({ next: true });
      const text = next.message?.text;
      if (text !== undefined && isCancel(text)) {
        await replyText(next, t("dialog-cancelled"), cancelled(t).keyboard, script);
        return;
      }
      // Any other command leaves the dialogue and is handled as usual.
      if (text !== undefined && isCommand(text)) await conversation.halt({ next: true });
      if (!next.message) await conversation.skip({ next: true });
      if (step === "time" && text !== undefined) {
        const minutes = parseTime(text);
        if (minutes !== undefined) {
          draft.minuteOfDay = minutes;
          step = "sectors";
          await show(next, stepScreen(step, draft, t, { locale, script }, zone), script);
          continue;
        }
        await replyText(next, t("dialog-time-invalid"), undefined, script);
      } else {
        await replyText(next, t("dialog-not-understood"), undefined, script);
      }
      await show(next, stepScreen(step, draft, t, { locale, script }, zone), script);
    }
  });

  /** One typed value for /settings: a time (HH:MM) or an IANA zone name. */
  const settingsInput = defineDialog(
    "settingsInput",
    async (conversation: DialogConversation, ctx: DialogContext, args: DialogReading & { field: "time" | "zone"; channelId?: number }) => {
      const script = args.script ?? "cyrl";
      const t = readerTranslate(deps.translators, () => ({ locale: args.locale, script }));
      // A channel's value is typed in its admin's private chat: the channel is the one changed. Anywhere else it is the
      // subscription of the chat and forum topic the dialogue runs in.
      const chatId = args.channelId ?? ctx.chat!.id;
      const threadId = args.channelId === undefined ? forumTopicOf(ctx) : null;
      const prompt = args.field === "time" ? "ask-time" : "ask-zone";
      // With privacy mode on, a bot in a group reads only replies to its own messages: the question opens the reply
      // field, so the value typed comes back to the bot.
      const answerField: ForceReply | undefined =
        ctx.chat?.type === "group" || ctx.chat?.type === "supergroup" ? { force_reply: true } : undefined;
      await replyText(ctx, t(prompt), answerField, script);
      for (;;) {
        const next = await conversation.wait();
        if (next.callbackQuery || next.message?.chat_shared) await conversation.halt({ next: true });
        const text = next.message?.text?.trim();
        if (text === undefined) {
          if (!next.message) await conversation.skip({ next: true });
          await replyText(next, t(prompt), answerField, script);
          continue;
        }
        if (isCancel(text)) {
          await replyText(next, t("input-cancelled"), undefined, script);
          return;
        }
        if (isCommand(text)) await conversation.halt({ next: true });
        const refusal =
          args.channelId === undefined
            ? undefined
            : await conversation.external(() => channelRefusal(next.api, chatId, next.from?.id ?? 0, next.me.id));
        if (refusal) {
          await replyText(next, t(`channel-refused-${refusal}`), undefined, script);
          return;
        }
        const updated = await conversation.external(async () => {
          const current = await store.getSubscription(chatId, threadId);
          if (!current) return undefined;
          if (args.field === "time") {
            const minuteOfDay = parseTime(text);
            return minuteOfDay === undefined
              ? null
              : await store.updateSubscription(chatId, { schedule: { ...current.schedule, minuteOfDay } }, threadId);
          }
          const timezone = canonicalZone(text);
          return timezone === undefined
            ? null
            : await store.updateSubscription(chatId, { schedule: { ...current.schedule, timezone } }, threadId);
        });
        if (updated === undefined) {
          await replyText(next, t("not-subscribed"), undefined, script);
          return;
        }
        if (updated === null) {
          await replyText(
            next,
            args.field === "time" ? t("dialog-time-invalid") : t("zone-invalid", { value: text.slice(0, 64) }),
            answerField,
            script,
          );
          continue;
        }
        const title =
          args.channelId === undefined ? undefined : await conversation.external(async () => (await store.getChat(chatId))?.title);
        const channel = args.channelId === undefined ? undefined : { chatId, title: title ?? null };
        const screen = await screens.withManagedChannels(
          next,
          { chatId, threadId, ...(channel ? { channel } : {}) },
          settingsScreen(updated, library(), { locale: args.locale, t, script }, channel),
          t,
          (read) => conversation.external(read),
        );
        await replyScreen(next, withNote(t("settings-saved"), screen), script);
        return;
      }
    },
  );

  return { subscribe, settingsInput };
}
export type SubscriptionDialogs = ReturnType<typeof subscriptionDialogs>;

/** The dialogues, and the answer to a dialogue button when no dialogue waits for it. */
export function dialogsPart(dialogs: SubscriptionDialogs): Feature {
  return {
    dialogs: [dialogs.subscribe, dialogs.settingsInput],
    actions: {
      // Finished, timed out, or another member's dialogue in a group.
      dialog: { handle: (ctx) => ctx.answerCallbackQuery({ text: ctx.t("dialog-ended") }) },
    },
  };
}
