import type { BotError } from "grammy";
import type { Update, User } from "grammy/types";
import type { BotContext } from "../../src/bot/context.js";
import { createAlerts, type AlertKind, type AlertVariables } from "../../src/alerts/index.js";
import { createLogger } from "../../src/logger.js";
import { commandList, registerCommands } from "../../src/bot/command-menu.js";
import { registerProfile } from "../../src/bot/profile.js";
import { bundledContent } from "../../src/content/index.js";
import { createContentLibrary, type ContentLibrary } from "../../src/content/library.js";
import type { LiveContent, ReloadResult } from "../../src/content/live.js";
import type { LoadedContent } from "../../src/content/loader.js";
import type { Briefing } from "../../src/content/types.js";
import { FALLBACK_LOCALE } from "../../src/i18n.js";
import { encodeCallback, type CallbackAction, type DialogAnswer, type SettingsChoice } from "../../src/render/callback-data.js";
import { contentMarkOf, createDigestRenderer, renderDigest, renderRichDigest } from "../../src/render/digest.js";
import { languagePickerScreen } from "../../src/render/language-picker.js";
import { briefingRefs, refToPayload, type SectionRef } from "../../src/render/refs.js";
import { fullBriefingFallback, renderFullBriefing, renderRichSection } from "../../src/render/rich-briefing.js";
import { renderSection } from "../../src/render/sections.js";
import { renderShareableCard, shareButtonRow } from "../../src/render/share-card.js";
import {
  describeSchedule,
  resumeOfferScreen,
  sectorChoices,
  settingsFieldScreen,
  settingsScreen,
  subscriptionLines,
  type SettingsFieldScreen,
} from "../../src/render/subscription.js";
import { LOCALES, type Locale, type Translate } from "../../src/shared/locale.js";
import { ZONE_PRESETS, type ZonePreset } from "../../src/shared/schedule.js";
import type { Subscription } from "../../src/store/types.js";
import type { Harness } from "./harness.js";
import { pressIn } from "./keyboard.js";
import { CHANNEL_REQUEST_ID } from "../../src/render/channel.js";
import { tick } from "../../src/digest/tick.js";
import { channelMembers, unknownChannel, type ChannelMember } from "./channels.js";
import { BOT_INFO } from "./harness.js";
import {
  callbackUpdate,
  channelChat,
  channelMemberUpdate,
  channelPostUpdate,
  chatSharedUpdate,
  forumChat,
  groupChat,
  guestMessageUpdate,
  inlineQueryUpdate,
  messageUpdate,
  myChatMemberUpdate,
  privateUser,
} from "./updates.js";

const content = bundledContent();

const BOT_ID = BOT_INFO.id;

/**
 * One interface string the code asked for: its key, in which language, with which variables, and what came back
 * (or the error Fluent threw: inside the bot, bot.catch would swallow it and the tour would go on silently).
 */
export type Asked = { key: string; locale: Locale; variables: string[]; text: string; error?: string };

/**
 * Replaces each translator of `translators` (in place) with one that records every key asked for, then answers with
 * the real translation. In place matters: the bot reads `deps.translators[locale]` at call time (ctx.t in
 * prepareUpdate, the dialogues, inline mode, the digest renderer, the language picker), so replacing the entries of
 * the object it holds records everything it asks for from then on.
 */
export function recordTranslators(translators: Record<Locale, Translate>, asked: Asked[]): void {
  for (const locale of LOCALES) {
    const real = translators[locale];
    translators[locale] = (key, variables) => {
      const entry: Asked = { key, locale, variables: Object.keys(variables ?? {}).sort(), text: "" };
      asked.push(entry);
      try {
        return (entry.text = real(key, variables));
      } catch (error) {
        entry.error = String(error);
        throw error;
      }
    };
  }
}

/**
 * The real briefing, and beside it an earlier copy (so the "all visits" button and list exist) whose latest version
 * has one sector updated after publication (so a digest can have "what's new since last time").
 */
