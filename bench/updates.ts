import type { Update } from "grammy/types";
import type { ContentLibrary } from "../src/content/library.js";
import { briefingRefs } from "../src/render/refs.js";
import { encodeCallback } from "../src/render/callback-data.js";

/** A deterministic pseudo-random sequence, so every run replays the same updates. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const COMMANDS = ["/start", "/briefing", "/timeline", "/agreements", "/sectors", "/quotes", "/figures", "/help", "/about", "/nosuch"];
export const INLINE_QUERIES = [
  "",
  "транскаспий",
  "инвестиции",
  "инвестициялар",
  "келисим",
  "келісім",
  "Лу Бань",
  "лу бан",
  "энергетика",
  "энергетикасы",
  "Шаймергенова",
  "27 млрд",
  "ШЫҰ",
  "парад",
  "мәдениет",
  "культура",
  "агро",
  "цифр",
  "zzzz",
  "asdf qwer",
  "!!!",
  "x".repeat(256),
  "сапар",
  "визит",
  "Пекин",
  "Бейжің",
  // Kazakh in the 2021 Latin alphabet, apostrophes and ASCII; Russian in Latin letters; the wrong keyboard layout.
  "kelisim",
  "kelısım",
  "investitsiya",
  "Transkaspiy",
  "Lu Ban",
  "Şaimergenova",
  "s'eberhana",
  "madeni ortalyk",
  "Qazaqstan",
  "investicii",
  "soglashenie",
  "bydtcnbwbb",
  "cjukfitybt",
  "Дг Ифт",
  "лудшышь",
  // Typos, names in other languages (content/aliases.yaml) and figures written out (decision 0029).
  "Шаймерднова",
  "энергетиака",
  "SCO",
  "Xi Jinping",
  "6 000",
];
const FREE_TEXT = ["инвестиции", "келисим", "что подписали?", "транзит", "🙂", "жасанды интеллект", "qwerty"];

/** A mix like real traffic: commands, button presses (valid and stale), free text and inline queries. */
export function mixedUpdates(library: ContentLibrary, count: number, options: { users?: number; firstUpdateId?: number } = {}): Update[] {
  const users = options.users ?? 500;
  const firstUpdateId = options.firstUpdateId ?? 1;
  const random = seeded(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const refs = library.briefings.flatMap(briefingRefs);
  const buttons = [
    ...refs.map((ref) => encodeCallback({ kind: "section", ref })),
    encodeCallback({ kind: "languageMenu" }),
    "v0:old:button",
    "forged\u0000data",
  ];
  const updates: Update[] = [];
  for (let index = 0; index < count; index++) {
    const userId = 10_000 + Math.floor(random() * users);
    const from = { id: userId, is_bot: false, first_name: "U", language_code: userId % 2 ? "kk" : "ru" };
    const chat = { id: userId, type: "private" as const, first_name: "U" };
    const kind = random();
    const update_id = firstUpdateId + index;
    if (kind < 0.3) {
      const text = pick(COMMANDS);
      updates.push({
        update_id,
        message: { message_id: index, date: 0, chat, from, text, entities: [{ type: "bot_command", offset: 0, length: text.length }] },
      });
    } else if (kind < 0.6) {
      updates.push({
        update_id,
        callback_query: {
          id: String(index),
          from,
          chat_instance: "1",
          data: pick(buttons),
          message: { message_id: 1, date: 0, chat, text: "menu" } as never,
        },
      });
    } else if (kind < 0.75) {
      updates.push({ update_id, message: { message_id: index, date: 0, chat, from, text: pick(FREE_TEXT) } });
    } else {
      updates.push({ update_id, inline_query: { id: String(index), from, query: pick(INLINE_QUERIES), offset: "", chat_type: "sender" } });
    }
  }
  return updates;
}
