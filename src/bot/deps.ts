import type { ContentLibrary } from "../content/library.js";
import type { RateLimiter } from "../digest/rate-limiter.js";
import type { Logger } from "../logger.js";
import type { DigestRenderer } from "../render/digest.js";
import type { CardSearch } from "../search/card-search.js";
import type { Locale, Translate } from "../shared/locale.js";
import type { Store } from "../store/types.js";
import type { MenuEntry } from "./command-menu.js";

/** What features need from the outside world, injected by createBot so tests can swap any part. */
export type Deps = {
  store: Store;
  library: ContentLibrary;
  search: CardSearch;
  /** Interface strings by locale, for text that is not tied to the current update's language. */
  translators: Record<Locale, Translate>;
  logger: Logger;
  adminIds: readonly number[];
  /** Zone for new subscriptions until the chat picks its own. */
  defaultTimezone: string;
  /** Renders each distinct digest once (shared by /digest and the sender). */
  digests: DigestRenderer;
  /** Outgoing-message limits shared by everything that sends (a 429 anywhere closes it for all). */
  limiter: RateLimiter;
  /** The commands of every installed feature, in menu order (for /help and Telegram's command menu). */
  commandMenu: () => readonly MenuEntry[];
  now: () => Date;
};
