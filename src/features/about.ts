import type { FeatureFactory } from "../bot/feature.js";
import { renderForChat, show } from "../bot/screens.js";

/** /about: where the briefing comes from and how it is written, last in the menu. */
export const aboutFeature: FeatureFactory = ({ store }) => ({
  commands: {
    about: {
      menu: "everywhere",
      async handle(ctx) {
        const { library } = ctx.edition;
        await show(ctx, await renderForChat(ctx, store, library, library.latest, { briefingId: library.latest.id, section: "ab" }));
      },
    },
  },
});
