import { FeatureComposer } from "../bot/composer.js";
import { commandList } from "../bot/command-menu.js";
import type { BotContext } from "../bot/context.js";
import type { FeatureFactory } from "../bot/feature.js";
import { renderForChat, replyText, show } from "../bot/screens.js";
import { mainMenuKeyboard } from "../render/sections.js";

/** Installed last: whatever no feature handled still gets a clear answer, and every button press an answer. */
export const fallbackFeature: FeatureFactory = ({ commandMenu, store }) => {
  const composer = new FeatureComposer<BotContext>();
  // An answer that is no screen of the briefing still leads back to it.
  const menu = (ctx: BotContext) => mainMenuKeyboard(ctx.edition.library.latest.id, ctx.t);

  // A command nobody handled. In groups only commands addressed to this bot are ours to answer.
  composer.on("message:entities:bot_command", async (ctx, next) => {
    const entity = ctx.message.entities.find((e) => e.type === "bot_command" && e.offset === 0);
    if (!entity) return next();
    const [name = "", mention] = ctx.message.text.slice(0, entity.length).split("@");
    if (ctx.chat.type !== "private" && mention?.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await replyText(ctx, `${ctx.t("unknown-command", { command: name })}\n\n${commandList(commandMenu(), ctx.t)}`, menu(ctx));
  });

  // Stickers, photos and the like in a private chat: point to the menu.
  composer
    .chatType("private")
    .on("message", (ctx) => replyText(ctx, `${ctx.t("help-header")}\n\n${commandList(commandMenu(), ctx.t)}`, menu(ctx)));

  // Any button we do not recognise: old formats, forged data, buttons of removed features.
  composer.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    if (ctx.callbackQuery.message) {
      const { library } = ctx.edition;
      await show(ctx, await renderForChat(ctx, store, library, library.latest, { briefingId: library.latest.id, section: "home" }));
    }
  });

  return { composer };
};
