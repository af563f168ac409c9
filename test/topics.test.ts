import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tick } from "../src/digest/tick.js";
import type { Call } from "./support/fake-telegram.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, dialogData, lastMessageIn, pressIn, settingsData } from "./support/keyboard.js";
import { DIGEST_MARK, sentText } from "./support/digests.js";
import {
  callbackUpdate,
  forumChat,
  forumTopicEventUpdate,
  groupChat,
  messageUpdate,
  myChatMemberUpdate,
  privateUser,
} from "./support/updates.js";

/** A fixed clock: Friday 5 Sep 2025, 10:00 in Almaty (05:00 UTC); a 09:00 digest is due. */
let clock = new Date("2025-09-05T05:00:00Z");
const now = () => clock;

let harness: Harness;
beforeEach(async () => {
  clock = new Date("2025-09-05T05:00:00Z");
  harness = await startHarness({ now });
});
afterEach(async () => {
  await harness.close();
});

const forum = forumChat(-1002000000001);
const TOPIC_A = 11;
const TOPIC_B = 22;
const admin = privateUser({ language_code: "ru" });

type Person = ReturnType<typeof privateUser>;
const sayIn = (user: Person, text: string, threadId?: number) =>
  harness.send(messageUpdate(user, text, { chat: forum, ...(threadId === undefined ? {} : { threadId }) }));
/** Messages sent to a chat, HTML or rich (a digest is a rich message). */
const sendsTo = (chatId: number) =>
  harness.fake.calls.filter((call) => /^send(Rich)?Message$/.test(call.method) && call.payload.chat_id === chatId);
const isDigest = (call: Call) => sentText(call).includes(DIGEST_MARK);
const lastTextIn = (threadId: number | undefined) => {
  const last = sendsTo(forum.id)
    .filter((call) => call.payload.message_thread_id === threadId)
    .at(-1);
  return last ? sentText(last) : "";
};

/** One scheduler pass and one drain of the outbox, as main.ts runs them in SQLite mode. */
async function deliverDue(): Promise<void> {
  await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
  await harness.digestSender().drain();
}

