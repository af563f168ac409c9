import { Composer, InlineKeyboard } from "grammy";
import { commandList } from "../commands.js";
import type { BotContext } from "../context.js";
import type { Deps } from "../deps.js";
import { encodeCallback } from "../render/callback-data.js";
import { escapeHtml } from "../render/format.js";
import { refTitle } from "../render/cards.js";
import { renderForChat, show } from "./navigation.js";

const MAX_SEARCH_BUTTONS = 8;
const MAX_QUERY_ECHO = 60;

/** Last in the chain: whatever no feature handled still gets a clear answer. */
export function fallbackFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { library } = deps;

  // A command nobody handled. In groups only commands addressed to this bot are ours to answer.
  composer.on("message:entities:bot_command", async (ctx, next) => {
    const entity = ctx.message.entities.find((e) => e.type === "bot_command" && e.offset === 0);
    if (!entity) return next();
    const command = ctx.message.text.slice(entity.offset, entity.offset + entity.length);
    const [name, mention] = command.split("@");
    if (ctx.chat.type !== "private" && mention?.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await ctx.reply(escapeHtml(`${ctx.t("unknown-command", { command: name ?? command })}\n\n${commandList(ctx.t)}`), {
      parse_mode: "HTML",
    });
  });

  // Free text in a private chat is a search.
  composer.chatType("private").on("message:text", async (ctx) => {
    const query = ctx.message.text.trim();
    const echo = query.length > MAX_QUERY_ECHO ? `${query.slice(0, MAX_QUERY_ECHO)}…` : query;
    const hits = deps.search.find(query, ctx.locale).slice(0, MAX_SEARCH_BUTTONS);
    const home = { briefingId: library.latest.id, section: "home" as const };
    if (hits.length === 0) {
      const keyboard = InlineKeyboard.from([[InlineKeyboard.text(ctx.t("section-home"), encodeCallback({ kind: "section", ref: home }))]]);
      await ctx.reply(escapeHtml(ctx.t("search-nothing", { query: echo })), { parse_mode: "HTML", reply_markup: keyboard });
      return;
    }
    const rows = hits.map((hit) => {
      const briefing = library.get(hit.briefingId)!;
      const title = refTitle(briefing, hit.ref, ctx.locale, ctx.t);
      const label = library.briefings.length > 1 ? `${title} · ${briefing.shortTitle[ctx.locale]}` : title;
      return [InlineKeyboard.text(label, encodeCallback({ kind: "section", ref: hit.ref }))];
    });
    rows.push([InlineKeyboard.text(ctx.t("section-home"), encodeCallback({ kind: "section", ref: home }))]);
    await ctx.reply(escapeHtml(ctx.t("search-results", { query: echo })), {
      parse_mode: "HTML",
      reply_markup: InlineKeyboard.from(rows),
    });
  });

  // Stickers, photos and the like in a private chat: point to the menu.
  composer.chatType("private").on("message", (ctx) => ctx.reply(escapeHtml(`${ctx.t("help-header")}\n\n${commandList(ctx.t)}`), { parse_mode: "HTML" }));

  // Any button we do not recognise: old formats, forged data, buttons of removed features.
  composer.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    if (ctx.callbackQuery.message) {
      await show(ctx, renderForChat(ctx, library, library.latest, { briefingId: library.latest.id, section: "home" }));
    }
  });

  return composer;
}
