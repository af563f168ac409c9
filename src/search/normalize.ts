import { fromArabic } from "../shared/arabic.js";

/**
 * Search folds every way people type a word to one ASCII form, so that they all find the same cards:
 * - Kazakh and Russian in Cyrillic, any case, ё as е, Kazakh letters written with their Russian look-alikes (қ/к, і/и…);
 * - Kazakh in the 2021 Latin alphabet (Qazaqstan, şartnama), in the older apostrophe variants (s'art, n', g') and the
 *   2018 acute ones, and in plain ASCII as people type it (sh, ch, zh, gh, ng, kh, q, u', with or without diacritics);
 * - Russian typed in Latin (investicii, soglashenie, Kazakhstan);
 * - Kazakh in the Arabic script (كەلىسىم), read back as Cyrillic by the reverse of its letter table.
 * Cyrillic letters go straight to the form; Latin text loses its diacritics and apostrophes, then its digraphs are
 * read as one letter. Distinctions that typing does not keep (ш/с, ы/і/и, қ/к) are given up: search matches more,
 * ranking decides. Both the cards and the queries are folded the same way.
 */
const CYRILLIC_FOLD: Record<string, string> = {
  а: "a",
  ә: "a",
  б: "b",
  в: "v",
  г: "g",
  ғ: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "j",
  з: "z",
  и: "i",
  й: "i",
  к: "k",
  қ: "k",
  л: "l",
  м: "m",
  н: "n",
  ң: "n",
  о: "o",
  ө: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ұ: "u",
  ү: "u",
  ф: "f",
  х: "h",
  һ: "h",
  ц: "c",
  ч: "c",
  ш: "s",
  щ: "s",
  ъ: "",
  ы: "i",
  і: "i",
  ь: "",
  э: "e",
  ю: "iu",
  я: "ia",
};

/**
 * The letters of every script a word may be typed in, each table to the form's letters. Cyrillic is the one script
 * with a table of its own (Latin is already the form's script); a further script written letter for letter adds its
 * table to this list and nothing else: fold() reads every letter through this one map. The Kazakh Arabic script is
 * not letter for letter (its hamza marks a whole word as front), so fold() first reads it back as Cyrillic by the
 * reverse of its own table (shared/arabic.ts).
 */
const SCRIPT_FOLDS: readonly Readonly<Record<string, string>>[] = [CYRILLIC_FOLD];
const LETTER_FOLD = new Map(SCRIPT_FOLDS.flatMap((table) => Object.entries(table)));

/** Latin letters that fold to another letter: dotless ı (і in 2021), q for қ, w and ý for у, x for х. */
const LATIN_FOLD: Record<string, string> = { ı: "i", q: "k", w: "u", ý: "u", x: "h", y: "i" };

/**
 * Latin spellings of one sound, read in this order (longer first): щ, ш, ч, ж, х, ғ, ц, ң, and у written "y'" in 2017.
 * Cyrillic pairs that fold to the same letters (с+х) are read the same way, on cards and queries alike.
 */
