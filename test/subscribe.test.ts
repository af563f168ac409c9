import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, dialogData, lastMessageIn, pressIn, settingsData, shownText } from "./support/keyboard.js";
import { callbackUpdate, groupChat, messageUpdate, myChatMemberUpdate, privateUser } from "./support/updates.js";

let harness: Harness;
const ADMIN_ID = 777000;
beforeEach(async () => {
  harness = await startHarness({ bot: { adminIds: [ADMIN_ID] } });
});
afterEach(async () => {
  vi.useRealTimers();
  await harness.close();
});

const say = (user: ReturnType<typeof privateUser>, text: string, chat?: ReturnType<typeof groupChat>) =>
  harness.send(messageUpdate(user, text, chat ? { chat } : {}));
/** What the chat's latest message reads: its text, or its rich HTML (screens and digests may be rich). */
const lastText = (chatId: number) => shownText(lastMessageIn(harness, chatId));
const answers = () => harness.fake.callsTo("answerCallbackQuery");

describe("the /subscribe dialogue", () => {
  it("in Kazakh: weekly on Wednesday, a typed time after a wrong one, one sector off, confirmed", async () => {
    const user = privateUser({ language_code: "kk" });
    await say(user, "/subscribe");
    expect(lastText(user.id)).toContain("Дайджестке жазылу");

    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "weekly" }));
    expect(lastText(user.id)).toBe("Аптаның қай күні?");
    await pressIn(harness, user, user.id, dialogData({ step: "weekday", weekday: 3 }));
    expect(lastText(user.id)).toContain("Қай уақытта?");

    await say(user, "кешке");
    expect(harness.fake.messages(user.id).some((m) => m.text?.includes("Уақытты түсінбедім"))).toBe(true);
    await say(user, "18.45");
    expect(lastText(user.id)).toContain("Қай бағыттарды қосайын?");

    await pressIn(harness, user, user.id, dialogData({ step: "sector", sector: "energy" }));
    const energy = callbackButtons(lastMessageIn(harness, user.id).reply_markup).find(
      (b) => b.callback_data === dialogData({ step: "sector", sector: "energy" }),
    )!;
    expect(energy.text.startsWith("▫️")).toBe(true);
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(lastText(user.id)).toContain("Жазылымды тексеріңіз");
    expect(lastText(user.id)).toContain("апта сайын, сәрсенбі күні, сағат 18:45");
    expect(await harness.store.getSubscription(user.id)).toBeUndefined();

    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(lastText(user.id)).toContain("Жазылым рәсімделді");
    const saved = (await harness.store.getSubscription(user.id))!;
    expect(saved).toMatchObject({
      language: "kk",
      status: "active",
      schedule: { frequency: "weekly", weekday: 3, minuteOfDay: 18 * 60 + 45, timezone: "Asia/Almaty" },
    });
    expect([...saved.sectors!].sort()).toEqual(["agro", "humanit", "transp"]);
    // Every button press was answered.
    expect(answers()).toHaveLength(5);
  });

  it("in Russian: daily at a preset time with every sector, stored as 'all sectors'", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    expect(lastText(user.id)).toContain("Как часто его присылать?");
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    expect(lastText(user.id)).toContain("Часовой пояс: Казахстан (UTC+5)");
    await pressIn(harness, user, user.id, dialogData({ step: "time", minuteOfDay: 9 * 60 }));
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(lastText(user.id)).toContain("ежедневно в 09:00");
    expect(lastText(user.id)).toContain("Направления: все");
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({
      language: "ru",
      sectors: null,
      schedule: { frequency: "daily", weekday: null, minuteOfDay: 540 },
    });
  });

  it("instant, in Kazakh: no weekday and no time, straight on to the sectors; the confirmation shows no time or zone", async () => {
    const user = privateUser({ language_code: "kk" });
    await say(user, "/subscribe");
    const frequencies = callbackButtons(lastMessageIn(harness, user.id).reply_markup);
    expect(frequencies.find((b) => b.callback_data === dialogData({ step: "frequency", frequency: "instant" }))?.text).toBe(
      "Жарияланған бойда",
    );
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "instant" }));
    expect(lastText(user.id)).toContain("Қай бағыттарды қосайын?");
    await pressIn(harness, user, user.id, dialogData({ step: "sector", sector: "transp" }));
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(lastText(user.id)).toContain("Кесте: материалдар жарияланған не жаңартылған бойда");
    expect(lastText(user.id)).not.toContain("Уақыт белдеуі");
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(lastText(user.id)).toContain("Алғашқы дайджест бір минут ішінде келеді");
    const saved = (await harness.store.getSubscription(user.id))!;
    expect(saved.schedule).toEqual({ frequency: "instant", weekday: null, minuteOfDay: 540, timezone: "Asia/Almaty" });
    expect([...saved.sectors!].sort()).toEqual(["agro", "energy", "humanit"]);
    // The settings screen offers no time or zone to change.
    const buttons = callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((b) => b.callback_data);
    expect(buttons).toContain(settingsData({ field: "frequency" }));
    expect(buttons).not.toContain(settingsData({ field: "time" }));
    expect(buttons).not.toContain(settingsData({ field: "zone" }));
  });

  it("asks again on a button from the wrong step and refuses an empty sector list", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    const prompt = lastMessageIn(harness, user.id);
    await harness.send(
      callbackUpdate(user, dialogData({ step: "time", minuteOfDay: 9 * 60 }), { chat_id: user.id, message_id: prompt.message_id }),
    );
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("Не понял");
    expect(lastText(user.id)).toContain("Как часто");

    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    await pressIn(harness, user, user.id, dialogData({ step: "time", minuteOfDay: 7 * 60 }));
    for (const sector of ["transp", "energy", "agro", "humanit"]) await pressIn(harness, user, user.id, `v1:c:s:${sector}`);
    await pressIn(harness, user, user.id, dialogData({ step: "ok" }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toBe("Отметьте хотя бы одно направление.");
    expect(lastText(user.id)).toContain("Какие направления включить?");
  });

  it("cancels with the Cancel button and with /cancel, saving nothing", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    await pressIn(harness, user, user.id, dialogData({ step: "cancel" }));
    expect(lastText(user.id)).toContain("Подписка не оформлена");
    await say(user, "/subscribe");
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    await say(user, "/cancel");
    expect(lastText(user.id)).toContain("Подписка не оформлена");
    expect(await harness.store.getSubscription(user.id)).toBeUndefined();
    // The dialogue is over: free text is a search again.
    await say(user, "инвестиции");
    expect(lastText(user.id)).toContain("Разделы по запросу");
  });

  it("lets another command through and ends the dialogue", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    await say(user, "/help");
    expect(lastText(user.id)).toContain("/subscribe — Подписаться на дайджест");
    const prompt = harness.fake.messages(user.id).find((m) => m.text?.includes("Как часто"))!;
    await harness.send(
      callbackUpdate(user, dialogData({ step: "frequency", frequency: "daily" }), { chat_id: user.id, message_id: prompt.message_id }),
    );
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("диалог уже завершён");
  });

  it("starts over when /subscribe is sent again halfway", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "weekly" }));
    await say(user, "/subscribe");
    expect(lastText(user.id)).toContain("Как часто его присылать?");
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    expect(lastText(user.id)).toContain("В какое время?");
  });

  it("times out: a button pressed after 30 minutes of silence gets a short note, not the dialogue", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-10T08:00:00Z") });
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    vi.setSystemTime(new Date("2026-01-10T08:31:00Z"));
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("диалог уже завершён");
    expect(await harness.store.getSubscription(user.id)).toBeUndefined();
  });

  it("survives a restart halfway: the dialogue state is in the database", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe");
    await pressIn(harness, user, user.id, dialogData({ step: "frequency", frequency: "daily" }));
    const restarted = await startHarness({ databasePath: harness.databasePath, fake: harness.fake });
    try {
      const prompt = lastMessageIn(harness, user.id);
      await restarted.send(
        callbackUpdate(user, dialogData({ step: "time", minuteOfDay: 20 * 60 }), { chat_id: user.id, message_id: prompt.message_id }),
      );
      expect(lastText(user.id)).toContain("Какие направления включить?");
    } finally {
      await restarted.store.close();
    }
  });
});