describe("forum topics", () => {
  beforeEach(() => harness.fake.setMemberStatus(forum.id, admin.id, "administrator"));

  it("a subscription per topic: each set up in its topic, answered there, and its digest sent there", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    expect(lastTextIn(TOPIC_A)).toContain("Подписка оформлена");
    await sayIn(admin, "/subscribe instant", TOPIC_B);
    expect(lastTextIn(TOPIC_B)).toContain("Подписка оформлена");

    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ threadId: TOPIC_A, schedule: { frequency: "daily" } });
    expect(await harness.store.getSubscription(forum.id, TOPIC_B)).toMatchObject({ threadId: TOPIC_B, schedule: { frequency: "instant" } });
    // The General topic has none of its own.
    expect(await harness.store.getSubscription(forum.id)).toBeUndefined();

    await deliverDue();
    const digests = sendsTo(forum.id).filter(isDigest);
    expect(digests.map((call) => call.payload.message_thread_id).sort()).toEqual([TOPIC_A, TOPIC_B]);
    // A group's digest comes without sound unless asked otherwise.
    for (const digest of digests) expect(digest.payload.disable_notification).toBe(true);
  });

  it("/settings in a topic shows and changes that topic's subscription only, buttons and typed values alike", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_B);

    await sayIn(admin, "/settings", TOPIC_A);
    expect(lastMessageIn(harness, forum.id)).toMatchObject({ message_thread_id: TOPIC_A });
    await pressIn(harness, admin, forum.id, settingsData({ field: "pause" }));
    // The screen was edited in place, in topic A.
    expect(harness.fake.lastCall("editMessageText")!.payload.text).toContain("приостановлен");
    await pressIn(harness, admin, forum.id, settingsData({ field: "silent", silent: false }));
    await pressIn(harness, admin, forum.id, settingsData({ field: "time" }));
    await pressIn(harness, admin, forum.id, settingsData({ field: "typeTime" }));
    expect(lastTextIn(TOPIC_A)).toContain("ЧЧ:ММ");
    // In a group the question opens the reply field: with privacy mode on, only a reply to the bot reaches it.
    expect(lastMessageIn(harness, forum.id).reply_markup).toEqual({ force_reply: true });
    await sayIn(admin, "07:45", TOPIC_A);
    expect(lastTextIn(TOPIC_A)).toContain("07:45");

    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({
      status: "paused",
      silent: false,
      schedule: { minuteOfDay: 7 * 60 + 45 },
    });
    expect(await harness.store.getSubscription(forum.id, TOPIC_B)).toMatchObject({
      status: "active",
      silent: true,
      schedule: { minuteOfDay: 9 * 60 },
    });

    await sayIn(admin, "/unsubscribe", TOPIC_B);
    expect((await harness.store.getSubscription(forum.id, TOPIC_B))?.status).toBe("stopped");
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("paused");
  });

  it("the /subscribe dialogue in a topic suggests no sound, can switch it, and saves that topic's subscription", async () => {
    await sayIn(admin, "/subscribe", TOPIC_A);
    await pressIn(harness, admin, forum.id, dialogData({ step: "frequency", frequency: "daily" }));
    await pressIn(harness, admin, forum.id, dialogData({ step: "time", minuteOfDay: 9 * 60 }));
    await pressIn(harness, admin, forum.id, dialogData({ step: "ok" }));
    expect(lastMessageIn(harness, forum.id).text).toContain("Уведомления: 🔕 без звука");
    await pressIn(harness, admin, forum.id, dialogData({ step: "silent", silent: false }));
    expect(lastMessageIn(harness, forum.id).text).toContain("Уведомления: 🔔 со звуком");
    expect(callbackButtons(lastMessageIn(harness, forum.id).reply_markup).map((b) => b.text)).toContain("🔕 Выключить звук");
    await pressIn(harness, admin, forum.id, dialogData({ step: "ok" }));

    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ silent: false, status: "active" });
    expect(await harness.store.getSubscription(forum.id)).toBeUndefined();
    // Every message of the dialogue stayed in the topic.
    expect(sendsTo(forum.id).every((call) => call.payload.message_thread_id === TOPIC_A)).toBe(true);
  });

  it("a deleted topic stops only its own digest, and the group's General topic is told how to resume", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_B);
    harness.fake.failNext(
      "sendRichMessage",
      { error_code: 400, description: "Bad Request: message thread not found" },
      { when: (payload) => payload.message_thread_id === TOPIC_A, times: 10 },
    );
    await deliverDue();

    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ status: "stopped", stopReason: "topic_deleted" });
    expect((await harness.store.getSubscription(forum.id, TOPIC_B))?.status).toBe("active");
    expect(sendsTo(forum.id).filter((call) => isDigest(call) && call.payload.message_thread_id === TOPIC_B)).toHaveLength(1);
    // One attempt at the gone topic, then one notice without a topic (General), saying how to have the digest again.
    expect(sendsTo(forum.id).filter((call) => call.payload.message_thread_id === TOPIC_A && isDigest(call))).toHaveLength(1);
    const notices = sendsTo(forum.id).filter((call) => call.payload.message_thread_id === undefined);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload.text).toContain("тема удалена");
    expect(notices[0]!.payload.text).toContain("/subscribe");
    // The topic's digest was silent (a group's default), and so is the notice that replaces it.
    expect(notices[0]!.payload.disable_notification).toBe(true);

    // The next day only topic B is looked at: the gone topic is not tried again.
    clock = new Date("2025-09-06T05:00:00Z");
    expect(await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark })).toEqual({
      checked: 1,
      queued: 1,
    });
  });

  it("a closed topic stops its digest until it is reopened; closing and reopening it does the same", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    harness.fake.failNext("sendRichMessage", { error_code: 400, description: "Bad Request: TOPIC_CLOSED" });
    await deliverDue();
    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
    expect(lastTextIn(undefined)).toContain("возобновится сам");

    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "reopened"));
    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ status: "active", stopReason: null });

    // Closed by its administrators while the bot watches: the digest stops at once; reopened, it goes on.
    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "closed"));
    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "reopened"));
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("active");

    // A topic paused by hand is not resumed by a reopening.
    await sayIn(admin, "/settings", TOPIC_A);
    await pressIn(harness, admin, forum.id, settingsData({ field: "pause" }));
    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "closed"));
    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "reopened"));
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("paused");
  });

  /** Telegram's answer when the bot sends too fast: wait `seconds`. */
  const tooMany = (seconds: number) => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${seconds}`,
    parameters: { retry_after: seconds },
  });
  const isNotice = (call: Call) =>
    call.method === "sendMessage" && call.payload.chat_id === forum.id && call.payload.message_thread_id === undefined;
  /** The next digest to `thread` is refused: the topic was closed. */
  const topicClosedNext = (thread: number) =>
    harness.fake.failNext(
      "sendRichMessage",
      { error_code: 400, description: "Bad Request: TOPIC_CLOSED" },
      { when: (payload) => payload.message_thread_id === thread },
    );
  /** The next message to the General topic (the notice) is answered with `error`. */
  const noticeAnsweredNext = (error: Parameters<typeof harness.fake.failNext>[1]) =>
    harness.fake.failNext("sendMessage", error, { when: (payload) => payload.message_thread_id === undefined });

  it("the notice of a closed topic answered 429 waits retry_after out and arrives, silent like the digest and free", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    topicClosedNext(TOPIC_A);
    noticeAnsweredNext(tooMany(1));
    await deliverDue();

    const attempts = harness.fake.calls.filter(isNotice);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(lastTextIn(undefined)).toContain("возобновится сам");
    expect(attempts[1]!.payload).toMatchObject({ disable_notification: true, allow_paid_broadcast: false });
  });

  it("the notice takes its turn behind readers' replies: replies waiting with it go first", async () => {
    await harness.close();
    // Two messages a second: the readers' two replies fill the second the notice also waits for.
    harness = await startHarness({ now, bot: { rateLimits: { perSecond: 2, perGroupPerMinute: 20 } } });
    harness.fake.setMemberStatus(forum.id, admin.id, "administrator");
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    topicClosedNext(TOPIC_A);
    // The notice's 429 closes the send budget for a second; the readers write meanwhile.
    noticeAnsweredNext(tooMany(1));
    const delivered = deliverDue();
    await harness.fake.waitFor(isNotice);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readers = [privateUser({ language_code: "ru" }), privateUser({ language_code: "kk" })];
    const answered = Promise.all(readers.map((reader) => harness.send(messageUpdate(reader, "/help"))));
    await Promise.all([delivered, answered]);

    const replies = readers.map((reader) => sendsTo(reader.id).at(-1)!);
    const notice = harness.fake.calls.filter(isNotice).at(-1)!;
    expect(lastTextIn(undefined)).toContain("возобновится сам");
    for (const reply of replies) expect(notice.at).toBeGreaterThan(reply.at);
  });

  it("a notice refused because the bot was removed from the group stops the group's every digest, as a refused reply does", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_B);
    topicClosedNext(TOPIC_A);
    noticeAnsweredNext({ error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    await deliverDue();

    expect(harness.fake.calls.filter(isNotice)).toHaveLength(1);
    expect(await harness.store.getSubscription(forum.id, TOPIC_A)).toMatchObject({ status: "stopped" });
    expect(await harness.store.getSubscription(forum.id, TOPIC_B)).toMatchObject({ status: "stopped" });
  });

  it("a stop does not wait for a notice still waiting its turn (a 429 of a minute): the sender stops at once", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    topicClosedNext(TOPIC_A);
    noticeAnsweredNext(tooMany(60));
    await tick({ store: harness.store, now: now(), contentMark: () => harness.deps.edition().digests.contentMark });
    const sender = harness.digestSender();
    const drained = sender.drain();
    await harness.fake.waitFor(isNotice);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = Date.now();
    await sender.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(await drained).toMatchObject({ dropped: 1 });
    expect(harness.fake.calls.filter(isNotice)).toHaveLength(1);
  });

  it("/start in a topic whose digest stopped when it was closed offers that topic's digest back, saying why it stopped", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await harness.send(forumTopicEventUpdate(admin, forum, TOPIC_A, "closed"));
    // Administrators may still post in a closed topic.
    await sayIn(admin, "/start", TOPIC_A);
    const offer = lastMessageIn(harness, forum.id);
    expect(offer.message_thread_id).toBe(TOPIC_A);
    expect(offer.text).toContain("тем");
    expect(offer.text).not.toContain("заблокирован");
    await pressIn(harness, admin, forum.id, settingsData({ field: "resume" }));
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("active");
    expect(await harness.store.getSubscription(forum.id)).toBeUndefined();
  });

  it("a closed General topic stops the group's own digest, and no notice is tried there", async () => {
    await sayIn(admin, "/subscribe daily 09:00");
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    harness.fake.failNext(
      "sendRichMessage",
      { error_code: 400, description: "Bad Request: TOPIC_CLOSED" },
      { when: (payload) => payload.message_thread_id === undefined },
    );
    const before = sendsTo(forum.id).length;
    await deliverDue();
    expect(await harness.store.getSubscription(forum.id)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("active");
    // One refused digest in General and one delivered in topic A; nothing else.
    expect(sendsTo(forum.id).slice(before)).toHaveLength(2);
  });

  it("closing the General topic stops the group's own digest until General is reopened; the topics' go on", async () => {
    await sayIn(admin, "/subscribe daily 09:00");
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await harness.send(forumTopicEventUpdate(admin, forum, null, "closed"));
    expect(await harness.store.getSubscription(forum.id)).toMatchObject({ status: "stopped", stopReason: "topic_closed" });
    expect((await harness.store.getSubscription(forum.id, TOPIC_A))?.status).toBe("active");
    await harness.send(forumTopicEventUpdate(admin, forum, null, "reopened"));
    expect(await harness.store.getSubscription(forum.id)).toMatchObject({ status: "active", stopReason: null });
    // In a group without topics there is no General topic to close: nothing is stopped.
    const plain = groupChat(-1002000000002);
    harness.fake.setMemberStatus(plain.id, admin.id, "administrator");
    await harness.send(messageUpdate(admin, "/subscribe daily 09:00", { chat: plain }));
    await harness.send(forumTopicEventUpdate(admin, plain, null, "closed"));
    expect((await harness.store.getSubscription(plain.id))?.status).toBe("active");
  });

  it("a forum that removes the bot stops every topic's digest", async () => {
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_A);
    await sayIn(admin, "/subscribe daily 09:00", TOPIC_B);
    await sayIn(admin, "/subscribe daily 09:00");
    await harness.send(myChatMemberUpdate(admin, forum, "kicked"));
    for (const thread of [TOPIC_A, TOPIC_B, null]) {
      expect(await harness.store.getSubscription(forum.id, thread)).toMatchObject({ status: "stopped", stopReason: "removed" });
    }
    await deliverDue();
    expect(sendsTo(forum.id).filter(isDigest)).toHaveLength(0);
  });

  it("/digest in a topic shows the digest in that topic", async () => {
    await sayIn(admin, "/digest", TOPIC_B);
    const shown = sendsTo(forum.id).at(-1)!;
    expect(isDigest(shown)).toBe(true);
    expect(shown.payload.message_thread_id).toBe(TOPIC_B);
  });
});

describe("silent digests", () => {
  it("a private chat's digest has sound unless switched off in /settings; switched off, it comes with disable_notification", async () => {
    const loud = privateUser({ language_code: "ru" });
    const quiet = privateUser({ language_code: "kk" });
    for (const user of [loud, quiet]) await harness.send(messageUpdate(user, "/subscribe daily 09:00"));
    expect((await harness.store.getSubscription(quiet.id))?.silent).toBe(false);
    expect(lastMessageIn(harness, quiet.id).text).toContain("Хабарландыру: 🔔 дыбыспен");
    // The switch says what it does, and no other button looks like it.
    const labels = callbackButtons(lastMessageIn(harness, quiet.id).reply_markup).map((b) => b.text);
    expect(labels.filter((label) => label.startsWith("🔕"))).toEqual(["🔕 Дыбысын өшіру"]);

    await pressIn(harness, quiet, quiet.id, settingsData({ field: "silent", silent: true }));
    expect(lastMessageIn(harness, quiet.id).text).toContain("Хабарландыру: 🔕 дыбыссыз");
    expect((await harness.store.getSubscription(quiet.id))?.silent).toBe(true);
    // The switch now offers sound back; the same press arriving twice leaves it silent.
    expect(callbackButtons(lastMessageIn(harness, quiet.id).reply_markup).map((b) => b.text)).toContain("🔔 Дыбысын қосу");
    await harness.send(
      callbackUpdate(quiet, settingsData({ field: "silent", silent: true }), {
        chat_id: quiet.id,
        message_id: lastMessageIn(harness, quiet.id).message_id,
      }),
    );
    expect((await harness.store.getSubscription(quiet.id))?.silent).toBe(true);

    await deliverDue();
    const [quietDigest] = sendsTo(quiet.id).filter(isDigest);
    const [loudDigest] = sendsTo(loud.id).filter(isDigest);
    expect(quietDigest!.payload.disable_notification).toBe(true);
    expect(loudDigest!.payload.disable_notification).toBeUndefined();
  });

  it("the one-line /subscribe keeps the sound setting a subscription already has", async () => {
    const user = privateUser({ language_code: "ru" });
    await harness.send(messageUpdate(user, "/subscribe daily 09:00"));
    await harness.store.updateSubscription(user.id, { silent: true });
    await harness.send(messageUpdate(user, "/subscribe weekly mon 18:30"));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ silent: true, schedule: { frequency: "weekly" } });
  });
});
