/**
 * Kazakh Cyrillic → the Kazakh Latin alphabet of 2021, for content and interface strings alike: the bot writes
 * Kazakh in Cyrillic, and this one step produces what a reader of the Latin script sees.
 *
 * Source: "Kazakh alphabets", English Wikipedia, section "Latin script", the column of the alphabet the Government
 * presented on 28 January 2021 (https://en.wikipedia.org/wiki/Kazakh_alphabets#Latin_script), whose 31 letters are
 * A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z; the same page transliterates its sample text with
 * them ("Būryñğy ötken zamanda, bır danyşpan kısı…"), which fixes the reading of the letters that moved between
 * drafts: и and й → İ i, і → I ı, ы → Y y, у → U u, ұ → Ū ū, ү → Ü ü, ж → J j.
 *
 * Choices where published tables differ:
 * - ң → ñ. The 2017 draft wrote n', the 2018 one ń and the 2019 proposal ŋ; the 2021 table has Ñ ñ, and ñ is also one
 *   precomposed character that common keyboards (Spanish layouts) type, which ŋ is not.
 * - ш → ş and ч → ch: 2018 wrote both as digraphs (sh, ch); 2021 gives ш its own letter Ş ş and keeps ch for ч.
 * - Letters that occur only in Russian loan words have no letter of their own in 2021. The table writes ч as ch; for
 *   the others this module follows the table's own letters for the sounds they stand for: ц → ts, щ → şş (a long ш,
 *   as the letter is pronounced), ё → io, ю → iu, я → ia (й, written i, followed by the vowel), э → e, and the signs
 *   ъ and ь are dropped (they stand for no sound).
 * - һ → h, like х: the 2021 table gives both one letter H h.
 *
 * Capitals: И and Й become İ (dotted), І becomes I (dotless), as Turkic Latin alphabets pair them; a letter written
 * with two Latin letters is title case in a word (Ш → Ş, Ц → Ts) and all capitals in an all-capitals word (ШЫҰ → ŞYŪ).
 */
export const LATIN_2021: Readonly<Record<string, string>> = {
  а: "a",
  ә: "ä",
  б: "b",
  в: "v",
  г: "g",
  ғ: "ğ",
  д: "d",
  е: "e",
  ё: "io",
  ж: "j",
  з: "z",
  и: "i",
  й: "i",
  к: "k",
  қ: "q",
  л: "l",
  м: "m",
  н: "n",
  ң: "ñ",
  о: "o",
  ө: "ö",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ұ: "ū",
  ү: "ü",
  ф: "f",
  х: "h",
  һ: "h",
  ц: "ts",
  ч: "ch",
  ш: "ş",
  щ: "şş",
  ъ: "",
  ы: "y",
  і: "ı",
  ь: "",
  э: "e",
  ю: "iu",
  я: "ia",
};

/** Any Cyrillic letter (the basic block holds every Kazakh and Russian letter). */
export const CYRILLIC = /[\u0400-\u04FF]/;

const upperLatin = (latin: string) => (latin === "i" ? "İ" : latin === "ı" ? "I" : latin.toUpperCase());

/** Cyrillic capital → Latin, in a word (title case) and in an all-capitals word. */
const CAPITALS = new Map<string, { title: string; upper: string }>(
  Object.entries(LATIN_2021).map(([letter, latin]) => [
    letter.toUpperCase(),
    { title: latin === "" ? "" : upperLatin(latin[0]!) + latin.slice(1), upper: [...latin].map(upperLatin).join("") },
  ]),
);

const isUpperLetter = (char: string | undefined) => char !== undefined && char !== char.toLowerCase();
const isLetter = (char: string | undefined) => char !== undefined && char.toLowerCase() !== char.toUpperCase();

/** Plain text in Latin: Cyrillic letters transliterated, everything else (Latin, digits, punctuation) as it is. */
export function toLatin(text: string): string {
  if (!CYRILLIC.test(text)) return text;
  let latin = "";
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    const small = LATIN_2021[char];
    if (small !== undefined) {
      latin += small;
      continue;
    }
    const capital = CAPITALS.get(char);
    if (!capital) {
      latin += char;
      continue;
    }
    // An all-capitals word: the next letter is a capital too, or this is its last letter after a capital.
    const next = text[at + 1];
    const allCapitals = isUpperLetter(next) || (!isLetter(next) && isUpperLetter(text[at - 1]));
    latin += allCapitals ? capital.upper : capital.title;
  }
  return latin;
}
