import type { InlineKeyboardButton, User } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { tellChannelLost } from "../src/digest/channel-lost.js";
import { tick } from "../src/digest/tick.js";
import type { Store } from "../src/store/types.js";
import { encodeCallback } from "../src/render/callback-data.js";
import { CHANNEL_REQUEST_ID } from "../src/render/channel.js";
import { BOT_INFO, startHarness, type Harness } from "./support/harness.js";
import { channelMembers, unknownChannel, type ChannelMember } from "./support/channels.js";
import { callbackButtons, dialogData, lastMessageIn, pressIn, settingsData } from "./support/keyboard.js";
import { sentText } from "./support/digests.js";
import {
  callbackUpdate,
  channelChat,
  channelMemberUpdate,
  channelPostUpdate,
  chatSharedUpdate,
  groupChat,
  messageUpdate,
  privateUser,
} from "./support/updates.js";

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close().catch(() => undefined);
});

/** Friday 5 Sep 2025, 10:00 in Almaty: a new channel's daily 09:00 digest is owed at once. */
const clock = new Date("2025-09-05T05:00:00Z");

const CHANNEL = channelChat(-1009876543210, "Сапар жаңалықтары");
const BOT_ID = BOT_INFO.id;

async function setUp(members: Record<number, ChannelMember>, options: { now?: () => Date } = {}) {
  const harness = await startHarness(options.now ? { now: options.now } : {});
  harnesses.push(harness);
  const channels = new Map([[CHANNEL.id, new Map(Object.entries(members).map(([id, member]) => [Number(id), member]))]]);
  channelMembers(harness.fake, channels);
  return { harness, channels };
}

const texts = (harness: Harness, chatId: number) => harness.fake.messages(chatId).map((message) => message.text ?? "");
const sentTo = (harness: Harness, chatId: number) => harness.fake.callsTo("sendMessage").filter((call) => call.payload.chat_id === chatId);
const channelData = (choice?: Parameters<typeof settingsData>[0]) =>
  encodeCallback({ kind: "channel", chatId: CHANNEL.id, ...(choice ? { choice } : {}) });
const latest = (harness: Harness) => harness.deps.edition().library.latest.id;
const memberChecks = (harness: Harness) => harness.fake.callsTo("getChatMember").filter((call) => call.payload.chat_id === CHANNEL.id);

/** The channel's digest falls due, and Telegram refuses it with 403: the bot is no longer a member. */
async function oweDigestTheChannelRefuses(harness: Harness) {
  await tick({ store: harness.store, now: clock, contentMark: () => harness.deps.edition().digests.contentMark });
  harness.fake.failNext(
    "sendRichMessage",
    { error_code: 403, description: "Forbidden: bot is not a member of the channel chat" },
    { when: (payload: Record<string, any>) => payload.chat_id === CHANNEL.id },
  );
}

/** The person picks the channel in Telegram's picker. */
const share = (harness: Harness, user: User, chatId = CHANNEL.id, requestId = CHANNEL_REQUEST_ID) =>
  harness.send(chatSharedUpdate(user, { request_id: requestId, chat_id: chatId, title: CHANNEL.title }));

