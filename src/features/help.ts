import { commandList } from "../bot/command-menu.js";
import type { FeatureFactory } from "../bot/feature.js";
import { replyText } from "../bot/screens.js";
import { mainMenuKeyboard } from "../render/sections.js";

/** /help: every command of the menu with what it does, and the way to the main menu. */
export const helpFeature: FeatureFactory = ({ commandMenu }) => ({
  commands: {
    help: {
      menu: "everywhere",
      handle: (ctx) =>
        replyText(
          ctx,
          `${ctx.t("help-header")}\n\n${commandList(commandMenu(), ctx.t)}\n\n${ctx.t("help-footer")}`,
          mainMenuKeyboard(ctx.edition.library.latest.id, ctx.t),
        ),
    },
  },
});
