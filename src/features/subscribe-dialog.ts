import { createConversation, type Conversation } from "@grammyjs/conversations";
import { InlineKeyboard, type Composer } from "grammy";
import type { Locale } from "../content/types.js";
import type { BotContext, DialogContext } from "../context.js";
import type { Deps } from "../deps.js";
import { canonicalZone } from "../digest/zoned-time.js";
import { parseTime, type Frequency, type Schedule } from "../digest/schedule.js";
import { decodeCallback } from "../render/callback-data.js";
import { bold, escapeHtml, type Translate } from "../render/format.js";
import type { Rendered } from "../render/sections.js";
import {
  decodeTime,
  dialogCallback,
  frequencyButtons,
  sectorButtons,
  sectorChoices,
  settingsScreen,
  subscriptionLines,
  timeButtons,
  weekdayButtons,
} from "../render/subscription.js";
import type { ChatKind } from "../store/types.js";
import { show } from "./navigation.js";
import { ignoreNotModified } from "../telegram/not-modified.js";
import { retryOnFlood } from "../telegram/retry.js";

/** A dialogue left unanswered this long is over; a later answer is handled as if there were no dialogue. */
export const DIALOG_TIMEOUT_MS = 30 * 60 * 1000;

/** Commands that can open a dialogue (settings buttons can too); other commands only matter while one is open. */
export const DIALOG_COMMANDS: ReadonlySet<string> = new Set(["subscribe"]);

type Step = "frequency" | "weekday" | "time" | "sectors" | "confirm";
type Draft = { frequency: Frequency; weekday: number | null; minuteOfDay: number; sectors: string[] };
export type DialogArgs = { locale: Locale };
export type SettingsInputArgs = { locale: Locale; field: "time" | "zone" };

type Convo = Conversation<BotContext, DialogContext>;

const isCommand = (text: string) => text.startsWith("/");
const isCancel = (text: string) => /^\/cancel(@\w+)?$/i.test(text.trim());

/** Conversations run on their own Api objects: give them the same transformers as the bot's. */
function apiPlugins() {
  return [
    async (ctx: DialogContext, next: () => Promise<void>) => {
      ctx.api.config.use(ignoreNotModified);
      ctx.api.config.use(retryOnFlood());
      await next();
    },
  ];
}

