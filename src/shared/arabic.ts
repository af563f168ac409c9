/**
 * Kazakh Cyrillic → the Kazakh Arabic-based script (төте жазу) as Kazakhs in China (Xinjiang) read it, for content
 * and interface strings alike: the bot writes Kazakh in Cyrillic, and this one step produces what a reader of the
 * Arabic script sees.
 *
 * Source: "Kazakh alphabets", English Wikipedia, section "Arabic script", its table of the letters with their Cyrillic
 * and Latin counterparts (https://en.wikipedia.org/wiki/Kazakh_alphabets#Arabic_script): ا ب ۆ گ ع د ە ج ز ي ك ق ل م
 * ن ڭ و پ ر س ت ۋ ۇ ف ح ھ چ ش ى, and the high hamza ٴ (U+0674, дәйекше) of Baitursynov's reform. The hamza rule is
 * the one K. Rakhim gives on the Unicode list ("Re: compatibility characters in Arabic block", 10 July 2001,
 * https://www.unicode.org/mail-arch/unicode-ml/y2001-m07/0252.html): the hamza goes before the whole word and says
 * that all its vowels are front; it is left out when the word has ك, گ or ە, which go with front vowels only.
 *
 * So the front vowels have no letter of their own: ә is written ا like а, ө و like о, ү ۇ like ұ, і ى like ы, and the
 * word's one hamza tells them apart (the table's precomposed ٵ ٶ ٷ ٸ are that hamza and the back letter in one).
 * Choices:
 * - A word is front when it has ә, ө, ү or і; it is back, and never gets a hamza, when it has қ or ғ (ق, ع). Words
 *   whose only front vowel is е or э need none: ە says so.
 * - Letters of Russian loan words, by the sounds they stand for, as the Latin table does: в ۆ, ф ف, х ح, һ ھ, ч چ,
 *   ц تس (т+с), щ شش (a long ш), ё يو, ю يۋ, я يا (й, written ي, and the vowel), э ە, and ъ ь are dropped (no sound).
 *   Both и and й are ي.
 * - ғ is ع, as the table has it; غ, which some keyboards type for it, is read as ғ too (in search and the hamza rule).
 * - Punctuation after an Arabic letter takes its Arabic form: ، ؛ ؟ (a comma between digits stays a decimal comma).
 * - Capitals: the script has no case, a capital is its letter.
 */
export const ARABIC_KAZAKH: Readonly<Record<string, string>> = {
  а: "ا",
  ә: "ا",
  б: "ب",
  в: "ۆ",
  г: "گ",
  ғ: "ع",
  д: "د",
  е: "ە",
  ё: "يو",
  ж: "ج",
  з: "ز",
  и: "ي",
  й: "ي",
  к: "ك",
  қ: "ق",
  л: "ل",
  м: "م",
  н: "ن",
  ң: "ڭ",
  о: "و",
  ө: "و",
  п: "پ",
  р: "ر",
  с: "س",
  т: "ت",
  у: "ۋ",
  ұ: "ۇ",
  ү: "ۇ",
  ф: "ف",
  х: "ح",
  һ: "ھ",
  ц: "تس",
  ч: "چ",
  ш: "ش",
  щ: "شش",
  ъ: "",
  ы: "ى",
  і: "ى",
  ь: "",
  э: "ە",
  ю: "يۋ",
  я: "يا",
};

/** The high hamza: before a word, all its vowels are front. */
export const HIGH_HAMZA = "\u0674";
/** Letters of the Arabic block and its presentation forms. */
export const ARABIC_LETTER = /[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

const FRONT_VOWEL = /[әөүі]/;
/** Letters that already say a word is front (ك گ ە) or back (ق ع غ): such a word gets no hamza. */
const SAYS_FRONT_OR_BACK = /[كگەقعغ]/;
const CYRILLIC_WORD = /[\u0400-\u04FF]+/g;
const ARABIC_PUNCTUATION: Readonly<Record<string, string>> = { ",": "،", ";": "؛", "?": "؟" };

/** One Cyrillic word in the Arabic script, with the hamza when its letters alone do not tell it is front. */
function arabicWord(word: string): string {
  const small = word.toLowerCase();
  let arabic = "";
  // Every Cyrillic capital has one small letter: the small word has the word's letters, one for one (a letter missing
  // from the table stays as it was written, for content:check to name).
  for (let at = 0; at < small.length; at++) arabic += ARABIC_KAZAKH[small[at]!] ?? word[at]!;
  const hamza = FRONT_VOWEL.test(small) && !SAYS_FRONT_OR_BACK.test(arabic);
  return hamza ? HIGH_HAMZA + arabic : arabic;
}

/** Plain text in the Arabic script: Cyrillic words transliterated, everything else (Latin, digits) as it is. */
export function toArabic(text: string): string {
  if (!/[\u0400-\u04FF]/.test(text)) return text;
  return text.replace(CYRILLIC_WORD, arabicWord).replace(/(?<=[\u0600-\u06FF])[,;?](?!\d)/g, (mark) => ARABIC_PUNCTUATION[mark] ?? mark);
}

/**
 * The Arabic script read back as Cyrillic, for search: each letter as the table's first Cyrillic letter for it (front
 * and back vowels fold alike in search), the precomposed hamza letters as their front vowels, the hamza dropped, the
 * letters other Arabic keyboards type for the same sound (Persian ک ی, Arabic ه غ) as the Kazakh ones, and Arabic and
 * Persian digits as digits.
 */
const CYRILLIC_OF_ARABIC: ReadonlyMap<string, string> = new Map([
  ...Object.entries(ARABIC_KAZAKH)
    .filter(([, arabic]) => arabic.length === 1)
    .map(([cyrillic, arabic]) => [arabic, cyrillic] as const)
    // The first Cyrillic letter of the table for each Arabic one wins: later entries of a Map replace earlier ones.
    .reverse(),
  ["ٵ", "ә"],
  ["ٶ", "ө"],
  ["ٷ", "ү"],
  ["ٸ", "і"],
  [HIGH_HAMZA, ""],
  ["ک", "к"],
  ["ی", "и"],
  ["ه", "е"],
  ["غ", "ғ"],
  ["،", ","],
  ["؛", ";"],
  ["؟", "?"],
  ...[..."٠١٢٣٤٥٦٧٨٩"].map((digit, value) => [digit, String(value)] as const),
  ...[..."۰۱۲۳۴۵۶۷۸۹"].map((digit, value) => [digit, String(value)] as const),
]);

/** Kazakh typed in the Arabic script, in Cyrillic letters (everything else as it is). */
export function fromArabic(text: string): string {
  if (!ARABIC_LETTER.test(text)) return text;
  let cyrillic = "";
  for (const char of text) cyrillic += CYRILLIC_OF_ARABIC.get(char) ?? char;
  return cyrillic;
}
