import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import type { Deps } from "../deps.js";
import { encodeCallback } from "../render/callback-data.js";
import { escapeHtml } from "../render/format.js";
import { refExists, type SectionKey, type SectionRef } from "../render/refs.js";
import { renderForChat, show } from "./navigation.js";
import type { Router } from "./router.js";

/** Commands that open one section of the newest briefing. */
const SECTION_COMMANDS: Record<string, SectionKey> = {
  briefing: "home",
  timeline: "tl",
  agreements: "ag",
  sectors: "sc",
  quotes: "qt",
  figures: "fg",
  about: "ab",
};

export function briefingFeature(deps: Deps, router: Router): void {
  const { library } = deps;

  for (const [command, section] of Object.entries(SECTION_COMMANDS)) {
    router.command(command, (ctx) => openSection(ctx, { briefingId: library.latest.id, section }));
  }

  router.action("section", async (ctx, { ref }) => {
    const briefing = library.get(ref.briefingId);
    if (!briefing || !refExists(briefing, ref)) {
      // A button from a briefing or item that no longer exists: say so, then show what exists now.
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      await openSection(ctx, { briefingId: library.latest.id, section: "home" });
      return;
    }
    await ctx.answerCallbackQuery();
    await openSection(ctx, ref);
  });

  router.action("visits", async (ctx) => {
    await ctx.answerCallbackQuery();
    const keyboard = InlineKeyboard.from(
      library.briefings.map((briefing) => [
        InlineKeyboard.text(briefing.shortTitle[ctx.locale], encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: "home" } })),
      ]),
    );
    await show(ctx, { text: escapeHtml(ctx.t("visits-title")), keyboard });
  });

  async function openSection(ctx: BotContext, ref: SectionRef): Promise<void> {
    const briefing = library.get(ref.briefingId) ?? library.latest;
    await show(ctx, renderForChat(ctx, library, briefing, ref));
  }

}