describe("the one-line form", () => {
  it.each([
    ["/subscribe daily 09:00", { frequency: "daily", weekday: null, minuteOfDay: 540 }],
    ["/subscribe weekly mon 18:30", { frequency: "weekly", weekday: 1, minuteOfDay: 1110 }],
    ["/subscribe weekly пятница 07:05", { frequency: "weekly", weekday: 5, minuteOfDay: 425 }],
    ["/subscribe weekly 20:00 жексенбі", { frequency: "weekly", weekday: 7, minuteOfDay: 1200 }],
    ["/subscribe instant", { frequency: "instant", weekday: null, minuteOfDay: 540 }],
    ["/subscribe сразу", { frequency: "instant", weekday: null }],
    ["/subscribe бірден", { frequency: "instant", weekday: null }],
  ])("%s", async (command, schedule) => {
    const user = privateUser({ language_code: "ru" });
    await say(user, command);
    expect(lastText(user.id)).toContain("Подписка оформлена");
    expect((await harness.store.getSubscription(user.id))!.schedule).toMatchObject(schedule);
  });

  it("instant keeps the chat's time and zone for a switch back, and says when the first digest comes", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe weekly fri 18:30");
    await say(user, "/subscribe instant");
    expect(lastText(user.id)).toContain("Первый дайджест придёт в течение минуты, а затем — сразу после каждой новой публикации");
    expect(lastText(user.id)).toContain("Расписание: сразу после публикации или обновления материалов");
    expect((await harness.store.getSubscription(user.id))!.schedule).toEqual({
      frequency: "instant",
      weekday: null,
      minuteOfDay: 18 * 60 + 30,
      timezone: "Asia/Almaty",
    });
    await say(user, "/subscribe instant 09:00");
    expect(lastText(user.id)).toContain("/subscribe instant (сразу после публикации)");
  });

  it("answers invalid input with a localized example and saves nothing", async () => {
    const kk = privateUser({ language_code: "kk" });
    await say(kk, "/subscribe monthly 25:00");
    expect(lastText(kk.id)).toContain("Мысалы: /subscribe daily 09:00");
    const ru = privateUser({ language_code: "ru" });
    await say(ru, "/subscribe weekly 09:00");
    expect(lastText(ru.id)).toContain("Например: /subscribe daily 09:00");
    expect(await harness.store.getSubscription(kk.id)).toBeUndefined();
    expect(await harness.store.getSubscription(ru.id)).toBeUndefined();
  });
});