export function subscribeDialogs(deps: Deps, composer: Composer<BotContext>): void {
  const { library, store } = deps;

  function stepScreen(step: Step, draft: Draft, t: Translate, locale: Locale, zone: string): Rendered {
    const cancel = [InlineKeyboard.text(t("button-cancel"), dialogCallback("x"))];
    const screen = (prompt: string, rows: ReturnType<typeof frequencyButtons>) => ({
      text: escapeHtml(prompt),
      keyboard: InlineKeyboard.from([...rows, cancel]),
    });
    switch (step) {
      case "frequency":
        return screen(t("dialog-frequency"), frequencyButtons(t, dialogCallback, "f"));
      case "weekday":
        return screen(t("dialog-weekday"), weekdayButtons(t, dialogCallback, "w"));
      case "time":
        return screen(t("dialog-time", { zone }), timeButtons(dialogCallback, "t"));
      case "sectors":
        return screen(t("dialog-sectors"), [
          ...sectorButtons(library, draft.sectors, locale, dialogCallback, "s"),
          [InlineKeyboard.text(t("button-done"), dialogCallback("ok"))],
        ]);
      case "confirm": {
        const lines = subscriptionLines(
          { schedule: scheduleOf(draft, zone), sectors: draft.sectors, language: locale },
          library,
          { locale, t },
        );
        return {
          text: `${bold(t("dialog-confirm"))}\n\n${lines.join("\n")}`,
          keyboard: InlineKeyboard.from([[InlineKeyboard.text(t("button-confirm"), dialogCallback("ok"))], cancel]),
        };
      }
    }
  }

  const scheduleOf = (draft: Draft, timezone: string): Schedule => ({
    frequency: draft.frequency,
    weekday: draft.frequency === "weekly" ? draft.weekday : null,
    minuteOfDay: draft.minuteOfDay,
    timezone,
  });

  /** Applies a button press to the draft; returns the next step, or undefined if the press does not fit this step. */
  function advance(step: Step, draft: Draft, pressed: { step: string; value?: string }): Step | "save" | undefined {
    const { value } = pressed;
    switch (step) {
      case "frequency":
        if (pressed.step !== "f" || (value !== "d" && value !== "w")) return undefined;
        draft.frequency = value === "d" ? "daily" : "weekly";
        return value === "w" ? "weekday" : "time";
      case "weekday": {
        const day = Number(value);
        if (pressed.step !== "w" || !Number.isInteger(day) || day < 1 || day > 7) return undefined;
        draft.weekday = day;
        return "time";
      }
      case "time": {
        const minutes = decodeTime(value);
        if (pressed.step !== "t" || minutes === undefined) return undefined;
        draft.minuteOfDay = minutes;
        return "sectors";
      }
      case "sectors":
        if (pressed.step === "ok") return draft.sectors.length > 0 ? "confirm" : "sectors";
        if (pressed.step !== "s" || !sectorChoices(library).some((choice) => choice.id === value)) return undefined;
        draft.sectors = draft.sectors.includes(value!) ? draft.sectors.filter((id) => id !== value) : [...draft.sectors, value!];
        return "sectors";
      case "confirm":
        return pressed.step === "ok" ? "save" : undefined;
    }
  }

  async function subscribe(conversation: Convo, ctx: DialogContext, args: DialogArgs): Promise<void> {
    const { locale } = args;
    const t = deps.translators[locale];
    const chat = ctx.chat!;
    const existing = await conversation.external(() => store.getSubscription(chat.id));
    const zone = existing?.schedule.timezone ?? deps.defaultTimezone;
    const allSectors = sectorChoices(library).map((choice) => choice.id);
    const draft: Draft = { frequency: "daily", weekday: null, minuteOfDay: 9 * 60, sectors: existing?.sectors ?? allSectors };
    let step: Step = "frequency";
    await show(ctx, stepScreen(step, draft, t, locale, zone));

    for (;;) {
      const next = await conversation.wait();
      if (next.callbackQuery) {
        const action = decodeCallback(next.callbackQuery.data);
        // Another bot button (a menu, a digest): the person moved on; that button works as usual.
        if (action?.kind !== "dialog") await conversation.halt({ next: true });
        if (action?.kind !== "dialog") return;
        if (action.step === "x") {
          await next.answerCallbackQuery();
          await show(next, { text: escapeHtml(t("dialog-cancelled")), keyboard: new InlineKeyboard() });
          return;
        }
        const result = advance(step, draft, action);
        if (result === undefined) {
          await next.answerCallbackQuery({ text: t("dialog-not-understood") });
          await show(next, stepScreen(step, draft, t, locale, zone));
          continue;
        }
        if (result === "save") {
          await next.answerCallbackQuery();
          const sectors = allSectors.every((id) => draft.sectors.includes(id)) ? null : draft.sectors;
          const saved = await conversation.external(async () =>
            store.saveSubscription({
              chatId: chat.id,
              chatKind: chat.type as ChatKind,
              language: chat.type === "private" ? locale : ((await store.getChat(chat.id))?.language ?? locale),
              schedule: scheduleOf(draft, zone),
              sectors,
              createdBy: next.from?.id ?? null,
            }),
          );
          const summary = settingsScreen(saved, library, { locale, t });
          await show(next, { text: `${escapeHtml(t("subscribed"))}\n\n${summary.text}`, keyboard: summary.keyboard });
          return;
        }
        if (step === "sectors" && result === "sectors" && action.step === "ok") {
          await next.answerCallbackQuery({ text: t("dialog-sectors-empty") });
        } else {
          await next.answerCallbackQuery();
        }
        step = result;
        await show(next, stepScreen(step, draft, t, locale, zone));
        continue;
      }

      const text = next.message?.text;
      if (text !== undefined && isCancel(text)) {
        await next.reply(escapeHtml(t("dialog-cancelled")), { parse_mode: "HTML" });
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
          await show(next, stepScreen(step, draft, t, locale, zone));
          continue;
        }
        await next.reply(escapeHtml(t("dialog-time-invalid")), { parse_mode: "HTML" });
      } else {
        await next.reply(escapeHtml(t("dialog-not-understood")), { parse_mode: "HTML" });
      }
      await show(next, stepScreen(step, draft, t, locale, zone));
    }
  }

  /** One typed value for /settings: a time (HH:MM) or an IANA zone name. */
  async function settingsInput(conversation: Convo, ctx: DialogContext, args: SettingsInputArgs): Promise<void> {
    const t = deps.translators[args.locale];
    const chatId = ctx.chat!.id;
    const prompt = args.field === "time" ? "ask-time" : "ask-zone";
    await ctx.reply(escapeHtml(t(prompt)), { parse_mode: "HTML" });
    for (;;) {
      const next = await conversation.wait();
      if (next.callbackQuery) await conversation.halt({ next: true });
      const text = next.message?.text?.trim();
      if (text === undefined) {
        if (!next.message) await conversation.skip({ next: true });
        await next.reply(escapeHtml(t(prompt)), { parse_mode: "HTML" });
        continue;
      }
      if (isCancel(text)) {
        await next.reply(escapeHtml(t("input-cancelled")), { parse_mode: "HTML" });
        return;
      }
      if (isCommand(text)) await conversation.halt({ next: true });
      const updated = await conversation.external(async () => {
        const current = await store.getSubscription(chatId);
        if (!current) return undefined;
        if (args.field === "time") {
          const minuteOfDay = parseTime(text);
          return minuteOfDay === undefined ? null : await store.updateSubscription(chatId, { schedule: { ...current.schedule, minuteOfDay } });
        }
        const timezone = canonicalZone(text);
        return timezone === undefined ? null : await store.updateSubscription(chatId, { schedule: { ...current.schedule, timezone } });
      });
      if (updated === undefined) {
        await next.reply(escapeHtml(t("not-subscribed")), { parse_mode: "HTML" });
        return;
      }
      if (updated === null) {
        const problem = args.field === "time" ? t("dialog-time-invalid") : t("zone-invalid", { value: text.slice(0, 64) });
        await next.reply(escapeHtml(problem), { parse_mode: "HTML" });
        continue;
      }
      const screen = settingsScreen(updated, library, { locale: args.locale, t });
      await next.reply(`${escapeHtml(t("settings-saved"))}\n\n${screen.text}`, { parse_mode: "HTML", reply_markup: screen.keyboard });
      return;
    }
  }

  const config = { maxMillisecondsToWait: DIALOG_TIMEOUT_MS, plugins: apiPlugins(), parallel: false };
  composer.use(createConversation<BotContext, DialogContext>(subscribe, { id: "subscribe", ...config }));
  composer.use(createConversation<BotContext, DialogContext>(settingsInput, { id: "settingsInput", ...config }));
}
