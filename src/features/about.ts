import type { FeatureFactory } from "../bot/feature.js";
import { renderForChat, show } from "../bot/screens.js";

/** /about: where the briefing comes from and how it is written, last in the menu. */
export const aboutFeature: FeatureFactory = () => ({
  commands: {
    about: {
      menu: "everywhere",
      handle(ctx) {
        const { library } = ctx.edition;
        return show(ctx, renderForChat(ctx, library, library.latest, { briefingId: library.latest.id, section: "ab" }));
      },
    },
  },
});
