import type { ContentLibrary } from "../content/library.js";
import { canResume } from "../digest/subscriptions.js";
import { forumTopicOf } from "../telegram/forum-topic.js";
import type { FeatureFactory } from "../bot/feature.js";
import { renderForChat, replyScreen, show } from "../bot/screens.js";
import { withNote } from "../render/format.js";
import { languagePickerScreen } from "../render/language-picker.js";
import { payloadToRef, refExists, type SectionRef } from "../render/refs.js";
import { resumeOfferScreen } from "../render/subscription.js";

/** /start: the main menu, or the card a shared link points to; the language picker first for people we cannot place. */
export const startFeature: FeatureFactory = ({ store, translators }) => {
  function deepLinkTarget(library: ContentLibrary, payload: string): SectionRef | undefined {
    const ref = payloadToRef(payload);
    const briefing = ref && library.get(ref.briefingId);
    return briefing && ref && refExists(briefing, ref) ? ref : undefined;
  }

  return {
    commands: {
      start: {
        menu: "private",
        async handle(ctx) {
          const { library } = ctx.edition;
          const payload = ctx.match.trim();
          const target = payload ? deepLinkTarget(library, payload) : undefined;
          if (!ctx.localeKnown) {
            await show(ctx, languagePickerScreen(translators, "greeting-bilingual", target), "cyrl");
            return;
          }
          const briefing = (target && library.get(target.briefingId)) ?? library.latest;
          const screen = await renderForChat(ctx, store, library, briefing, target ?? { briefingId: briefing.id, section: "home" });
          const note =
            payload && !target ? ctx.t("deep-link-unknown") : target ? undefined : ctx.t("welcome", { name: ctx.from?.first_name ?? "" });
          await show(ctx, withNote(note, screen));
          const subscription = await store.getSubscription(ctx.chat.id, forumTopicOf(ctx));
          if (canResume(subscription)) await replyScreen(ctx, resumeOfferScreen(ctx.t, subscription?.stopReason));
        },
      },
    },
  };
};
