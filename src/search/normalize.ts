/**
 * Search folds text so that what people really type still matches:
 * any case, ё as е, and Kazakh letters written with their Russian look-alikes (қ→к, і→и, …).
 * Both the cards and the queries are folded the same way, so the reverse direction matches too.
 */
const FOLD: Record<string, string> = {
  ё: "е",
  ә: "а",
  ғ: "г",
  қ: "к",
  ң: "н",
  ө: "о",
  ұ: "у",
  ү: "у",
  һ: "х",
  і: "и",
  // Latin "i" is often typed for "і" on keyboards without a Kazakh layout.
  i: "и",
};

export function fold(text: string): string {
  let folded = "";
  for (const char of text.toLowerCase().normalize("NFC")) folded += FOLD[char] ?? char;
  return folded;
}

export function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}$]+/u)
    .filter((token) => token.length > 0);
}

/**
 * Endings after folding, longest first: Kazakh plural, case and possessive suffixes and Russian
 * inflections. Stripping them leaves a stem that prefixes every form: "инвестиция", "инвестиции",
 * "инвестициялар" → "инвестици".
 */
const ENDINGS = [
  // Kazakh (folded: і→и, ң→н, ғ→г, қ→к …)
  "лардын",
  "лердин",
  "дардын",
  "дердин",
  "тардын",
  "тердин",
  "ларды",
  "лерди",
  "дарды",
  "дерди",
  "тарды",
  "терди",
  "ларга",
  "лерге",
  "дарга",
  "дерге",
  "тарга",
  "терге",
  "ларда",
  "лерде",
  "дарда",
  "дерде",
  "тарда",
  "терде",
  "лары",
  "лери",
  "дары",
  "дери",
  "тары",
  "тери",
  "лар",
  "лер",
  "дар",
  "дер",
  "тар",
  "тер",
  "нын",
  "нин",
  "дын",
  "дин",
  "тын",
  "тин",
  "ндагы",
  "ндеги",
  "дагы",
  "деги",
  "тагы",
  "теги",
  "нан",
  "нен",
  "дан",
  "ден",
  "тан",
  "тен",
  "нда",
  "нде",
  "ына",
  "ине",
  "сы",
  "си",
  "ны",
  "ни",
  "ды",
  "ди",
  "ты",
  "ти",
  "га",
  "ге",
  "ка",
  "ке",
  "да",
  "де",
  "та",
  "те",
  "мен",
  "бен",
  "пен",
  // Russian
  "иями",
  "ями",
  "ами",
  "ого",
  "его",
  "ему",
  "ому",
  "ыми",
  "ими",
  "иях",
  "ией",
  "ия",
  "ии",
  "ий",
  "ие",
  "ью",
  "ья",
  "ье",
  "ов",
  "ев",
  "ей",
  "ой",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ую",
  "юю",
  "ам",
  "ям",
  "ах",
  "ях",
  "ом",
  "ем",
  "ым",
  "им",
  "а",
  "я",
  "ы",
  "и",
  "е",
  "о",
  "у",
  "ю",
  "ь",
  "й",
];

const MIN_STEM = 4;

/** Strips up to two endings: a Kazakh suffix can sit on a word that ends like a Russian one ("инвестиция-лар"). */
export function stem(token: string): string {
  return stripEnding(stripEnding(token));
}

function stripEnding(token: string): string {
  for (const ending of ENDINGS) {
    if (token.endsWith(ending) && token.length - ending.length >= MIN_STEM) {
      return token.slice(0, token.length - ending.length);
    }
  }
  return token;
}
