import type { FeatureFactory } from "../bot/feature.js";
import { renderForChat, show } from "../bot/screens.js";

/** /about: where the briefing comes from and how it is written, last in the menu. */
export const aboutFeature: FeatureFactory = ({ library }) => ({
  commands: {
    about: {
      menu: "everywhere",
      handle: (ctx) => show(ctx, renderForChat(ctx, library, library.latest, { briefingId: library.latest.id, section: "ab" })),
    },
  },
});
