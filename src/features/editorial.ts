import { InlineKeyboard } from "grammy";
import type { BotContext } from "../bot/context.js";
import type { FeatureFactory } from "../bot/feature.js";
import { replyText } from "../bot/screens.js";
import { formatProblem } from "../content/loader.js";
import { encodeCallback } from "../render/callback-data.js";
import { MAX_MESSAGE_CHARS } from "../render/format.js";

/** Problems listed in one message: the first few are enough to fix, and the message stays within Telegram's limit. */
const MAX_LISTED_PROBLEMS = 20;

/** The text that tells operators a content change was refused, with what to fix. */
export function refusalText(t: BotContext["t"], problems: readonly string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `• ${problem}`);
  if (problems.length > listed.length) listed.push(`… +${problems.length - listed.length}`);
  return `${t("reload-refused")}\n${listed.join("\n")}`.slice(0, MAX_MESSAGE_CHARS - 100);
}

/** For operators in ADMIN_IDS (to anyone else these are unknown commands): reload the content, read drafts. */
export const editorialFeature: FeatureFactory = ({ adminIds, reloadContent }) => {
  const isOperator = (ctx: BotContext) => ctx.from !== undefined && adminIds.includes(ctx.from.id);
  return {
    commands: {
      reload: {
        menu: "hidden",
        async handle(ctx, next) {
          if (!isOperator(ctx)) return next();
          const result = reloadContent();
          if (result.status === "refused") return replyText(ctx, refusalText(ctx.t, result.problems.map(formatProblem)));
          if (result.status === "unchanged") return replyText(ctx, ctx.t("reload-unchanged"));
          const { briefings, drafts } = result.content.library;
          return replyText(ctx, ctx.t("reload-done", { published: briefings.length, drafts: drafts.length }));
        },
      },
      preview: {
        menu: "hidden",
        async handle(ctx, next) {
          if (!isOperator(ctx)) return next();
          const { drafts } = ctx.edition.library;
          if (drafts.length === 0) return replyText(ctx, ctx.t("preview-none"));
          const keyboard = InlineKeyboard.from(
            drafts.map((draft) => [
              InlineKeyboard.text(
                `📝 ${draft.shortTitle[ctx.locale]}`,
                encodeCallback({ kind: "section", ref: { briefingId: draft.id, section: "home" } }),
              ),
            ]),
          );
          return replyText(ctx, ctx.t("preview-title"), keyboard);
        },
      },
    },
  };
};
