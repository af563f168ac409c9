import { commandList } from "../commands.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/format.js";
import type { Router } from "./router.js";

export function helpText(ctx: BotContext): string {
  return escapeHtml(`${ctx.t("help-header")}\n\n${commandList(ctx.t)}\n\n${ctx.t("help-footer")}`);
}

export function helpFeature(router: Router): void {
  router.command("help", (ctx) => ctx.reply(helpText(ctx), { parse_mode: "HTML" }));
}