export function tourLibrary(): { library: ContentLibrary; publishedMark: string } {
  const latest = structuredClone<Briefing>(content.latest);
  const publishedMark = contentMarkOf(content);
  latest.sectors[0]!.updatedAt = "2099-01-01";
  const earlier = { ...structuredClone(content.latest), id: "cn24", dates: { ...content.latest.dates, start: "2024-08-31" } };
  const draft = { ...structuredClone(content.latest), id: "cn26", status: "draft" as const };
  return { library: createContentLibrary([latest, earlier, draft]), publishedMark };
}

/**
 * Live content for the tour (a test double; the real one has tests of its own): it serves `library`, which has a
 * draft, and its reloads go through every outcome an operator can be told: nothing changed; reloaded, to the same
 * briefings without the draft; refused, with a problem in a file.
 */
export function scriptedContent(library: ContentLibrary): LiveContent {
  const withDraft: LoadedContent = { library, fingerprint: "a", fileOf: () => "visits/tour.yaml", locate: () => undefined };
  const published = createContentLibrary([...library.briefings]);
  const withoutDraft: LoadedContent = { ...withDraft, library: published, fingerprint: "b" };
  const problem = { file: "visits/tour.yaml", line: 3, column: 3, field: "title.kk", message: "Required" };
  let current = withDraft;
  const outcomes: (() => ReloadResult)[] = [
    () => ({ status: "unchanged", content: current }),
    () => ({ status: "reloaded", content: (current = withoutDraft) }),
    () => ({ status: "refused", content: current, problems: [problem] }),
  ];
  let reloads = 0;
  return { current: () => current, reload: () => outcomes[reloads++ % outcomes.length]!(), close: () => undefined };
}

const everyRef = (briefing: Briefing): SectionRef[] => [{ briefingId: briefing.id, section: "home" }, ...briefingRefs(briefing)];

/**
 * Part (a): every renderer in src/render, called directly over all content, both languages and both chat kinds.
 * `subscriptions` are real rows from a store (active and paused), `menu` the bot's real command menu.
 */
export function renderEverything(options: {
  library: ContentLibrary;
  translators: Record<Locale, Translate>;
  publishedMark: string;
  subscriptions: Subscription[];
  menu: ReturnType<Harness["deps"]["commandMenu"]>;
}): void {
  const { library, translators, publishedMark, subscriptions, menu } = options;
  const fields: SettingsFieldScreen[] = ["language", "frequency", "weekday", "time", "zone", "sectors"];
  for (const locale of LOCALES) {
    const t = translators[locale];
    for (const compact of [false, true]) {
      const render = { locale, t, compact };
      for (const briefing of library.briefings) {
        for (const ref of everyRef(briefing)) {
          const menu = renderSection(briefing, ref, render, {
            hasOtherVisits: library.briefings.length > 1,
            fullBriefing: true,
            extraRows: [shareButtonRow(ref, render)],
          });
          renderRichSection(briefing, ref, render);
          if (ref.section === "home") fullBriefingFallback(menu, render);
          renderShareableCard(briefing, ref, render, "visit_briefing_bot");
        }
      }
      for (const briefing of library.briefings) renderFullBriefing(briefing, render);
      // Each subscription with sound and without: the switch offers the other state.
      const sounds = [...subscriptions.map((s) => ({ ...s, silent: false })), ...subscriptions.map((s) => ({ ...s, silent: true }))];
      for (const subscription of [undefined, ...sounds, ...subscriptions.map((s) => ({ ...s, status: "stopped" as const }))]) {
        settingsScreen(subscription, library, render);
      }
      for (const subscription of sounds) {
        for (const field of fields) settingsFieldScreen(field, subscription, library, render, translators);
        subscriptionLines(subscription, library, render);
        describeSchedule({ frequency: "weekly", weekday: 3, minuteOfDay: 600 }, t);
      }
    }
    // The first digest, a digest of "what's new" (one sector updated), one of a whole new briefing, and nothing new.
    const sectors = [
      null,
      sectorChoices(library)
        .slice(0, 1)
        .map((choice) => choice.id),
    ];
    for (const chosen of sectors) {
      for (const contentMark of [null, publishedMark, "2000-01-01", "2100-01-01"]) {
        renderDigest(library, { locale, t, sectors: chosen, contentMark });
        renderRichDigest(library, { locale, t, sectors: chosen, contentMark });
      }
    }
    const digests = createDigestRenderer(library, translators);
    digests.render(locale, null, publishedMark);
    for (const reason of ["topic_closed", "topic_deleted"] as const) digests.topicStopped(locale, "cyrl", reason);
    resumeOfferScreen(t);
    resumeOfferScreen(t, "topic_closed");
    commandList(menu, t);
  }
  languagePickerScreen(translators, "greeting-bilingual");
  languagePickerScreen(translators, "language-pick", { briefingId: library.latest.id, section: "ov" });
}