describe("channels: set up from a private chat", () => {
  it("/settings in a private chat offers the channel digest, which opens Telegram's channel picker with post rights for both", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({});
    await harness.send(messageUpdate(user, "/settings"));
    const offer = callbackButtons(lastMessageIn(harness, user.id).reply_markup).find((button) => button.callback_data === "v1:g:k");
    expect(offer?.text).toBe("📢 Дайджест для моего канала");

    await pressIn(harness, user, user.id, "v1:g:k");
    expect(harness.fake.lastCall("answerCallbackQuery")).toBeDefined();
    const picker = sentTo(harness, user.id).at(-1)!.payload;
    const button = picker.reply_markup.keyboard[0][0];
    expect(button.text).toBe("📢 Дайджест для моего канала");
    expect(button.request_chat).toMatchObject({
      request_id: CHANNEL_REQUEST_ID,
      chat_is_channel: true,
      bot_is_member: true,
      request_title: true,
      user_administrator_rights: { can_post_messages: true },
      bot_administrator_rights: { can_post_messages: true },
    });
    // Posting is the only right asked of anyone.
    const asked = Object.entries(button.request_chat.bot_administrator_rights as Record<string, boolean>).filter(([, on]) => on);
    expect(asked).toEqual([["can_post_messages", true]]);
    expect(picker.reply_markup.one_time_keyboard).toBe(true);

    // Changing one's mind takes the keyboard away.
    await harness.send(messageUpdate(user, "✖️ Отмена"));
    expect(sentTo(harness, user.id).at(-1)!.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect(texts(harness, user.id).at(-1)).toBe("Выбор канала отменён.");

    // The keyboard keeps the language it was shown in: its cancel button works after a change of language too.
    for (const label of ["✖️ Бас тарту", "✖️ Bas tartu"]) {
      await harness.send(messageUpdate(user, label));
      expect(sentTo(harness, user.id).at(-1)!.payload.reply_markup).toEqual({ remove_keyboard: true });
    }
  });

  it.each<[string, ChannelMember]>([
    ["the creator", "creator"],
    ["an administrator who can post", "poster"],
  ])("accepts a channel picked by %s where the bot can post: its digest starts, and the picker's keyboard goes", async (_who, role) => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: role, [BOT_ID]: "poster" });
    await share(harness, user);

    // Both were asked of Telegram: the person and the bot.
    expect(memberChecks(harness).map((call) => call.payload.user_id)).toEqual(expect.arrayContaining([user.id, BOT_ID]));
    expect(await harness.store.getSubscription(CHANNEL.id)).toMatchObject({
      chatKind: "channel",
      createdBy: user.id,
      status: "active",
      language: "ru",
      sectors: null,
      schedule: { frequency: "daily", minuteOfDay: 540 },
    });
    expect((await harness.store.getChat(CHANNEL.id))?.title).toBe(CHANNEL.title);
    const [connected, screen] = sentTo(harness, user.id).slice(-2);
    expect(connected!.payload.text).toContain(`Канал «${CHANNEL.title}» подключён`);
    expect(connected!.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect(screen!.payload.text).toContain(`Канал «${CHANNEL.title}»`);
    // Every button of the channel's screen acts on the channel.
    const data = callbackButtons(screen!.payload.reply_markup).map((button) => button.callback_data);
    expect(data.filter((entry) => entry.startsWith(`v1:h:${CHANNEL.id}`)).length).toBeGreaterThanOrEqual(6);
    expect(data.filter((entry) => !entry.startsWith(`v1:h:${CHANNEL.id}`))).toEqual(["v1:g"]);
  });

  it.each<[string, ChannelMember, ChannelMember | "unknown", string]>([
    ["the person is a plain member", "member", "poster", "Нет доступа: дайджестом канала управляет его владелец"],
    [
      "the person is an administrator who cannot post",
      "admin-without-post",
      "poster",
      "Нет доступа: дайджестом канала управляет его владелец",
    ],
    ["the person left the channel", "left", "poster", "Нет доступа"],
    ["the bot is an administrator who cannot post", "creator", "admin-without-post", "Бот не может публиковать в этом канале"],
    ["the bot is a plain member", "creator", "member", "Бот не может публиковать в этом канале"],
    ["the bot is not in the channel", "creator", "left", "Бот не может публиковать в этом канале"],
    ["Telegram does not know the channel to the bot", "creator", "unknown", "Канал недоступен"],
  ])("refuses a channel when %s, with a clear answer, and takes the keyboard away", async (_case, person, bot, answer) => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp(bot === "unknown" ? {} : { [user.id]: person, [BOT_ID]: bot });
    if (bot === "unknown") unknownChannel(harness.fake, CHANNEL.id);
    await share(harness, user);
    expect(await harness.store.getSubscription(CHANNEL.id)).toBeUndefined();
    const reply = sentTo(harness, user.id).at(-1)!.payload;
    expect(reply.text).toContain(answer);
    expect(reply.reply_markup).toEqual({ remove_keyboard: true });
  });

  it("accepts a channel picked while a dialogue is open: the dialogue gives way", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: "creator", [BOT_ID]: "poster" });
    await harness.send(messageUpdate(user, "/subscribe"));
    await share(harness, user);
    expect(await harness.store.getSubscription(CHANNEL.id)).toMatchObject({ chatKind: "channel", createdBy: user.id });
    expect(texts(harness, user.id).some((text) => text.includes("подключён"))).toBe(true);
  });

  it("answers a chat shared for another request as a stale button, and saves nothing", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({});
    await share(harness, user, CHANNEL.id, 99);
    expect(await harness.store.getSubscription(CHANNEL.id)).toBeUndefined();
    expect(texts(harness, user.id).at(-1)).toContain("Эта кнопка устарела");
  });
});

