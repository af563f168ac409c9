import { InlineKeyboard } from "grammy";
import { LOCALES, type Locale } from "../content/types.js";
import type { BotContext } from "../context.js";
import type { Deps } from "../deps.js";
import { encodeCallback } from "../render/callback-data.js";
import { escapeHtml } from "../render/format.js";
import { refExists, type SectionRef } from "../render/refs.js";
import { canManageChat } from "./admins.js";
import { renderForChat, show } from "./navigation.js";
import type { Router } from "./router.js";

/** Both languages at once, for people whose language we do not know yet. */
export function bilingual(deps: Deps, key: string): string {
  return LOCALES.map((locale) => deps.translators[locale](key)).join("\n\n");
}

export function languagePicker(deps: Deps, then?: SectionRef): InlineKeyboard {
  return InlineKeyboard.from([
    LOCALES.map((language) =>
      InlineKeyboard.text(
        deps.translators[language]("language-name"),
        encodeCallback({ kind: "language", language, ...(then ? { then } : {}) }),
      ),
    ),
  ]);
}

export function pickerScreen(deps: Deps, key: "greeting-bilingual" | "language-pick", then?: SectionRef) {
  return { text: escapeHtml(bilingual(deps, key)), keyboard: languagePicker(deps, then) };
}

export function languageFeature(deps: Deps, router: Router): void {

  router.command("language", (ctx) => show(ctx, pickerScreen(deps, "language-pick")));

  router.action("languageMenu", async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, pickerScreen(deps, "language-pick"));
  });

  const saveLanguage = languageSaver(deps);
  router.action("language", async (ctx, { language, then }) => {
    await saveLanguage(ctx, language);
    await ctx.answerCallbackQuery({ text: ctx.t("language-saved") });
    const briefing = (then && deps.library.get(then.briefingId)) || deps.library.latest;
    const target = then && refExists(briefing, then) ? then : { briefingId: briefing.id, section: "home" as const };
    await show(ctx, renderForChat(ctx, deps.library, briefing, target));
  });
}

export function languageSaver(deps: Deps) {
  return async function saveLanguage(ctx: BotContext, language: Locale): Promise<void> {
    const userId = ctx.from!.id;
    await deps.store.setUserLanguage(userId, language);
    const chat = ctx.chat;
    // A group's own language (used when a member has not chosen one) is set by its administrators.
    if (chat && chat.type !== "private" && chat.type !== "channel") {
      const current = await deps.store.getChat(chat.id);
      if (!current?.language || (await canManageChat(ctx))) await deps.store.setChatLanguage(chat.id, language);
    }
    ctx.locale = language;
    ctx.localeKnown = true;
  };
}