/** What the tour's store throws while it is "away": the updates failing with it are meant to fail. */
export const STORE_AWAY_IN_TOUR = "Connection is closed (the tour's store is away)";

/** Every alert main.ts posts to the operators' chat, with the variables it passes. */
const ALERT_SAMPLES: Record<AlertKind, AlertVariables> = {
  started: { version: "0.1.0", mode: "polling", store: "SQLite" },
  "digest-failed": { chat: -1001, error: "Internal Server Error" },
  flood: { seconds: 75 },
  "store-down": { store: "Redis" },
  "store-up": { store: "Redis" },
  "content-refused": { count: 1, problems: "visits/tour.yaml:3:3 title.kk: Required" },
};

/**
 * Part (b): the real bot (createBot, SQLite, the fake Bot API) driven through every path a person can take.
 * Each step is here because it makes the bot ask for some interface string: if a step stops reaching its screen,
 * the test's unused-key check names the key it no longer reaches.
 */
export async function tourTheBot(harness: Harness, options: { adminId: number; publishedMark: string }): Promise<void> {
  const { deps, fake } = harness;
  const library = deps.edition().library;
  const latest = library.latest;
  const say = (user: User, text: string, chat?: ReturnType<typeof groupChat>) =>
    harness.send(messageUpdate(user, text, chat ? { chat } : {}));
  /** Presses a button that must be on the chat's latest message. */
  const press = (user: User, chatId: number, action: CallbackAction) => pressIn(harness, user, chatId, encodeCallback(action));
  /** Sends a button press whether or not the latest message shows it (old, forged and other-step buttons). */
  const pressAny = (user: User, chatId: number, data: string) => {
    const messageId = fake.messages(chatId).at(-1)?.message_id ?? 1;
    return harness.send(callbackUpdate(user, data, { chat_id: chatId, message_id: messageId }));
  };
  const settings = (choice?: SettingsChoice): CallbackAction => ({ kind: "settings", ...(choice ? { choice } : {}) });
  const dialog = (answer: DialogAnswer): CallbackAction => ({ kind: "dialog", answer });

  const admin = privateUser({ id: options.adminId, language_code: "ru" });
  const kk = privateUser({ language_code: "kk", first_name: "Айгерім" });
  const ru = privateUser({ language_code: "ru-RU", first_name: "Иван" });
  const people = [kk, ru];

  // Operators' statistics before anyone subscribed.
  await say(admin, "/stats");

  // People whose language the bot cannot tell: the bilingual picker, also in front of a deep link.
  const stranger = privateUser({ language_code: "en" });
  await say(stranger, "/start");
  await press(stranger, stranger.id, { kind: "language", language: "ru" });
  const linked = privateUser();
  const sectorRef: SectionRef = { briefingId: latest.id, section: "sc", itemId: latest.sectors[1]!.id };
  await say(linked, `/start ${refToPayload(sectorRef)}`);
  await press(linked, linked.id, { kind: "language", language: "kk", then: sectorRef });

  // Kazakh in Latin: every section read through the edge, a quote with its mark and its Cyrillic original one tap
  // away, the other language and back, inline cards, a subscription and its digest, then back to Cyrillic.
  const latin = privateUser({ language_code: "kk", first_name: "Әлия" });
  await say(latin, "/language");
  await press(latin, latin.id, { kind: "language", language: "kk", script: "latn" });
  for (const ref of everyRef(latest)) await pressAny(latin, latin.id, encodeCallback({ kind: "section", ref }));
  const quoteRef: SectionRef = { briefingId: latest.id, section: "qt", itemId: latest.quotes[0]!.id };
  await pressAny(latin, latin.id, encodeCallback({ kind: "section", ref: quoteRef }));
  await press(latin, latin.id, { kind: "view", ref: quoteRef, reading: { locale: "kk", script: "cyrl" } });
  await press(latin, latin.id, { kind: "section", ref: quoteRef });
  await press(latin, latin.id, { kind: "view", ref: quoteRef, reading: { locale: "ru", script: "cyrl" } });
  await press(latin, latin.id, { kind: "section", ref: quoteRef });
  await pressAny(
    latin,
    latin.id,
    encodeCallback({ kind: "view", ref: { briefingId: "zz99", section: "ov" }, reading: { locale: "ru", script: "cyrl" } }),
  );
  for (const query of ["", "kelisim", "bydtcnbwbb"]) await harness.send(inlineQueryUpdate(latin, query));

  // Kazakh in the Arabic script: a quote, marked as a transliteration into that script.
  const arabic = privateUser({ language_code: "kk", first_name: "Айгүл" });
  await say(arabic, "/language");
  await press(arabic, arabic.id, { kind: "language", language: "kk", script: "arab" });
  await pressAny(arabic, arabic.id, encodeCallback({ kind: "section", ref: quoteRef }));
  await say(latin, "/subscribe daily 09:00");
  // A subscribed chat's menu leads to its digest settings.
  await say(latin, "/briefing");
  await say(latin, "/digest");
  await say(latin, "/settings");
  await press(latin, latin.id, settings({ field: "language" }));
  await press(latin, latin.id, settings({ field: "language", language: "kk" }));

  for (const user of people) {
    await say(user, "/start");
    await say(user, `/start ${refToPayload(sectorRef)}`);
    await say(user, "/start zz99-ov");
    for (const { command } of deps.commandMenu()) await say(user, `/${command}`);
    await say(user, "/cancel");
    await say(user, "/nosuch");
    await harness.send(stickerUpdate(user));
    await say(user, "инвестиции");
    await say(user, "zzqxw");

    // Every screen of every briefing, in the private chat and (compact) in a group.
    await say(user, "/briefing");
    for (const briefing of library.briefings)
      for (const ref of everyRef(briefing)) await pressAny(user, user.id, encodeCallback({ kind: "section", ref }));
    // The whole briefing in one rich message.
    await say(user, "/briefing");
    await press(user, user.id, { kind: "full", briefingId: latest.id });
    await say(user, "/briefing");
    await press(user, user.id, { kind: "visits" });
    await press(user, user.id, { kind: "section", ref: { briefingId: latest.id, section: "home" } });
    await press(user, user.id, { kind: "languageMenu" });
    await pressAny(user, user.id, encodeCallback({ kind: "section", ref: { briefingId: "zz99", section: "home" } }));
    await pressAny(user, user.id, "v0:forged");
    await pressAny(user, user.id, encodeCallback(dialog({ step: "ok" })));

    // Inline mode: the top cards, a search, a card shared by id, junk, and a word only the other language has.
    for (const query of ["", "инвестиции", refToPayload(sectorRef), "x".repeat(256), "ынтымақтастық", "сотрудничество"]) {
      await harness.send(inlineQueryUpdate(user, query));
    }
    // Guest mode: summoned in a chat the bot is not in, with a query that finds a card and one that finds none.
    for (const query of ["визит", "qqqzzzxxx"]) await harness.send(guestMessageUpdate(user, `@${harness.bot.botInfo.username} ${query}`));
  }

  // A server without rich messages: the whole briefing is answered by the menu, saying so (the first request is
  // refused, the second goes straight to the menu).
  fake.withoutRichMessages();
  for (const user of people) await say(user, "/briefing full");
  fake.withoutRichMessages(false);

  // A group: a member may read but not manage the digest; an administrator may.
  const group = groupChat(-100777);
  const member = privateUser({ language_code: "ru" });
  const groupAdmin = privateUser({ language_code: "kk" });
  fake.setMemberStatus(group.id, groupAdmin.id, "administrator");
  await say(member, "/briefing", group);
  for (const ref of everyRef(latest)) await pressAny(member, group.id, encodeCallback({ kind: "section", ref }));
  await say(member, "/help", group);
  await say(member, "/subscribe", group);
  await say(member, "/unsubscribe", group);
  await pressAny(member, group.id, encodeCallback(settings()));
  await say(member, "/nosuch@visit_briefing_bot", group);
  await say(groupAdmin, "/subscribe daily 08:00", group);
  await say(groupAdmin, "/settings", group);
  await press(groupAdmin, group.id, settings({ field: "language" }));
  await press(groupAdmin, group.id, settings({ field: "language", language: "ru" }));
  await say(groupAdmin, "/digest", group);

  // The /subscribe dialogue in Russian: a button of the wrong step, weekly, a wrong typed time, no sectors, confirm.
  await say(ru, "/subscribe");
  await pressAny(ru, ru.id, encodeCallback(dialog({ step: "time", minuteOfDay: 540 })));
  await say(ru, "hello");
  await press(ru, ru.id, dialog({ step: "frequency", frequency: "weekly" }));
  await press(ru, ru.id, dialog({ step: "weekday", weekday: 3 }));
  await say(ru, "вечером");
  await say(ru, "18:45");
  for (const { id } of sectorChoices(library)) await press(ru, ru.id, dialog({ step: "sector", sector: id }));
  await press(ru, ru.id, dialog({ step: "ok" }));
  await press(ru, ru.id, dialog({ step: "sector", sector: sectorChoices(library)[0]!.id }));
  await press(ru, ru.id, dialog({ step: "ok" }));
  await press(ru, ru.id, dialog({ step: "ok" }));

  // In Kazakh: cancelled by its button and by /cancel, then a finished dialogue's button; one-line /subscribe.
  await say(kk, "/subscribe");
  await press(kk, kk.id, dialog({ step: "cancel" }));
  await say(kk, "/subscribe");
  await press(kk, kk.id, dialog({ step: "frequency", frequency: "daily" }));
  await say(kk, "/cancel");
  await pressAny(kk, kk.id, encodeCallback(dialog({ step: "frequency", frequency: "daily" })));
  await say(kk, "/subscribe sometimes");
  await say(kk, "/subscribe daily 09:00");
  // Instant: by the dialogue (no weekday, no time) and in one line.
  await say(kk, "/subscribe");
  await press(kk, kk.id, dialog({ step: "frequency", frequency: "instant" }));
  await press(kk, kk.id, dialog({ step: "ok" }));
  await press(kk, kk.id, dialog({ step: "ok" }));
  await say(kk, "/subscribe instant");

  // /settings, every field, in both languages.
  for (const user of people) {
    await say(user, "/settings");
    await press(user, user.id, settings({ field: "frequency" }));
    await press(user, user.id, settings({ field: "frequency", frequency: "weekly" }));
    await press(user, user.id, settings({ field: "weekday", weekday: 2 }));
    await press(user, user.id, settings({ field: "frequency" }));
    await press(user, user.id, settings({ field: "frequency", frequency: "instant" }));
    await press(user, user.id, settings({ field: "frequency" }));
    await press(user, user.id, settings({ field: "frequency", frequency: "daily" }));
    await press(user, user.id, settings({ field: "time" }));
    await press(user, user.id, settings({ field: "time", minuteOfDay: 7 * 60 }));
    await press(user, user.id, settings({ field: "time" }));
    await press(user, user.id, settings({ field: "typeTime" }));
    await say(user, "25:99");
    await say(user, "/cancel");
    await say(user, "/settings");
    await press(user, user.id, settings({ field: "time" }));
    await press(user, user.id, settings({ field: "typeTime" }));
    await say(user, "07:45");
    await press(user, user.id, settings({ field: "zone" }));
    for (const preset of Object.keys(ZONE_PRESETS) as ZonePreset[]) {
      await press(user, user.id, settings({ field: "zone", preset }));
      await press(user, user.id, settings({ field: "zone" }));
    }
    await press(user, user.id, settings({ field: "typeZone" }));
    await say(user, "Mars/Olympus");
    await say(user, "Europe/Berlin");
    await press(user, user.id, settings({ field: "sectors" }));
    const sectors = sectorChoices(library).map((choice) => choice.id);
    for (const id of sectors) await pressAny(user, user.id, encodeCallback(settings({ field: "sectors", sector: id })));
    await pressAny(user, user.id, encodeCallback(settings({ field: "sectors", sector: "gone" })));
    await say(user, "/settings");
    await press(user, user.id, settings({ field: "pause" }));
    await press(user, user.id, settings({ field: "resume" }));
    await press(user, user.id, settings({ field: "language" }));
    await press(user, user.id, settings({ field: "language", language: user === kk ? "kk" : "ru" }));
    await say(user, "/digest");
    await press(user, user.id, settings());
    await press(user, user.id, settings({ field: "unsubscribe" }));
    await pressAny(user, user.id, encodeCallback(settings({ field: "pause" })));
    await pressAny(user, user.id, encodeCallback(settings({ field: "resume" })));
    await say(user, "/unsubscribe");
    await say(user, "/settings");
    await press(user, user.id, settings({ field: "subscribe" }));
    await say(user, "/cancel");
  }

  // Channels, set up from the private chat: the picker and its cancel button, each refusal, a channel accepted, its
  // settings listed and changed, a command posted in it, and the bot losing it.
  for (const [index, user] of people.entries()) {
    const channel = channelChat(-1009000000000 - index, `Channel ${index}`);
    const lost = channelChat(-1008000000000 - index, `Lost ${index}`);
    const t = deps.translators[user === kk ? "kk" : "ru"];
    channelMembers(
      fake,
      new Map([
        [channel.id, new Map<number, ChannelMember>([[BOT_ID, "poster"]])],
        [
          lost.id,
          new Map<number, ChannelMember>([
            [BOT_ID, "member"],
            [user.id, "poster"],
          ]),
        ],
      ]),
    );
    unknownChannel(fake, -1007000000000);
    const share = (chatId: number, title: string) =>
      harness.send(chatSharedUpdate(user, { request_id: CHANNEL_REQUEST_ID, chat_id: chatId, title }));
    await say(user, "/settings");
    await press(user, user.id, settings({ field: "channel" }));
    await say(user, t("button-channel-cancel"));
    await share(channel.id, channel.title);
    await share(lost.id, lost.title);
    await share(-1007000000000, "Gone");
    channelMembers(
      fake,
      new Map([
        [
          channel.id,
          new Map<number, ChannelMember>([
            [BOT_ID, "poster"],
            [user.id, "creator"],
          ]),
        ],
      ]),
    );
    await share(channel.id, channel.title);
    await say(user, "/settings");
    await press(user, user.id, { kind: "channel", chatId: channel.id });
    await press(user, user.id, { kind: "channel", chatId: channel.id, choice: { field: "frequency" } });
    await harness.send(channelPostUpdate(channel, "/settings"));
    await harness.send(channelMemberUpdate(user, channel, "left"));
    // The stopped channel's screen: no digest goes there, and the button that starts it again.
    await pressAny(user, user.id, encodeCallback({ kind: "channel", chatId: channel.id }));
  }
  await pressAny(groupAdmin, group.id, encodeCallback(settings({ field: "channel" })));

  // A chat that blocked the bot gets its digest stopped, and /start offers to resume it.
  const returning = privateUser({ language_code: "kk" });
  await say(returning, "/subscribe daily 09:00");
  await harness.send(myChatMemberUpdate(returning, { id: returning.id, type: "private", first_name: returning.first_name }, "kicked"));
  await say(returning, "/start");
  await press(returning, returning.id, settings({ field: "resume" }));

  // Digests in forum topics: set up in a topic; when Telegram answers that the topic is deleted (in kk) or closed (in
  // ru), that topic's digest stops and the group is told in its General topic how to have it again.
  const forums = [
    { user: kk, chat: forumChat(-1005550001), answer: "Bad Request: message thread not found" },
    { user: ru, chat: forumChat(-1005550002), answer: "Bad Request: TOPIC_CLOSED" },
  ];
  for (const { user, chat, answer } of forums) {
    fake.setMemberStatus(chat.id, user.id, "administrator");
    await harness.send(messageUpdate(user, "/subscribe instant", { chat, threadId: 7 }));
    fake.failNext("sendMessage", { error_code: 400, description: answer }, { when: (payload) => payload.chat_id === chat.id });
  }
  await tick({ store: harness.store, now: new Date(), contentMark: () => deps.edition().digests.contentMark });
  await harness.digestSender().drain();
  // /start in such a topic (its administrators may still post in a closed one) offers that topic's digest back.
  for (const { user, chat } of forums) await harness.send(messageUpdate(user, "/start", { chat, threadId: 7 }));

  // Statistics with subscribers, and a non-operator trying the command.
  await say(admin, "/stats");
  await say(ru, "/stats");

  // What the digest sender renders after a chat's first digest: only what is new since its content mark.
  for (const locale of LOCALES) {
    deps.edition().digests.render(locale, null, options.publishedMark);
    deps.edition().digests.renderRich(locale, null, options.publishedMark);
  }

  // Operators read drafts before they are published and reload the content: every outcome of a reload.
  await say(admin, "/preview");
  const draft = library.drafts[0]!;
  await press(admin, admin.id, { kind: "section", ref: { briefingId: draft.id, section: "home" } });
  await say(ru, "/preview");
  await say(admin, "/reload");
  await say(admin, "/reload");
  await say(admin, "/preview");
  await say(admin, "/reload");

  // The store stops answering for a moment: a reader's message and a button press are told to try again.
  const { store } = harness;
  const getUser = store.getUser.bind(store);
  const healthy = store.healthy.bind(store);
  const { atOnce } = store;
  store.getUser = () => Promise.reject(new Error(STORE_AWAY_IN_TOUR));
  store.healthy = () => Promise.resolve(false);
  // A store that reads at once fails there too, as a locked SQLite file fails every read.
  if (atOnce) {
    store.atOnce = {
      ...atOnce,
      getUser: () => {
        throw new Error(STORE_AWAY_IN_TOUR);
      },
    };
  }
  // As the runner does, a failed update goes to the bot's error handler.
  const failing = (update: Update) =>
    harness.send(update).catch((error: unknown) => harness.bot.errorHandler(error as BotError<BotContext>));
  try {
    await failing(messageUpdate(ru, "/briefing"));
    const messageId = fake.messages(kk.id).at(-1)?.message_id ?? 1;
    await failing(
      callbackUpdate(kk, encodeCallback({ kind: "section", ref: { briefingId: latest.id, section: "home" } }), {
        chat_id: kk.id,
        message_id: messageId,
      }),
    );
  } finally {
    store.getUser = getUser;
    store.healthy = healthy;
    store.atOnce = atOnce;
  }

  // The operators' chat, in each language: every alert main.ts posts, and one of them twice within the window, so that
  // the second is folded into a later message with its count.
  for (const locale of LOCALES) {
    const posted: string[] = [];
    const alerts = createAlerts({
      send: async (text) => posted.push(text),
      language: async () => locale,
      translators: deps.translators,
      logger: createLogger("silent"),
      windowMs: 20,
    });
    for (const [kind, variables] of Object.entries(ALERT_SAMPLES) as [AlertKind, AlertVariables][]) alerts.alert(kind, variables);
    alerts.alert("store-down", ALERT_SAMPLES["store-down"]);
    const expected = Object.keys(ALERT_SAMPLES).length + 1;
    for (let waited = 0; posted.length < expected && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    alerts.close();
  }

  // What main.ts registers as Telegram's command menus and the bot's profile texts.
  await registerCommands(harness.bot.api, deps.commandMenu(), deps.translators, FALLBACK_LOCALE);
  await registerProfile(harness.bot.api, deps.translators, FALLBACK_LOCALE);
}

function stickerUpdate(user: User): Update {
  const { message, ...update } = messageUpdate(user, "sticker") as Update & { message: Record<string, unknown> };
  const { text, ...rest } = message;
  return {
    ...update,
    message: {
      ...rest,
      sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false },
    },
  };
}
