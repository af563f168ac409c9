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
import { silentByDefault, type Subscription } from "../../store/types.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";
import { parseTime, type Frequency, type Schedule } from "../../shared/schedule.js";
import { subscribedNote, type SubscriptionScreens } from "./screens.js";

type Step = "frequency" | "weekday" | "time" | "sectors" | "confirm";
type Draft = { frequency: Frequency; weekday: number | null; minuteOfDay: number; sectors: string[]; silent: boolean };

const isCommand = (text: string) => text.startsWith("/");
const isCancel = (text: string) => /^\/cancel(@\w+)?$/i.test(text.trim());

/** What a dialogue is answered in: the reader's language and script, fixed when it opens (like the locale). */
export type DialogReading = { locale: Locale; script?: Script };

/** A dialogue runs again from its start at each step: every step reads the content as it is at that step. */
const libraryOf = (deps: Deps) => deps.edition().library;
const allSectorsOf = (deps: Deps) => topicIds(libraryOf(deps));

/**
 * The two dialogues of subscriptions: /subscribe step by step (frequency, weekday, time, sectors, confirmation),
 * and one typed value for /settings (a time or a time zone). Their state lives in the store, so a restart or another
 * instance continues them; another command or another bot button leaves them and is handled as usual.
 */
export function subscriptionDialogs(deps: Deps, screens: SubscriptionScreens) {
  return { subscribe: subscribeDialog(deps, screens), settingsInput: settingsInputDialog(deps, screens) };
}

/** One run of the /subscribe dialogue: whom it answers, where, and the draft so far. */
type SubscribeRun = {
  conversation: DialogConversation;
  deps: Deps;
  screens: SubscriptionScreens;
  t: Translate;
  reading: Required<DialogReading>;
  chat: NonNullable<DialogContext["chat"]>;
  threadId: number | null;
  zone: string;
  draft: Draft;
  step: Step;
};

/** /subscribe: a screen per step; a press moves the draft on, the last one saves it. */
function subscribeDialog(deps: Deps, screens: SubscriptionScreens) {
  return defineDialog("subscribe", async (conversation: DialogConversation, ctx: DialogContext, args: DialogReading) => {
    const run = await openSubscribe(conversation, ctx, args, deps, screens);
    await showStep(run, ctx);
    for (;;) {
      const next = await conversation.wait();
      const over = next.callbackQuery ? await answerPress(run, next) : await answerMessage(run, next);
      if (over) return;
    }
  });
}

/** The run's start: the chat's current subscription (if any) gives the draft its time, sectors and sound. */
async function openSubscribe(
  conversation: DialogConversation,
  ctx: DialogContext,
  args: DialogReading,
  deps: Deps,
  screens: SubscriptionScreens,
): Promise<SubscribeRun> {
  const { locale } = args;
  // Dialogues started before scripts existed carry none: Cyrillic.
  const script = args.script ?? "cyrl";
  const t = readerTranslate(deps.translators, () => ({ locale, script }));
  const chat = ctx.chat!;
  const threadId = forumTopicOf(ctx);
  const existing = await conversation.external(() => deps.store.getSubscription(chat.id, threadId));
  const zone = existing?.schedule.timezone ?? deps.defaultTimezone;
  // The time starts as the chat's own: an instant subscription does not ask for one and keeps it for a switch back.
  const draft: Draft = {
    frequency: "daily",
    weekday: null,
    minuteOfDay: existing?.schedule.minuteOfDay ?? DEFAULT_MINUTE_OF_DAY,
    sectors: existing?.sectors ?? allSectorsOf(deps),
    silent: existing?.silent ?? silentByDefault(chat.type),
  };
  return { conversation, deps, screens, t, reading: { locale, script }, chat, threadId, zone, draft, step: "frequency" };
}

const scheduleOf = (draft: Draft, timezone: string): Schedule => ({
  frequency: draft.frequency,
  weekday: draft.frequency === "weekly" ? draft.weekday : null,
  minuteOfDay: draft.minuteOfDay,
  timezone,
});

