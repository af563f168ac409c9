import type { FeatureFactory } from "../bot/feature.js";
import { saveLanguage } from "../bot/language.js";
import { renderForChat, show } from "../bot/screens.js";
import { languagePickerScreen } from "../render/language-picker.js";
import { refExists } from "../render/refs.js";

/**
 * /language and the 🌐 button: pick Kazakh in Cyrillic, Kazakh in Latin or Russian; the choice is stored and the
 * screen redrawn in it. The picker is in every script already, so it is shown as it is.
 */
export const languageFeature: FeatureFactory = ({ store, translators }) => ({
  commands: {
    language: { menu: "everywhere", handle: (ctx) => show(ctx, languagePickerScreen(translators, "language-pick"), "cyrl") },
  },
  actions: {
    languageMenu: {
      async handle(ctx) {
        await ctx.answerCallbackQuery();
        await show(ctx, languagePickerScreen(translators, "language-pick"), "cyrl");
      },
    },
    language: {
      async handle(ctx, { language, script, then }) {
        await saveLanguage(store, ctx, language, script);
        await ctx.answerCallbackQuery({ text: ctx.t("language-saved", { language, script: ctx.script }) });
        const { library } = ctx.edition;
        const briefing = (then && library.get(then.briefingId)) ?? library.latest;
        const target = then && refExists(briefing, then) ? then : { briefingId: briefing.id, section: "home" as const };
        await show(ctx, await renderForChat(ctx, store, library, briefing, target));
      },
    },
  },
});
