import type { ContentLibrary } from "../content/library.js";
import { createDigestRenderer, type DigestRenderer } from "../render/digest.js";
import { createCardSearch, type CardSearch } from "../search/card-search.js";
import type { Locale, Translate } from "../shared/locale.js";

/**
 * One version of the content with everything derived from it: the library, its search index and its digest
 * renderer (with their caches). An update reads one edition from start to end, so it never mixes two versions of
 * the content, and a cache never outlives the library it was filled from.
 */
export type Edition = {
  library: ContentLibrary;
  search: CardSearch;
  digests: DigestRenderer;
};

/** The edition of each library, built once (the first time a library is asked for, or ahead of time on reload). */
export function editionsOf(translators: Record<Locale, Translate>): (library: ContentLibrary) => Edition {
  const built = new WeakMap<ContentLibrary, Edition>();
  return (library) => {
    let edition = built.get(library);
    if (!edition) {
      edition = { library, search: createCardSearch(library, translators), digests: createDigestRenderer(library, translators) };
      built.set(library, edition);
    }
    return edition;
  };
}