describe("/settings", () => {
  async function subscribed(language: "kk" | "ru" = "ru") {
    const user = privateUser({ language_code: language });
    await say(user, "/subscribe daily 09:00");
    await say(user, "/settings");
    return user;
  }

  it("changes time, zone (preset and typed), sectors, pause and resume in one message", async () => {
    const user = await subscribed();
    const settings = lastMessageIn(harness, user.id);
    expect(settings.text).toContain("Настройки дайджеста");

    await pressIn(harness, user, user.id, settingsData({ field: "time" }));
    await pressIn(harness, user, user.id, settingsData({ field: "time", minuteOfDay: 18 * 60 }));
    expect((await harness.store.getSubscription(user.id))!.schedule.minuteOfDay).toBe(1080);

    await pressIn(harness, user, user.id, settingsData({ field: "zone" }));
    await pressIn(harness, user, user.id, settingsData({ field: "zone", preset: "cn" }));
    expect((await harness.store.getSubscription(user.id))!.schedule.timezone).toBe("Asia/Shanghai");

    await pressIn(harness, user, user.id, settingsData({ field: "sectors" }));
    await pressIn(harness, user, user.id, settingsData({ field: "sectors", sector: "agro" }));
    expect((await harness.store.getSubscription(user.id))!.sectors).toEqual(["transp", "energy", "humanit"]);

    await pressIn(harness, user, user.id, settingsData());
    await pressIn(harness, user, user.id, settingsData({ field: "pause" }));
    expect((await harness.store.getSubscription(user.id))!.status).toBe("paused");
    expect(lastText(user.id)).toContain("Статус: приостановлен");
    await pressIn(harness, user, user.id, settingsData({ field: "resume" }));
    expect((await harness.store.getSubscription(user.id))!.status).toBe("active");
    // Everything happened by editing the one settings message.
    expect(lastMessageIn(harness, user.id).message_id).toBe(settings.message_id);

    await pressIn(harness, user, user.id, settingsData({ field: "zone" }));
    await pressIn(harness, user, user.id, settingsData({ field: "typeZone" }));
    expect(lastText(user.id)).toContain("IANA");
    await say(user, "Mars/Olympus");
    expect(lastText(user.id)).toContain("«Mars/Olympus» — неизвестный часовой пояс");
    await say(user, "europe/berlin");
    expect((await harness.store.getSubscription(user.id))!.schedule.timezone).toBe("Europe/Berlin");
    // A zone without a name of ours: its offset (summer or winter) and its IANA name.
    expect(lastText(user.id)).toMatch(/Часовой пояс: UTC\+[12] \(Europe\/Berlin\)/);
  });

  it("switches to instant at once and back to daily, which finds its time again", async () => {
    const user = await subscribed("kk");
    await pressIn(harness, user, user.id, settingsData({ field: "time" }));
    await pressIn(harness, user, user.id, settingsData({ field: "time", minuteOfDay: 18 * 60 }));
    await pressIn(harness, user, user.id, settingsData({ field: "frequency" }));
    await pressIn(harness, user, user.id, settingsData({ field: "frequency", frequency: "instant" }));
    expect(answers().at(-1)?.payload.text).toBe("Сақталды.");
    expect(lastText(user.id)).toContain("Кесте: материалдар жарияланған не жаңартылған бойда");
    expect((await harness.store.getSubscription(user.id))!.schedule).toMatchObject({
      frequency: "instant",
      weekday: null,
      minuteOfDay: 1080,
    });
    await pressIn(harness, user, user.id, settingsData({ field: "frequency" }));
    await pressIn(harness, user, user.id, settingsData({ field: "frequency", frequency: "daily" }));
    expect(lastText(user.id)).toContain("күн сайын, сағат 18:00");
  });

  it("switches the digest language with the person's language", async () => {
    const user = await subscribed("ru");
    await pressIn(harness, user, user.id, settingsData({ field: "language" }));
    await pressIn(harness, user, user.id, settingsData({ field: "language", language: "kk" }));
    expect((await harness.store.getSubscription(user.id))!.language).toBe("kk");
    expect((await harness.store.getUser(user.id))!.language).toBe("kk");
    expect(lastText(user.id)).toContain("Дайджест баптаулары");
  });

  it("answers forged values with a note and changes nothing", async () => {
    const user = await subscribed();
    const before = await harness.store.getSubscription(user.id);
    const message = lastMessageIn(harness, user.id);
    // Wire data no button of ours carries: values out of range, unknown fields.
    for (const data of ["v1:g:t:9999", "v1:g:z:mars", "v1:g:s:nosuch", "v1:g:w:9", "v1:g:l:en", "v1:g:q"]) {
      await harness.send(callbackUpdate(user, data, { chat_id: user.id, message_id: message.message_id }));
    }
    expect(answers().map((call) => call.payload.text)).toEqual(Array(6).fill("Эта кнопка устарела. Открываю актуальное меню."));
    expect(await harness.store.getSubscription(user.id)).toEqual(before);
    // A known field with a value that means nothing redraws the settings; an unknown field opens the main menu.
    expect(lastText(user.id)).toContain("Визит Токаева в Китай");
    await harness.send(callbackUpdate(user, "v1:g:w:9", { chat_id: user.id, message_id: message.message_id }));
    expect(lastText(user.id)).toContain("Настройки дайджеста");
  });

  it("/unsubscribe stops it; /settings then offers to subscribe", async () => {
    const user = await subscribed();
    await say(user, "/unsubscribe");
    expect(lastText(user.id)).toContain("Вы отписались");
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "stopped", stopReason: "unsubscribed" });
    await say(user, "/settings");
    expect(callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((b) => b.callback_data)).toContain(
      settingsData({ field: "subscribe" }),
    );
  });
});

