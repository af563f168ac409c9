import type { Deps } from "../deps.js";
import { escapeHtml } from "../render/format.js";
import { payloadToRef, refExists, type SectionRef } from "../render/refs.js";
import { resumeOffer } from "./digest.js";
import { pickerScreen } from "./language.js";
import { renderForChat, show } from "./navigation.js";
import type { Router } from "./router.js";

export function startFeature(deps: Deps, router: Router): void {
  const { library } = deps;

  router.command("start", async (ctx) => {
    const payload = ctx.match.trim();
    const target = payload ? deepLinkTarget(payload) : undefined;

    if (!ctx.localeKnown) {
      await show(ctx, pickerScreen(deps, "greeting-bilingual", target));
      return;
    }

    const briefing = (target && library.get(target.briefingId)) || library.latest;
    const screen = renderForChat(ctx, library, briefing, target ?? { briefingId: briefing.id, section: "home" });
    const note = payload && !target ? ctx.t("deep-link-unknown") : target ? undefined : ctx.t("welcome", { name: ctx.from?.first_name ?? "" });
    await show(ctx, { ...screen, text: note ? `${escapeHtml(note)}\n\n${screen.text}` : screen.text });
    const offer = await resumeOffer(deps, ctx);
    if (offer) await ctx.reply(offer.text, { parse_mode: "HTML", reply_markup: offer.keyboard });
  });

  function deepLinkTarget(payload: string): SectionRef | undefined {
    const ref = payloadToRef(payload);
    const briefing = ref && library.get(ref.briefingId);
    return briefing && ref && refExists(briefing, ref) ? ref : undefined;
  }

}