/** The answer to a cancelled dialogue, with the way back to the briefing. */
const cancelled = (deps: Deps, t: Translate): Rendered => ({
  text: escapeHtml(t("dialog-cancelled")),
  keyboard: mainMenuKeyboard(libraryOf(deps).latest.id, t),
});

const showStep = (run: SubscribeRun, ctx: DialogContext) => show(ctx, stepScreen(run), run.reading.script);

/** The screen of the run's current step: its question, its buttons, and a way out. */
function stepScreen({ step, draft, t, reading, zone, deps }: SubscribeRun): Rendered {
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
        ...sectorButtons(libraryOf(deps), draft.sectors, locale, dialogChoices),
        [InlineKeyboard.text(t("button-done"), dialogButton({ step: "ok" }))],
      ]);
    case "confirm": {
      const draftLines = { schedule: scheduleOf(draft, zone), sectors: draft.sectors, language: locale, silent: draft.silent };
      const lines = subscriptionLines(draftLines, libraryOf(deps), { locale, t, script: reading.script });
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
function advance(step: Step, draft: Draft, answer: DialogAnswer, allSectors: string[]): Step | "save" | undefined {
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
      if (answer.step !== "sector" || !allSectors.includes(answer.sector)) return undefined;
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

/** A button pressed during /subscribe; true when the dialogue is over. */
async function answerPress(run: SubscribeRun, next: DialogContext): Promise<boolean> {
  const { conversation, t, reading } = run;
  const action = decodeCallback(next.callbackQuery!.data);
  // Another bot button (a menu, a digest): the person moved on; that button works as usual.
  if (action?.kind !== "dialog") await conversation.halt({ next: true });
  if (action?.kind !== "dialog") return true;
  if (action.answer.step === "cancel") {
    await next.answerCallbackQuery();
    await show(next, cancelled(run.deps, t), reading.script);
    return true;
  }
  const result = advance(run.step, run.draft, action.answer, allSectorsOf(run.deps));
  if (result === undefined) {
    await next.answerCallbackQuery({ text: t("dialog-not-understood") });
    await showStep(run, next);
    return false;
  }
  if (result === "save") {
    await next.answerCallbackQuery();
    await saveDraft(run, next);
    return true;
  }
  const emptyChoice = run.step === "sectors" && result === "sectors" && action.answer.step === "ok";
  await next.answerCallbackQuery(emptyChoice ? { text: t("dialog-sectors-empty") } : {});
  run.step = result;
  await showStep(run, next);
  return false;
}

/** The confirmed draft becomes the chat's subscription; the answer is its settings screen. */
async function saveDraft({ conversation, deps, screens, t, reading, chat, threadId, zone, draft }: SubscribeRun, next: DialogContext) {
  const { locale, script } = reading;
  const allSectors = allSectorsOf(deps);
  const saved = await conversation.external(() =>
    subscribeChat(deps.store, {
      chat,
      threadId,
      locale,
      script,
      schedule: scheduleOf(draft, zone),
      sectors: storedSectors(draft.sectors, allSectors),
      silent: draft.silent,
      createdBy: next.from?.id ?? null,
    }),
  );
  const summary = await screens.withManagedChannels(
    next,
    { chatId: chat.id, threadId },
    settingsScreen(saved, libraryOf(deps), { locale, t, script }),
    t,
    (read) => conversation.external(read),
  );
  const done = subscribedNote(t, saved, deps.now(), deps.edition().digests.contentMark);
  await show(next, withNote(done, summary), script);
}

/** Anything but a button during /subscribe: /cancel, another command, a typed time; true when the dialogue is over. */
async function answerMessage(run: SubscribeRun, next: DialogContext): Promise<boolean> {
  const { conversation, t } = run;
  const { script } = run.reading;
  // A channel picked in Telegram's picker meanwhile leaves the dialogue and is handled as usual.
  if (next.message?.chat_shared) await conversation.halt({ next: true });
  const text = next.message?.text;
  if (text !== undefined && isCancel(text)) {
    await replyText(next, t("dialog-cancelled"), cancelled(run.deps, t).keyboard, script);
    return true;
  }
  // Any other command leaves the dialogue and is handled as usual.
  if (text !== undefined && isCommand(text)) await conversation.halt({ next: true });
  if (!next.message) await conversation.skip({ next: true });
  if (run.step === "time" && text !== undefined) {
    const minutes = parseTime(text);
    if (minutes !== undefined) {
      run.draft.minuteOfDay = minutes;
      run.step = "sectors";
      await showStep(run, next);
      return false;
    }
    await replyText(next, t("dialog-time-invalid"), undefined, script);
  } else {
    await replyText(next, t("dialog-not-understood"), undefined, script);
  }
  await showStep(run, next);
  return false;
}

type SettingsInputArgs = DialogReading & { field: "time" | "zone"; channelId?: number };

/** One run of the typed-value dialogue: the field asked for, and the subscription it changes. */
type InputRun = {
  conversation: DialogConversation;
  deps: Deps;
  screens: SubscriptionScreens;
  args: SettingsInputArgs;
  t: Translate;
  script: Script;
  chatId: number;
  threadId: number | null;
  prompt: "ask-time" | "ask-zone";
  answerField: ForceReply | undefined;
};

/** One typed value for /settings: a time (HH:MM) or an IANA zone name. */
function settingsInputDialog(deps: Deps, screens: SubscriptionScreens) {
  return defineDialog("settingsInput", async (conversation: DialogConversation, ctx: DialogContext, args: SettingsInputArgs) => {
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
    const run: InputRun = { conversation, deps, screens, args, t, script, chatId, threadId, prompt, answerField };
    await replyText(ctx, t(prompt), answerField, script);
    for (;;) {
      if (await answerTyped(run, await conversation.wait())) return;
    }
  });
}

/** A message while the value is awaited; true when the dialogue is over. */
async function answerTyped(run: InputRun, next: DialogContext): Promise<boolean> {
  const { conversation, args, t, script, chatId, prompt, answerField } = run;
  if (next.callbackQuery || next.message?.chat_shared) await conversation.halt({ next: true });
  const text = next.message?.text?.trim();
  if (text === undefined) {
    if (!next.message) await conversation.skip({ next: true });
    await replyText(next, t(prompt), answerField, script);
    return false;
  }
  if (isCancel(text)) {
    await replyText(next, t("input-cancelled"), undefined, script);
    return true;
  }
  if (isCommand(text)) await conversation.halt({ next: true });
  const refusal =
    args.channelId === undefined
      ? undefined
      : await conversation.external(() => channelRefusal(next.api, chatId, next.from?.id ?? 0, next.me.id));
  if (refusal) {
    await replyText(next, t(`channel-refused-${refusal}`), undefined, script);
    return true;
  }
  const updated = await saveTyped(run, text);
  if (updated === undefined) {
    await replyText(next, t("not-subscribed"), undefined, script);
    return true;
  }
  if (updated === null) {
    await replyText(
      next,
      args.field === "time" ? t("dialog-time-invalid") : t("zone-invalid", { value: text.slice(0, 64) }),
      answerField,
      script,
    );
    return false;
  }
  await replySaved(run, next, updated);
  return true;
}

/** The typed value saved: the updated subscription, null if the value is not a time (or zone), undefined if there is none. */
function saveTyped({ conversation, deps: { store }, args, chatId, threadId }: InputRun, text: string) {
  return conversation.external(async () => {
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
}

/** The settings screen after a saved value, a channel's with its name. */
async function replySaved(
  { conversation, deps, screens, args, t, script, chatId, threadId }: InputRun,
  next: DialogContext,
  updated: Subscription,
) {
  const title =
    args.channelId === undefined ? undefined : await conversation.external(async () => (await deps.store.getChat(chatId))?.title);
  const channel = args.channelId === undefined ? undefined : { chatId, title: title ?? null };
  const screen = await screens.withManagedChannels(
    next,
    { chatId, threadId, ...(channel ? { channel } : {}) },
    settingsScreen(updated, libraryOf(deps), { locale: args.locale, t, script }, channel),
    t,
    (read) => conversation.external(read),
  );
  await replyScreen(next, withNote(t("settings-saved"), screen), script);
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