describe("channels: managed from the private chat", () => {
  async function connected() {
    const user = privateUser({ language_code: "ru" });
    const { harness, channels } = await setUp({ [user.id]: "poster", [BOT_ID]: "poster" });
    await share(harness, user);
    return { harness, user, members: channels.get(CHANNEL.id)! };
  }

  it("/settings lists this chat's digest and the channel; each change to the channel asks Telegram again who may change it", async () => {
    const { harness, user } = await connected();
    await harness.store.saveSubscription({
      chatId: user.id,
      chatKind: "private",
      language: "ru",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 8 * 60, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: user.id,
    });
    await harness.send(messageUpdate(user, "/settings"));
    const screen = lastMessageIn(harness, user.id);
    expect(screen.text).toContain("08:00");
    const listed = callbackButtons(screen.reply_markup).find((button) => button.callback_data === channelData());
    expect(listed?.text).toBe(`📢 ${CHANNEL.title}: действует`);

    await pressIn(harness, user, user.id, channelData());
    expect(lastMessageIn(harness, user.id).text).toContain(`Канал «${CHANNEL.title}»`);
    const checksBefore = memberChecks(harness).length;
    await pressIn(harness, user, user.id, channelData({ field: "frequency" }));
    // Each field's screen says whose digest it changes.
    expect(lastMessageIn(harness, user.id).text).toContain(`Канал «${CHANNEL.title}»`);
    await pressIn(harness, user, user.id, channelData({ field: "frequency", frequency: "weekly" }));
    await pressIn(harness, user, user.id, channelData({ field: "weekday", weekday: 3 }));
    // Three presses, each checking the person and the bot.
    expect(memberChecks(harness).length - checksBefore).toBe(6);
    expect((await harness.store.getSubscription(CHANNEL.id))?.schedule).toMatchObject({ frequency: "weekly", weekday: 3 });
    // The person's own digest is untouched.
    expect((await harness.store.getSubscription(user.id))?.schedule).toMatchObject({ frequency: "daily", minuteOfDay: 480 });

    // Stopping their own digest keeps the way to their channel on the screen.
    await harness.send(messageUpdate(user, "/settings"));
    await pressIn(harness, user, user.id, settingsData({ field: "unsubscribe" }));
    expect((await harness.store.getSubscription(user.id))?.status).toBe("stopped");
    expect(callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.callback_data)).toContain(channelData());
    await pressIn(harness, user, user.id, channelData());

    // A language for the channel is the channel's, not the person's.
    await pressIn(harness, user, user.id, channelData({ field: "language" }));
    await pressIn(harness, user, user.id, channelData({ field: "language", language: "kk" }));
    expect((await harness.store.getSubscription(CHANNEL.id))?.language).toBe("kk");
    expect((await harness.store.getUser(user.id))?.language).not.toBe("kk");

    // A typed time goes to the channel too.
    await pressIn(harness, user, user.id, channelData({ field: "time" }));
    await pressIn(harness, user, user.id, channelData({ field: "typeTime" }));
    await harness.send(messageUpdate(user, "19:30"));
    expect((await harness.store.getSubscription(CHANNEL.id))?.schedule.minuteOfDay).toBe(19 * 60 + 30);
    expect((await harness.store.getSubscription(user.id))?.schedule.minuteOfDay).toBe(480);
  });

  it("keeps the channel on every screen of the person's own digest: after /subscribe, a typed time, a one-line /subscribe", async () => {
    const { harness, user } = await connected();
    const channelRow = () => callbackButtons(lastMessageIn(harness, user.id).reply_markup).find((b) => b.callback_data === channelData());
    const addChannel = () => callbackButtons(lastMessageIn(harness, user.id).reply_markup).some((b) => b.callback_data === "v1:g:k");

    // The /subscribe dialogue's summary.
    await harness.send(messageUpdate(user, "/subscribe"));
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    await pressIn(harness, user, user.id, dialogData({ step: "time", minuteOfDay: 9 * 60 }));
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect((await harness.store.getSubscription(user.id))?.schedule.minuteOfDay).toBe(9 * 60);
    expect(lastMessageIn(harness, user.id).text).toContain("ежедневно в 09:00");
    expect(channelRow()?.text).toBe(`📢 ${CHANNEL.title}: действует`);
    expect(addChannel()).toBe(true);

    // The screen after a typed time for the person's own digest.
    await pressIn(harness, user, user.id, settingsData({ field: "time" }));
    await pressIn(harness, user, user.id, settingsData({ field: "typeTime" }));
    await harness.send(messageUpdate(user, "19:30"));
    expect((await harness.store.getSubscription(user.id))?.schedule.minuteOfDay).toBe(19 * 60 + 30);
    expect(lastMessageIn(harness, user.id).text).toContain("19:30");
    expect(channelRow()?.text).toBe(`📢 ${CHANNEL.title}: действует`);
    expect(addChannel()).toBe(true);

    // The one-line /subscribe.
    await harness.send(messageUpdate(user, "/subscribe daily 07:00"));
    expect(lastMessageIn(harness, user.id).text).toContain("ежедневно в 07:00");
    expect(channelRow()).toBeDefined();
    expect(addChannel()).toBe(true);

    // A time typed for the channel shows the channel's screen, without the rows of the person's own.
    await pressIn(harness, user, user.id, channelData());
    await pressIn(harness, user, user.id, channelData({ field: "time" }));
    await pressIn(harness, user, user.id, channelData({ field: "typeTime" }));
    await harness.send(messageUpdate(user, "18:15"));
    expect(lastMessageIn(harness, user.id).text).toContain(`Канал «${CHANNEL.title}»`);
    expect(channelRow()).toBeUndefined();
    expect(addChannel()).toBe(false);
  });

  it("starts a channel's digest without sound; its sound switch, pressed in the private chat, changes the channel's", async () => {
    const { harness, user } = await connected();
    expect((await harness.store.getSubscription(CHANNEL.id))?.silent).toBe(true);
    // Accepting the channel showed its settings screen.
    const soundOn = channelData({ field: "silent", silent: false });
    expect(callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.callback_data)).toContain(soundOn);
    await pressIn(harness, user, user.id, soundOn);
    expect((await harness.store.getSubscription(CHANNEL.id))?.silent).toBe(false);
    expect(await harness.store.getSubscription(user.id)).toBeUndefined();
  });

  it("refuses a change once the person is no longer an admin who can post, and answers the press", async () => {
    const { harness, user, members } = await connected();
    await harness.send(messageUpdate(user, "/settings"));
    await pressIn(harness, user, user.id, channelData());
    members.set(user.id, "admin-without-post");
    await pressIn(harness, user, user.id, channelData({ field: "pause" }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("Нет доступа");
    expect((await harness.store.getSubscription(CHANNEL.id))?.status).toBe("active");
    // Another admin who can post may change it: the check is of rights now, not of who set it up.
    const other = privateUser({ language_code: "ru" });
    members.set(other.id, "poster");
    await harness.send(callbackUpdate(other, channelData({ field: "pause" }), { chat_id: other.id, message_id: 1 }));
    expect((await harness.store.getSubscription(CHANNEL.id))?.status).toBe("paused");
  });

  it("answers a forged or stale channel id with a refusal, and changes nothing", async () => {
    const { harness, user } = await connected();
    const forged = -1001111111111;
    unknownChannel(harness.fake, forged);
    const answered = harness.fake.callsTo("answerCallbackQuery").length;
    const forgedData = encodeCallback({ kind: "channel", chatId: forged, choice: { field: "unsubscribe" } });
    await harness.send(callbackUpdate(user, forgedData, { chat_id: user.id, message_id: 1 }));
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(answered + 1);
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("Канал недоступен");
    // A channel button pressed outside a private chat is no button of ours there.
    await harness.send(callbackUpdate(user, channelData({ field: "unsubscribe" }), { chat_id: -100777, message_id: 1 }));
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(answered + 2);
    expect((await harness.store.getSubscription(CHANNEL.id))?.status).toBe("active");
  });

  it("refuses a channel button carrying a group's id, even from the group's admin, without asking Telegram", async () => {
    const { harness, user } = await connected();
    const group = groupChat(-1002223334445, "A group");
    await harness.store.touchChat({ id: group.id, kind: "supergroup", title: group.title });
    await harness.store.saveSubscription({
      chatId: group.id,
      chatKind: "supergroup",
      language: "ru",
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 9 * 60, timezone: "Asia/Almaty" },
      sectors: null,
      createdBy: user.id,
    });
    harness.fake.setMemberStatus(group.id, user.id, "creator");
    const checks = harness.fake.callsTo("getChatMember").length;
    const forged = encodeCallback({ kind: "channel", chatId: group.id, choice: { field: "unsubscribe" } });
    await harness.send(callbackUpdate(user, forged, { chat_id: user.id, message_id: 1 }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("Канал недоступен");
    expect(harness.fake.callsTo("getChatMember")).toHaveLength(checks);
    expect((await harness.store.getSubscription(group.id))?.status).toBe("active");
  });
  it("answers a button pressed on a channel's post without acting: a channel's digest has link buttons only", async () => {
    // A channel admin who may not post forges buttons on the channel's digest (any client can send any callback data).
    const { harness, user, members } = await connected();
    const admin = privateUser({ language_code: "ru" });
    members.set(admin.id, "admin-without-post");
    const onPost = { chat_id: CHANNEL.id, message_id: 7, text: "digest", chat: CHANNEL };
    const answered = harness.fake.callsTo("answerCallbackQuery").length;
    await harness.send(callbackUpdate(admin, settingsData({ field: "silent", silent: false }), onPost));
    await harness.send(callbackUpdate(admin, settingsData({ field: "subscribe" }), onPost));
    await harness.send(
      callbackUpdate(user, encodeCallback({ kind: "section", ref: { briefingId: latest(harness), section: "home" } }), onPost),
    );
    expect(harness.fake.callsTo("answerCallbackQuery")).toHaveLength(answered + 3);
    expect((await harness.store.getSubscription(CHANNEL.id))?.silent).toBe(true);
    // Nothing is posted or edited in the channel.
    expect(sentTo(harness, CHANNEL.id)).toHaveLength(0);
    expect(harness.fake.callsTo("editMessageText").filter((call) => call.payload.chat_id === CHANNEL.id)).toHaveLength(0);
  });
});

describe("channels: digests, posts and losing the channel", () => {
  it("sends a channel's digest with link buttons into the bot only", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: "poster", [BOT_ID]: "poster" }, { now: () => clock });
    await share(harness, user);
    expect((await harness.store.getSubscription(CHANNEL.id))?.createdBy).toBe(user.id);
    await tick({ store: harness.store, now: clock, contentMark: () => harness.deps.edition().digests.contentMark });
    const sender = harness.digestSender();
    expect(await sender.drain()).toMatchObject({ sent: 1 });
    // A digest is one rich message.
    const sent = harness.fake.callsTo("sendRichMessage").filter((call) => call.payload.chat_id === CHANNEL.id);
    const digest = sent.at(-1)!.payload;
    expect(sentText(sent.at(-1)!)).toContain("🗞");
    // A channel's digest comes without sound unless its admin switched the sound on.
    expect(digest.disable_notification).toBe(true);
    const buttons = (digest.reply_markup.inline_keyboard as InlineKeyboardButton[][]).flat();
    expect(buttons.length).toBeGreaterThan(1);
    for (const button of buttons) {
      expect(button).not.toHaveProperty("callback_data");
      expect((button as InlineKeyboardButton.UrlButton).url).toMatch(
        /^https:\/\/t\.me\/visit_briefing_bot\?start=[a-z0-9]+-[a-z]+(-[a-z0-9]+)?$/,
      );
    }
    // Each link opens something real in the private chat.
    const payload = new URL((buttons[0] as InlineKeyboardButton.UrlButton).url).searchParams.get("start")!;
    await harness.send(messageUpdate(user, `/start ${payload}`));
    expect(texts(harness, user.id).at(-1)).not.toContain("не найден");
  });

  it("points a command posted in the channel to the private chat, and never answers an ordinary post", async () => {
    const { harness } = await setUp({ [BOT_ID]: "poster" });
    await harness.send(channelPostUpdate(CHANNEL, "Сегодня на саммите подписано соглашение"));
    await harness.send(channelPostUpdate(CHANNEL, "/weather@other_bot"));
    expect(sentTo(harness, CHANNEL.id)).toHaveLength(0);
    await harness.send(channelPostUpdate(CHANNEL, "/subscribe daily 09:00"));
    const pointer = sentTo(harness, CHANNEL.id);
    expect(pointer).toHaveLength(1);
    // The channel has no language of its own yet: the pointer is in both.
    expect(pointer[0]!.payload.text).toContain("@visit_briefing_bot");
    expect(pointer[0]!.payload.text).toContain("Дайджест этого канала настраивается в личном чате");
    expect(pointer[0]!.payload.text).toContain("Бұл арнаның дайджесті ботпен жеке чатта бапталады");
    // Nothing was set up from the channel itself.
    expect(await harness.store.getSubscription(CHANNEL.id)).toBeUndefined();
  });

  it.each<[string, "kicked" | "left" | { canPost: boolean }]>([
    ["removed", "left"],
    ["banned", "kicked"],
    ["stripped of the right to post", { canPost: false }],
  ])("stops the digest of a channel the bot was %s from, and tells the person who set it up how to resume", async (_how, member) => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: "poster", [BOT_ID]: "poster" });
    await share(harness, user);
    await harness.send(channelMemberUpdate(privateUser(), CHANNEL, member));
    expect(await harness.store.getSubscription(CHANNEL.id)).toMatchObject({ status: "stopped", stopReason: "removed" });
    const notice = texts(harness, user.id).at(-1)!;
    expect(notice).toContain(`Бот больше не может публиковать в канале «${CHANNEL.title}»`);
    expect(notice).toContain("🔔 Подписаться");
    // Told once: a second update about the same loss says nothing more.
    const sent = sentTo(harness, user.id).length;
    await harness.send(channelMemberUpdate(privateUser(), CHANNEL, "left"));
    expect(sentTo(harness, user.id)).toHaveLength(sent);
  });

  it("keeps the digest of a channel where the bot is still an admin that can post", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: "poster", [BOT_ID]: "poster" });
    await share(harness, user);
    await harness.send(channelMemberUpdate(privateUser(), CHANNEL, { canPost: true }));
    expect((await harness.store.getSubscription(CHANNEL.id))?.status).toBe("active");
  });

  it("stops a channel's digest that Telegram refuses with 403, and tells the person who set it up, in their language", async () => {
    const user = privateUser({ language_code: "kk" });
    const { harness } = await setUp({ [user.id]: "creator", [BOT_ID]: "poster" }, { now: () => clock });
    await share(harness, user);
    await oweDigestTheChannelRefuses(harness);
    const told: Promise<boolean>[] = [];
    // As main.ts wires it: a delivery dropped that stopped the digest tells whoever set up the channel.
    const sender = harness.digestSender({
      onFinished: (outcome, { chatId, stoppedNow }) => {
        if (outcome === "dropped" && stoppedNow) {
          const options = { api: harness.bot.api, store: harness.store, translators: harness.deps.translators };
          told.push(tellChannelLost(options, chatId));
        }
      },
    });
    expect(await sender.drain()).toMatchObject({ dropped: 1 });
    expect(await Promise.all(told)).toEqual([true]);
    expect(await harness.store.getSubscription(CHANNEL.id)).toMatchObject({ status: "stopped" });
    const notice = texts(harness, user.id).at(-1)!;
    expect(notice).toContain(`Бот «${CHANNEL.title}» арнасында енді жариялай алмайды`);
    // The way back it names is there: /settings, the channel's button, then the button that starts its digest again.
    await harness.send(messageUpdate(user, "/settings"));
    const listed = callbackButtons(lastMessageIn(harness, user.id).reply_markup).find((b) => b.callback_data === channelData())!;
    expect(notice).toContain(`«📢 ${CHANNEL.title}»`);
    expect(listed.text).toContain(`📢 ${CHANNEL.title}`);
    await pressIn(harness, user, user.id, channelData());
    expect(lastMessageIn(harness, user.id).text).toContain("Бұл арнаға дайджест қазір жіберілмейді");
    const again = callbackButtons(lastMessageIn(harness, user.id).reply_markup).find(
      (b) => b.callback_data === channelData({ field: "subscribe" }),
    )!;
    expect(notice).toContain(`«${again.text}»`);
    await pressIn(harness, user, user.id, again.callback_data);
    expect(await harness.store.getSubscription(CHANNEL.id)).toMatchObject({ status: "active", silent: true });
    // Nobody is told about a private chat or a group that was lost.
    expect(await tellChannelLost({ api: harness.bot.api, store: harness.store, translators: harness.deps.translators }, user.id)).toBe(
      false,
    );
  });

  it("tells the person once when the bot's removal stopped the digest while it was being sent", async () => {
    const user = privateUser({ language_code: "ru" });
    const { harness } = await setUp({ [user.id]: "creator", [BOT_ID]: "poster" }, { now: () => clock });
    await share(harness, user);
    await oweDigestTheChannelRefuses(harness);
    // The removal reaches the bot while the digest is in flight: it stops the digest (and says so) before the refusal.
    const store: Store = {
      ...harness.store,
      async markDropped(deliveryId, reason, error) {
        await harness.send(channelMemberUpdate(user, CHANNEL, "kicked"));
        return harness.store.markDropped(deliveryId, reason, error);
      },
    };
    const finished: boolean[] = [];
    const sender = harness.digestSender({
      store,
      onFinished: (outcome, { stoppedNow }) => {
        if (outcome === "dropped") finished.push(stoppedNow ?? false);
      },
    });
    expect(await sender.drain()).toMatchObject({ dropped: 1 });
    expect(finished).toEqual([false]);
    expect(texts(harness, user.id).filter((text) => text.includes(`«${CHANNEL.title}»`) && text.includes("/settings"))).toHaveLength(1);
  });
});
