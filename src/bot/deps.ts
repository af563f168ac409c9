import type { Logger } from "../logger.js";
import type { Locale, Translate } from "../shared/locale.js";
import type { Store } from "../store/types.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import type { SendBudget } from "../telegram/send-budget.js";
import type { ReloadResult } from "../content/live.js";
import type { MenuEntry } from "./command-menu.js";
import type { Edition } from "./edition.js";

/** What features need from the outside world, injected by createBot so tests can swap any part. */
export type Deps = {
  store: Store;
  /**
   * The current content and what is derived from it. An update reads it once (as `ctx.edition`); a dialogue step,
   * a digest run or a job reads it when it starts.
   */
  edition: () => Edition;
  /** Reads the content folder again now (operators' /reload); a refused change leaves the current content. */
  reloadContent: () => ReloadResult;
  /** Interface strings by locale, for text that is not tied to the current update's language. */
  translators: Record<Locale, Translate>;
  logger: Logger;
  adminIds: readonly number[];
  /** Zone for new subscriptions until the chat picks its own. */
  defaultTimezone: string;
  /**
   * The one send budget of everything the bot sends: replies take slots first, digests fill what is left, and a 429
   * anywhere closes it for all (in Redis mode, for every instance).
   */
  sendBudget: SendBudget;
  /** Which newer parts of the Bot API (rich messages) the server has, learnt from its refusals. */
  capabilities: ApiCapabilities;
  /** The commands of every installed feature, in menu order (for /help and Telegram's command menu). */
  commandMenu: () => readonly MenuEntry[];
  now: () => Date;
};
