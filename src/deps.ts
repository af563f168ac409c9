import type { ContentLibrary } from "./content/library.js";
import type { Locale } from "./content/types.js";
import type { Logger } from "./logger.js";
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
};
