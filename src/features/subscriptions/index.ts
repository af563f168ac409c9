import { combineFeatures, type FeatureFactory } from "../../bot/feature.js";
import { channelsPart } from "./channels.js";
import { chatEventsPart } from "./chat-events.js";
import { commandsPart } from "./commands.js";
import { dialogsPart, subscriptionDialogs } from "./dialogs.js";
import { subscriptionScreens } from "./screens.js";
import { settingsPart } from "./settings.js";
import { statsPart } from "./stats.js";

/**
 * Digest subscriptions: the commands, the /settings buttons, the /subscribe dialogue, channels set up from a private
 * chat, what Telegram tells us about chats we lost or that moved, and /stats for operators. Each part is a Feature of its own; this joins them.
 */
export const subscriptionsFeature: FeatureFactory = (deps) => {
  const screens = subscriptionScreens(deps.store);
  const dialogs = subscriptionDialogs(deps, screens);
  return combineFeatures(
    commandsPart(deps, dialogs, screens),
    settingsPart(deps, dialogs, screens),
    dialogsPart(dialogs),
    channelsPart(deps, screens),
    chatEventsPart(deps),
    statsPart(deps),
  );
};
