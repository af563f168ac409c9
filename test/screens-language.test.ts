/**
 * Every screen read in the three readings (Kazakh in Cyrillic, Kazakh in Latin, Russian) through the real bot, against
 * the defects found when they were read beside the article (issue #18): none of those wordings may come back.
 */
import type { Update, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { encodeCallback, type CallbackAction } from "../src/render/callback-data.js";
import { briefingRefs, type SectionRef } from "../src/render/refs.js";
import { toLatin } from "../src/shared/latin.js";
import { startHarness, type Harness } from "./support/harness.js";
import { callbackButtons, lastMessageIn } from "./support/keyboard.js";
import { callbackUpdate, messageUpdate, privateUser } from "./support/updates.js";

const content = bundledContent();

const briefing = content.latest;
const home: SectionRef = { briefingId: briefing.id, section: "home" };
const refs: SectionRef[] = [home, ...briefingRefs(briefing)];

type Reading = "kk" | "kkl" | "ru";
const READINGS: Reading[] = ["kk", "kkl", "ru"];

/** The wordings issue #18 replaced, as they read in Cyrillic; each is also looked for in Latin. */
const FORBIDDEN: (string | RegExp)[] = [
  "Визит Токаева запомнился не декларациями",
  "сайтының 2025 жылғы 5 қыркүйек жарияланған",
  /сайтында 2025 жылғы 5 қыркүйек жарияланған/,
  "Парад к 80-летию Победы",
  // Quoted sentences end with their full stop.
  /(айшықталды|айналдырады|соглашениями|преимущество)(?=[<»\n]|$)/,
  // The list of quotes cut at a small word.
  "общая судьба, и…",
  "Тоқаевтың сапары тек…",
  /\s(и|а|тек|мен|және)…/,
  // The expert's view given as the article's own.
  /(^|\n)Ендігі мақсат/,
  /(^|\n)Следующая цель/,
  "совместных предприятий работают в Казахстане",
  /мастерские «Лу Бань» в Казахстане$/m,
  "откроются",
  "ашылады",
  "ашылатын",
  "Болдырылмады",
  "Сарапшы пікірлері",
  "Цитата 1",
  "Болашағы",
  "Часовой пояс: Asia/Almaty",
  "Уақыт белдеуі: Asia/Almaty",
  "придёт в ближайшее назначенное время",
  "белгіленген уақытта келеді",
  "рассказывает об официальных визитах на казахском и русском языках",
  "↩ Вернуть",
  "↩ Қайтару",
];
/** Whole button labels that must not come back. */
const FORBIDDEN_LABELS = ["Сн", "Дс", "Жс"];

function forbiddenIn(text: string): string[] {
  const found: string[] = [];
  for (const pattern of FORBIDDEN) {
    for (const form of typeof pattern === "string" ? [pattern, toLatin(pattern)] : [pattern]) {
      if (typeof form === "string" ? text.includes(form) : form.test(text)) found.push(String(form));
    }
  }
  return found;
}

let harness: Harness;
beforeEach(async () => {
  // 12:00 in Kazakhstan (07:00 UTC), so that a 09:00 digest is already due and a 20:00 one is still to come today.
  harness = await startHarness({ now: () => new Date("2025-09-05T07:00:00Z") });
});
afterEach(async () => harness.close());

async function readerOf(reading: Reading): Promise<User> {
  const user = privateUser({ language_code: reading === "ru" ? "ru" : "kk" });
  if (reading === "kkl") {
    await harness.send(messageUpdate(user, "/language"));
    await press(user, { kind: "language", language: "kk", script: "latn" });
  }
  return user;
}

const say = (user: User, text: string) => harness.send(messageUpdate(user, text));
async function press(user: User, action: CallbackAction | string): Promise<void> {
  const message = lastMessageIn(harness, user.id);
  const data = typeof action === "string" ? action : encodeCallback(action);
  await harness.send(callbackUpdate(user, data, { chat_id: user.id, message_id: message.message_id }));
}

/** A sticker in a private chat: a message without text. */
function stickerUpdate(user: User): Update {
  return {
    update_id: Math.floor(Math.random() * 1e9),
    message: {
      message_id: Math.floor(Math.random() * 1e9),
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: "private", first_name: user.first_name },
      from: user,
      sticker: { file_id: "x", file_unique_id: "x", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
    },
  };
}

/** Everything the bot showed: message texts, button labels and answers to presses. */
function everythingShown(): { texts: string[]; labels: string[] } {
  const texts: string[] = [];
  const labels: string[] = [];
  for (const call of harness.fake.calls) {
    const { text, reply_markup: markup } = call.payload as { text?: string; reply_markup?: unknown };
    if (typeof text === "string") texts.push(text);
    for (const button of (markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard?.flat() ?? []) {
      labels.push(button.text);
    }
  }
  return { texts, labels };
}

/** Opens every screen a reader can reach: the menu, every card and its other-language view, help, the dialogue, settings. */
async function tour(user: User, reading: Reading): Promise<void> {
  await say(user, "/start");
  for (const ref of refs) {
    await press(user, { kind: "section", ref });
    if (ref.section !== "home") {
      await press(user, { kind: "view", ref, reading: { locale: reading === "ru" ? "kk" : "ru", script: "cyrl" } });
    }
  }
  await say(user, "/help");
  await say(user, "/nosuch");
  await say(user, "/cancel");
  await harness.send(stickerUpdate(user));
  await say(user, "/subscribe");
  await press(user, { kind: "dialog", answer: { step: "frequency", frequency: "weekly" } });
  await press(user, { kind: "dialog", answer: { step: "weekday", weekday: 6 } });
  await press(user, { kind: "dialog", answer: { step: "time", minuteOfDay: 20 * 60 } });
  await press(user, { kind: "dialog", answer: { step: "ok" } });
  await press(user, { kind: "dialog", answer: { step: "ok" } });
  await press(user, { kind: "settings", choice: { field: "zone" } });
  await press(user, { kind: "settings", choice: { field: "frequency" } });
  await press(user, { kind: "settings", choice: { field: "frequency", frequency: "weekly" } });
  await press(user, { kind: "settings", choice: { field: "typeTime" } });
  await say(user, "/cancel");
  await say(user, "/settings");
  await say(user, "/briefing");
}

describe("every screen, read in Kazakh (Cyrillic and Latin) and Russian", () => {
  it.each(READINGS)("%s: none of the wordings issue #18 replaced comes back", async (reading) => {
    const user = await readerOf(reading);
    await tour(user, reading);
    const { texts, labels } = everythingShown();
    expect(texts.length).toBeGreaterThan(40);
    const found = texts.flatMap((text) => forbiddenIn(text).map((pattern) => `${pattern} in ${JSON.stringify(text.slice(0, 120))}`));
    const foundLabels = labels.flatMap((label) => [...forbiddenIn(label), ...(FORBIDDEN_LABELS.includes(label) ? [label] : [])]);
    expect({ found, foundLabels }).toEqual({ found: [], foundLabels: [] });
  });

  it.each([
    ["kk", "Тіл: Қазақша (кирилл)", "Уақыт белдеуі: Қазақстан (UTC+5)"],
    ["kkl", toLatin("Тіл: Қазақша (латын)"), toLatin("Уақыт белдеуі: Қазақстан (UTC+5)")],
    ["ru", "Язык: Русский", "Часовой пояс: Казахстан (UTC+5)"],
  ] as const)("%s: the settings name the language with its script and the zone with its offset", async (reading, language, zone) => {
    const user = await readerOf(reading);
    await say(user, "/subscribe daily 09:00");
    const settings = lastMessageIn(harness, user.id).text;
    expect(settings).toContain(language);
    expect(settings).toContain(zone);
  });

  it.each([
    ["kk", "Дереккөз", "2025 жылғы 5 қыркүйекте жарияланған"],
    ["ru", "Источник", "от 5 сентября 2025 г."],
  ] as const)("%s: the source date reads as an adverbial", async (reading, _title, date) => {
    const user = await readerOf(reading);
    await say(user, "/about");
    expect(lastMessageIn(harness, user.id).text).toContain(date);
  });

  it.each([
    ["kk", "«Қытай – Қазақстан үшін тағдырлас көрші әрі сенімді серіктес. Тоқаевтың сапары тек декларативті емес"],
    ["ru", "«Китай для Казахстана — сосед, с которым его связывает общая судьба, и надёжный партнёр. Визит Токаева не ограничился"],
  ] as const)("%s: the list of quotes shows whole sentences", async (reading, excerpt) => {
    // The plain screen, where a quote is shortened for the list (a rich screen shows the quotes whole).
    harness.fake.withoutRichMessages();
    const user = await readerOf(reading);
    await say(user, "/quotes");
    const text = lastMessageIn(harness, user.id).text;
    expect(text).toContain(excerpt);
    // A quote cut short is cut after a sentence's full stop, never after a word or a comma.
    expect(text).not.toMatch(/[\p{L},]\s?…»/u);
  });
});

describe("Prev and Next at the ends of a list", () => {
  it.each([
    ["kk", "◀ Соңына", "Келесі ▶", "◀ Алдыңғы", "Басына ▶"],
    ["ru", "◀ В конец", "Далее ▶", "◀ Пред.", "В начало ▶"],
  ] as const)("%s: say that they wrap around", async (reading, toLast, next, previous, toFirst) => {
    const user = await readerOf(reading);
    const first = briefing.sectors[0]!;
    const last = briefing.sectors.at(-1)!;
    await say(user, "/sectors");
    await press(user, { kind: "section", ref: { briefingId: briefing.id, section: "sc", itemId: first.id } });
    const atFirst = callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.text);
    expect(atFirst).toEqual(expect.arrayContaining([toLast, next]));
    await press(user, { kind: "section", ref: { briefingId: briefing.id, section: "sc", itemId: last.id } });
    const atLast = callbackButtons(lastMessageIn(harness, user.id).reply_markup).map((button) => button.text);
    expect(atLast).toEqual(expect.arrayContaining([previous, toFirst]));
  });
});
