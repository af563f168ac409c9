import type { ContentLibrary } from "./content/library.js";
import type { Locale } from "./content/types.js";
import type { RateLimiter } from "./digest/rate-limiter.js";
import type { Logger } from "./logger.js";
import type { DigestRenderer } from "./render/digest.js";
import type { Translate } from "./render/format.js";
import type { CardSearch } from "./search/cards.js";
import type { Store } from "./store/types.js";

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
  /** Outgoing-message limits shared by everything that sends on its own (the digest sender). */
  limiter: RateLimiter;
  now: () => Date;
};
