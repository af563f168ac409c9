/**
 * Telegram's rules for rich HTML (node_modules/@grammyjs/types/rich.d.ts, "Rich HTML style" and "Rich Message
 * Limits"), checked in one place: content:check runs every rich screen through it before a reader could get one, and
 * the tests' fake Bot API refuses what it finds, as Telegram would.
 */

export const RICH_LIMITS = {
  /** UTF-8 characters of text, after tags are parsed and entities read. */
  characters: 32_768,
  /** Blocks, nested ones, list items, table rows, quotations and details included. */
  blocks: 500,
  /** Levels of nested formatting and blocks. */
  depth: 16,
  /** Photos, videos, audio files and documents. */
  media: 50,
  /** Cells in a table row (a colspan counts its columns). */
  columns: 20,
} as const;

export type RichLimit = keyof typeof RICH_LIMITS;
/** A broken rule: a limit passed (with the figure found), or HTML Telegram cannot parse. */
export type RichProblem = { rule: RichLimit | "tag" | "nesting" | "escape"; message: string };

/** Tags closed by their own end tag. */
const CONTAINERS = new Set(
  (
    "a b strong i em u ins s strike del code mark sub sup tg-spoiler tg-reference tg-emoji tg-time tg-math " +
    "h1 h2 h3 h4 h5 h6 p pre footer ul ol li blockquote aside cite figure figcaption table caption tr th td " +
    "details summary tg-math-block tg-collage tg-slideshow video audio tg-document tg-button tg-button-row"
  ).split(" "),
);
/** Tags without content, written <br>, <hr/> or <tg-map …/>. */
const VOID = new Set(["br", "hr", "img", "input", "tg-map", "video", "audio"]);
/** Tags that make one block each (a table row counts, its cells do not). */
const BLOCKS = new Set(
  "h1 h2 h3 h4 h5 h6 p pre footer hr ul ol li blockquote aside figure table tr details tg-math-block tg-map tg-collage tg-slideshow img video audio tg-document tg-button-row".split(
    " ",
  ),
);
const MEDIA = new Set(["img", "video", "audio", "tg-document"]);
/** The named entities Telegram reads; any numeric one is read too. */
// Sticky (y): each is tried at one position of the HTML (lastIndex), without copying the rest of it.
const ENTITY = /&(lt|gt|amp|quot|apos|nbsp|hellip|mdash|ndash|lsquo|rsquo|ldquo|rdquo|#\d+|#x[0-9a-f]+);/iy;
const TAG = /<(\/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+(?:="[^"<]*")?)*)\s*(\/?)>/iy;

function matchAt(pattern: RegExp, html: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(html);
}

type Count = { characters: number; blocks: number; media: number; depth: number; columns: number };

/** Every rule the HTML breaks (none: Telegram accepts it). */
export function checkRichHtml(html: string): RichProblem[] {
  const problems: RichProblem[] = [];
  const count: Count = { characters: 0, blocks: 0, media: 0, depth: 0, columns: 0 };
  const open: string[] = [];
  let rowColumns = 0;
  for (let at = 0; at < html.length;) {
    const char = html[at]!;
    if (char === "&") {
      const entity = matchAt(ENTITY, html, at);
      if (!entity) problems.push({ rule: "escape", message: `unescaped "&" at ${at}` });
      count.characters++;
      at += entity ? entity[0].length : 1;
      continue;
    }
    if (char !== "<") {
      const codePoint = html.codePointAt(at)!;
      count.characters++;
      at += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const tag = matchAt(TAG, html, at);
    if (!tag) {
      problems.push({ rule: "escape", message: `unescaped "<" at ${at}` });
      count.characters++;
      at++;
      continue;
    }
    at += tag[0].length;
    const [, closing, rawName, attributes = "", selfClosing] = tag;
    const name = rawName!.toLowerCase();
    if (!CONTAINERS.has(name) && !VOID.has(name)) {
      problems.push({ rule: "tag", message: `unsupported tag <${name}>` });
      continue;
    }
    if (closing) {
      if (open.at(-1) !== name) {
        problems.push({ rule: "nesting", message: `</${name}> closes <${open.at(-1) ?? "nothing"}>` });
        continue;
      }
      open.pop();
      if (name === "tr") count.columns = Math.max(count.columns, rowColumns);
      continue;
    }
    // An anchor (<a name>) standing on its own is a block of its own too.
    if (BLOCKS.has(name) || (name === "a" && /\sname="/.test(attributes))) count.blocks++;
    if (MEDIA.has(name)) count.media++;
    if (name === "tr") rowColumns = 0;
    if (name === "td" || name === "th") rowColumns += Number(/colspan="(\d+)"/.exec(attributes)?.[1] ?? 1);
    if (name === "a" && !/\s(href|name)="/.test(attributes)) problems.push({ rule: "tag", message: "<a> without href or name" });
    const isVoid = selfClosing === "/" || (VOID.has(name) && !CONTAINERS.has(name));
    count.depth = Math.max(count.depth, open.length + 1);
    if (!isVoid) open.push(name);
  }
  if (open.length > 0) problems.push({ rule: "nesting", message: `<${open.join("><")}> never closed` });
  for (const limit of Object.keys(RICH_LIMITS) as RichLimit[]) {
    if (count[limit] > RICH_LIMITS[limit]) problems.push({ rule: limit, message: `${count[limit]} ${limit}, over ${RICH_LIMITS[limit]}` });
  }
  return problems;
}