const DIGRAPHS: [RegExp, string][] = [
  [/y['’ʼ`]/g, "u"],
  [/shch|sch/g, "s"],
  [/sh/g, "s"],
  [/ch/g, "c"],
  [/zh/g, "j"],
  [/kh/g, "h"],
  [/gh/g, "g"],
  [/ts/g, "c"],
  [/ng/g, "n"],
];

const APOSTROPHES = /['’ʼ`´]/g;
const MARKS = /\p{M}/gu;
/** Anything beyond ASCII after the other scripts' letters are folded: a Latin letter with a diacritic, perhaps. */
const LATIN_WITH_MARKS = /[^ -~\t\n\r]/;

export function fold(text: string): string {
  let folded = "";
  // Kazakh typed in the Arabic script is read as Cyrillic first (shared/arabic.ts), then folds like it.
  for (const char of fromArabic(text).toLowerCase()) folded += LETTER_FOLD.get(char) ?? char;
  // Diacritics off (ä ğ ñ ö ş ū ü, á ǵ ń ó ú, İ): what is left of a Latin letter is its base letter.
  if (LATIN_WITH_MARKS.test(folded)) folded = folded.replace(/ý/g, "w").normalize("NFD").replace(MARKS, "");
  for (const [pattern, letter] of DIGRAPHS) folded = folded.replace(pattern, letter);
  folded = folded.replace(APOSTROPHES, "");
  let result = "";
  for (const char of folded) result += LATIN_FOLD[char] ?? char;
  return result;
}

/** Keys of the Russian ЙЦУКЕН layout and the English QWERTY one, in keyboard order. */
const RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё";
const ENGLISH_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const LAYOUT = new Map<string, string>();
for (let at = 0; at < RUSSIAN_KEYS.length; at++) {
  LAYOUT.set(RUSSIAN_KEYS[at]!, ENGLISH_KEYS[at]!);
  LAYOUT.set(ENGLISH_KEYS[at]!, RUSSIAN_KEYS[at]!);
}

/**
 * Text typed with the wrong keyboard layout, as it was meant: each key read in the other layout ("bydtcnbwbb" →
 * "инвестиции", "Дг Ифт" → "lu ban"). Works on the raw text, before folding, because ж э б ю х ъ sit on punctuation
 * keys of the English layout.
 */
export function swapLayout(text: string): string {
  let swapped = "";
  for (const char of text.toLowerCase()) swapped += LAYOUT.get(char) ?? char;
  return swapped;
}

/** Groups of three digits written apart: "6 000", "6,000", "6.000" (and with a narrow or no-break space) are 6000. */
const DIGIT_GROUPS = /(\d)[ ,.\u00a0\u2009\u202f](?=\d{3}(?!\d))/g;

/**
 * Words that multiply the number before them, folded: мың and тысяча (with their endings, and тыс.), млн and
 * миллион, млрд and миллиард, and the English ones. "6 мыңнан", "6 тысяч" and "6000" are one figure.
 */
const MAGNITUDES: [RegExp, string][] = [
  [/^(min|minnan|minga|minnin|minda|mini|tis|tisiac\p{L}*|thousand)$/u, "000"],
  [/^(mln|million\p{L}*)$/u, "000000"],
  [/^(mlrd|milliard\p{L}*|billion|bn)$/u, "000000000"],
];

const ALL_DIGITS = /^\d+$/;
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The words of a text, folded, for matching: letters and digits, everything else a break. A number followed by a word
 * that multiplies it is also given as its full value ("$27 млрд" → "27", "mlrd", "27000000000"), and digits grouped
 * by thousands are read as one number, so that a figure is found however it is written.
 */
export function tokenize(text: string): string[] {
  const words = fold(text)
    .replace(DIGIT_GROUPS, "$1")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
  const tokens: string[] = [];
  for (let at = 0; at < words.length; at++) {
    const word = words[at]!;
    tokens.push(word);
    const next = words[at + 1];
    // Only a word that starts with a digit can be a number: most words skip the patterns.
    if (next === undefined || !isDigit(word.charCodeAt(0)) || !ALL_DIGITS.test(word)) continue;
    const zeros = MAGNITUDES.find(([pattern]) => pattern.test(next))?.[1];
    if (zeros) tokens.push(`${word}${zeros}`);
  }
  return tokens;
}

/**
 * Endings, written in Cyrillic and folded once below: Kazakh plural, case and possessive suffixes and Russian
 * inflections, in the order they are tried. Stripping them leaves a stem that prefixes every form: "инвестиция",
 * "инвестиции", "инвестициялар" → "investic".
 */
const CYRILLIC_ENDINGS = [
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

/** Folded, without the ones that fold to nothing (ь) or repeat an earlier one (и and ы both fold to "i"). */
const ENDINGS = [...new Set(CYRILLIC_ENDINGS.map(fold).filter((ending) => ending.length > 0))];

const MIN_STEM = 4;

/** Endings stacked on one word at most: "келісім-дер-мен" carries two Kazakh suffixes on a word that ends like a Russian one. */
const MAX_ENDINGS = 3;

/** Kazakh voices a word's last consonant before an ending that starts with a vowel: орталық → орталығы, кітап → кітабы. */
const VOICED_FINAL: Record<string, string> = { g: "k", b: "p" };

/**
 * Strips endings until none is left (at most three): every form of a word then has one stem, so that each form finds
 * and ranks the same cards ("келісім", "келісімдер", "келісімдермен" → "kelis"). Where an ending went, a voiced last
 * consonant is read unvoiced again ("орталығы" → "ortalik", as "орталық"); a word typed without an ending keeps its
 * letters, so that a half-typed word still begins the words it begins.
 */
export function stem(token: string): string {
  let stemmed = token;
  for (let step = 0; step < MAX_ENDINGS; step++) {
    const shorter = stripEnding(stemmed);
    if (shorter === stemmed) break;
    stemmed = shorter;
  }
  if (stemmed === token) return token;
  const last = VOICED_FINAL[stemmed.at(-1)!];
  return last ? stemmed.slice(0, -1) + last : stemmed;
}

function stripEnding(token: string): string {
  for (const ending of ENDINGS) {
    if (token.endsWith(ending) && token.length - ending.length >= MIN_STEM) {
      return token.slice(0, token.length - ending.length);
    }
  }
  return token;
}
