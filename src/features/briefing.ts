import { InlineKeyboard } from "grammy";
import type { BotContext } from "../bot/context.js";
import type { ActionSpecs, CommandSpec, FeatureFactory } from "../bot/feature.js";
import type { Deps } from "../bot/deps.js";
import { renderForChat, showNavigation, type RichScreen } from "../bot/screens.js";
import { encodeCallback } from "../render/callback-data.js";
import type { Briefing } from "../content/types.js";
import { escapeHtml, withNote, type Rendered } from "../render/format.js";
import { fullBriefingFallback, hasRichScreen, renderFullBriefing } from "../render/rich-briefing.js";
import { refExists, type SectionKey, type SectionRef } from "../render/refs.js";
import { viewScreen } from "../render/twin.js";

/** Commands that open one section of the newest briefing, in menu order. */
const SECTION_COMMANDS: Record<string, SectionKey> = {
  briefing: "home",
  timeline: "tl",
  agreements: "ag",
  sectors: "sc",
  quotes: "qt",
  figures: "fg",
};

/** Opening a briefing's screens: a section, the whole briefing, for readers and (drafts too) for operators. */
function briefingReader({ adminIds, capabilities, store }: Deps) {
  /** A published briefing for everyone; a draft for operators, who read drafts before they are published. */
  function briefingFor(ctx: BotContext, id: string): Briefing | undefined {
    const { library } = ctx.edition;
    const operator = ctx.from !== undefined && adminIds.includes(ctx.from.id);
    return library.get(id) ?? (operator ? library.getDraft(id) : undefined);
  }

  /** A draft's screens say so on top, operators being the only ones who read drafts. */
  const marked = (ctx: BotContext, briefing: Briefing, screen: Rendered, rich = false): Rendered =>
    briefing.status !== "draft"
      ? screen
      : rich
        ? { text: `<p>${escapeHtml(ctx.t("preview-draft-note"))}</p>${screen.text}`, keyboard: screen.keyboard }
        : withNote(ctx.t("preview-draft-note"), screen);

  async function openSection(ctx: BotContext, ref: SectionRef): Promise<void> {
    const { library } = ctx.edition;
    const briefing = briefingFor(ctx, ref.briefingId) ?? library.latest;
    const rich = capabilities.available("rich_messages");
    const screen = await renderForChat(ctx, store, library, briefing, ref, rich);
    if (!rich || !hasRichScreen(ref)) return showNavigation(ctx, capabilities, marked(ctx, briefing, screen));
    await showNavigation(ctx, capabilities, { rich: marked(ctx, briefing, screen, true), fallback: await plainScreen(ctx, briefing, ref) });
  }

  /** Today's HTML screen of a section: what answers when the server has no rich messages. */
  const plainScreen = async (ctx: BotContext, briefing: Briefing, ref: SectionRef) =>
    marked(ctx, briefing, await renderForChat(ctx, store, ctx.edition.library, briefing, ref));

  /**
   * The whole briefing in one rich message. Without rich messages on the server, the briefing's menu answers instead,
   * saying that it is read section by section here.
   */
  async function openFullBriefing(ctx: BotContext, briefing: Briefing): Promise<void> {
    const home: SectionRef = { briefingId: briefing.id, section: "home" };
    const screen: RichScreen = {
      rich: marked(ctx, briefing, renderFullBriefing(briefing, { locale: ctx.locale, t: ctx.t, script: ctx.script }), true),
      fallback: fullBriefingFallback(await plainScreen(ctx, briefing, home), ctx),
    };
    await showNavigation(ctx, capabilities, screen);
  }

  /** A button from a briefing or item that no longer exists: says so, then shows what exists now. */
  async function answerStale(ctx: BotContext): Promise<void> {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    await openSection(ctx, { briefingId: ctx.edition.library.latest.id, section: "home" });
  }

  return { briefingFor, openSection, openFullBriefing, answerStale };
}
type BriefingReader = ReturnType<typeof briefingReader>;

/** A command per section of the newest briefing; "/briefing full" is the whole briefing in one message. */
function sectionCommands(reader: BriefingReader): Record<string, CommandSpec> {
  return Object.fromEntries(
    Object.entries(SECTION_COMMANDS).map(([command, section]): [string, CommandSpec] => [
      command,
      {
        menu: "everywhere",
        handle: (ctx) =>
          command === "briefing" && ctx.match.toLowerCase() === "full"
            ? reader.openFullBriefing(ctx, ctx.edition.library.latest)
            : reader.openSection(ctx, { briefingId: ctx.edition.library.latest.id, section }),
      },
    ]),
  );
}

/** The navigation buttons: a section, a card in another language or script, the whole briefing, the list of visits. */
function navigationActions(reader: BriefingReader, { translators, capabilities }: Deps): ActionSpecs {
  return {
    section: {
      async handle(ctx, { ref }) {
        const briefing = reader.briefingFor(ctx, ref.briefingId);
        if (!briefing || !refExists(briefing, ref)) return reader.answerStale(ctx);
        await ctx.answerCallbackQuery();
        await reader.openSection(ctx, ref);
      },
    },
    // A card once in the other language or script: the reader's choice stays, and one tap brings their own back.
    view: {
      async handle(ctx, { ref, reading }) {
        const briefing = reader.briefingFor(ctx, ref.briefingId);
        if (!briefing || !refExists(briefing, ref)) return reader.answerStale(ctx);
        await ctx.answerCallbackQuery();
        const compact = ctx.chat !== undefined && ctx.chat.type !== "private";
        // Already in the viewed script, with its one button in the reader's: shown as it is.
        await showNavigation(ctx, capabilities, viewScreen(briefing, ref, reading, translators, ctx.t, ctx.script, compact), "cyrl");
      },
    },
    full: {
      async handle(ctx, { briefingId }) {
        const briefing = reader.briefingFor(ctx, briefingId);
        if (!briefing) return reader.answerStale(ctx);
        await ctx.answerCallbackQuery();
        await reader.openFullBriefing(ctx, briefing);
      },
    },
    visits: {
      async handle(ctx) {
        await ctx.answerCallbackQuery();
        const keyboard = InlineKeyboard.from(
          ctx.edition.library.briefings.map((briefing) => [
            InlineKeyboard.text(
              briefing.shortTitle[ctx.locale],
              encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: "home" } }),
            ),
          ]),
        );
        await showNavigation(ctx, capabilities, { text: escapeHtml(ctx.t("visits-title")), keyboard });
      },
    },
  };
}

/**
 * Reading a briefing: a command per section, navigation buttons, and the list of visits. Every press here is
 * navigation: in a group it opens the member's own ephemeral screen (showNavigation), the shared message untouched.
 */
export const briefingFeature: FeatureFactory = (deps) => {
  const reader = briefingReader(deps);
  return { commands: sectionCommands(reader), actions: navigationActions(reader, deps) };
};
