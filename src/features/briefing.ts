import { InlineKeyboard } from "grammy";
import type { BotContext } from "../bot/context.js";
import type { CommandSpec, FeatureFactory } from "../bot/feature.js";
import { renderForChat, show } from "../bot/screens.js";
import { encodeCallback } from "../render/callback-data.js";
import { escapeHtml } from "../render/format.js";
import { refExists, type SectionKey, type SectionRef } from "../render/refs.js";

/** Commands that open one section of the newest briefing, in menu order. */
const SECTION_COMMANDS: Record<string, SectionKey> = {
  briefing: "home",
  timeline: "tl",
  agreements: "ag",
  sectors: "sc",
  quotes: "qt",
  figures: "fg",
};

/** Reading a briefing: a command per section, navigation buttons, and the list of visits. */
export const briefingFeature: FeatureFactory = ({ library }) => {
  async function openSection(ctx: BotContext, ref: SectionRef): Promise<void> {
    const briefing = library.get(ref.briefingId) ?? library.latest;
    await show(ctx, renderForChat(ctx, library, briefing, ref));
  }

  const commands = Object.fromEntries(
    Object.entries(SECTION_COMMANDS).map(([command, section]): [string, CommandSpec] => [
      command,
      { menu: "everywhere", handle: (ctx) => openSection(ctx, { briefingId: library.latest.id, section }) },
    ]),
  );

  return {
    commands,
    actions: {
      section: {
        async handle(ctx, { ref }) {
          const briefing = library.get(ref.briefingId);
          if (!briefing || !refExists(briefing, ref)) {
            // A button from a briefing or item that no longer exists: say so, then show what exists now.
            await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
            await openSection(ctx, { briefingId: library.latest.id, section: "home" });
            return;
          }
          await ctx.answerCallbackQuery();
          await openSection(ctx, ref);
        },
      },
      visits: {
        async handle(ctx) {
          await ctx.answerCallbackQuery();
          const keyboard = InlineKeyboard.from(
            library.briefings.map((briefing) => [
              InlineKeyboard.text(
                briefing.shortTitle[ctx.locale],
                encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: "home" } }),
              ),
            ]),
          );
          await show(ctx, { text: escapeHtml(ctx.t("visits-title")), keyboard });
        },
      },
    },
  };
};
