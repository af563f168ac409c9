import { InlineKeyboard } from "grammy";
import { FeatureComposer } from "../bot/composer.js";
import type { BotContext } from "../bot/context.js";
import type { FeatureFactory } from "../bot/feature.js";
import { replyAroundTyped } from "../bot/screens.js";
import { encodeCallback } from "../render/callback-data.js";
import { refTitle } from "../render/sections.js";

const MAX_SEARCH_BUTTONS = 8;
const MAX_QUERY_ECHO = 60;

/** Free text in a private chat is a search: a button per matching card, and Home. */
export const searchFeature: FeatureFactory = () => {
  const composer = new FeatureComposer<BotContext>();
  // A command is never a search: commands no feature knows get the fallback's answer.
  const startsWithCommand = (ctx: BotContext) => ctx.message?.entities?.[0]?.type === "bot_command" && ctx.message.entities[0].offset === 0;
  composer
    .chatType("private")
    .on("message:text")
    .drop(startsWithCommand, async (ctx) => {
      const { library, search } = ctx.edition;
      const query = ctx.message.text.trim();
      // The query is shown as typed (never transliterated), cut at a whole character when long.
      const characters = [...query];
      const echo = characters.length > MAX_QUERY_ECHO ? `${characters.slice(0, MAX_QUERY_ECHO).join("")}…` : query;
      const hits = search.find(query, ctx.locale).slice(0, MAX_SEARCH_BUTTONS);
      const homeRow = [
        InlineKeyboard.text(
          ctx.t("section-home"),
          encodeCallback({ kind: "section", ref: { briefingId: library.latest.id, section: "home" } }),
        ),
      ];
      if (hits.length === 0) {
        await replyAroundTyped(ctx, (typed) => ctx.t("search-nothing", { query: typed }), echo, InlineKeyboard.from([homeRow]));
        return;
      }
      const rows = hits.map((hit) => {
        const briefing = library.get(hit.briefingId)!;
        const title = refTitle(briefing, hit.ref, ctx.locale, ctx.t);
        const label = library.briefings.length > 1 ? `${title} · ${briefing.shortTitle[ctx.locale]}` : title;
        return [InlineKeyboard.text(label, encodeCallback({ kind: "section", ref: hit.ref }))];
      });
      await replyAroundTyped(ctx, (typed) => ctx.t("search-results", { query: typed }), echo, InlineKeyboard.from([...rows, homeRow]));
    });
  return { composer };
};