describe("groups", () => {
  const group = groupChat(-100777);

  it("only administrators subscribe, change or stop the group's digest; others get a polite refusal", async () => {
    const member = privateUser({ language_code: "ru" });
    const admin = privateUser({ language_code: "kk" });
    harness.fake.setMemberStatus(group.id, admin.id, "administrator");

    await say(member, "/subscribe@visit_briefing_bot daily 09:00", group);
    expect(lastText(group.id)).toBe("Дайджест этой группы могут настраивать только её администраторы.");
    expect(await harness.store.getSubscription(group.id)).toBeUndefined();

    await say(admin, "/subscribe@visit_briefing_bot daily 09:00", group);
    expect(await harness.store.getSubscription(group.id)).toMatchObject({ chatKind: "supergroup", createdBy: admin.id, status: "active" });

    const settings = lastMessageIn(harness, group.id);
    await harness.send(callbackUpdate(member, settingsData({ field: "pause" }), { chat_id: group.id, message_id: settings.message_id }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("только её администраторы");
    expect((await harness.store.getSubscription(group.id))!.status).toBe("active");
    // A forged value is still a settings button: the same refusal, and the group's message stays as it is.
    const edits = harness.fake.callsTo("editMessageText").length;
    await harness.send(callbackUpdate(member, "v1:g:w:9", { chat_id: group.id, message_id: settings.message_id }));
    expect(harness.fake.lastCall("answerCallbackQuery")!.payload.text).toContain("только её администраторы");
    expect(harness.fake.callsTo("editMessageText")).toHaveLength(edits);

    await say(member, "/unsubscribe", group);
    expect((await harness.store.getSubscription(group.id))!.status).toBe("active");
    await say(admin, "/unsubscribe", group);
    expect((await harness.store.getSubscription(group.id))!.status).toBe("stopped");
  });

  it("uses the language chosen for the group", async () => {
    const admin = privateUser({ language_code: "ru" });
    harness.fake.setMemberStatus(group.id, admin.id, "creator");
    await harness.store.touchChat({ id: group.id, kind: "supergroup", title: "Group" });
    await harness.store.setChatLanguage(group.id, "kk");
    await say(admin, "/subscribe daily 10:00", group);
    expect((await harness.store.getSubscription(group.id))!.language).toBe("kk");
  });
});

describe("chats we lose and get back", () => {
  it("a blocked bot stops the digest; /start afterwards offers to resume it", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe daily 09:00");
    await harness.send(myChatMemberUpdate(user, { id: user.id, type: "private", first_name: "Test" }, "kicked"));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "stopped", stopReason: "blocked" });

    await say(user, "/start");
    expect(lastText(user.id)).toContain("Возобновить его с прежними настройками?");
    await pressIn(harness, user, user.id, settingsData({ field: "resume" }));
    expect(await harness.store.getSubscription(user.id)).toMatchObject({ status: "active", stopReason: null });
  });

  it("removal from a group stops the group's digest", async () => {
    const group = groupChat(-100888);
    const admin = privateUser({ language_code: "ru" });
    harness.fake.setMemberStatus(group.id, admin.id, "administrator");
    await say(admin, "/subscribe daily 09:00", group);
    await harness.send(myChatMemberUpdate(admin, group, "left"));
    expect(await harness.store.getSubscription(group.id)).toMatchObject({ status: "stopped", stopReason: "removed" });
  });
});

describe("/digest and /stats", () => {
  it("/digest shows the digest now for the chat's sectors", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/digest");
    expect(lastText(user.id)).toContain("🗞 Дайджест");
    expect(lastText(user.id)).toContain("Энергетика");
  });

  it("/stats answers operators only", async () => {
    const user = privateUser({ language_code: "ru" });
    await say(user, "/subscribe daily 09:00");
    await say(user, "/stats");
    expect(lastText(user.id)).toContain("Команда /stats мне неизвестна");
    const operator = privateUser({ id: ADMIN_ID, language_code: "ru" });
    await say(operator, "/stats");
    expect(lastText(ADMIN_ID)).toContain("Статистика дайджестов");
    expect(lastText(ADMIN_ID)).toContain("ru · daily · active: 1");
  });
});
