/**
 * A small document model for Telegram's rich messages: what a long screen is made of (headings, paragraphs, lists, a
 * table, quotes with their source, collapsible details, a map, a footer, anchors and links to them). Renderers build
 * documents from content and interface strings; rich-html.ts writes them as rich HTML, escaping every piece of text.
 */

/** A piece of running text: plain, bold, italic, or a link to an anchor of the same message. */
export type Span = string | { bold: string } | { italic: string } | { text: string; toAnchor: string };
/** Running text: one span or several in a row. */
export type Inline = Span | readonly Span[];

/** A list item: running text, or blocks of its own (a collapsible details block, say). */
export type ListItem = Inline | { blocks: readonly Block[] };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: Inline; anchor?: string }
  | { kind: "paragraph"; text: Inline }
  | { kind: "list"; ordered?: boolean; items: readonly ListItem[] }
  /** A table with a header row; every row has as many cells as the header. */
  | { kind: "table"; header: readonly Inline[]; rows: readonly (readonly Inline[])[] }
  /** A pull quote: the words, then who said them (and, for a translation, a note saying so). */
  | { kind: "quote"; text: Inline; source: Inline }
  /** A collapsible block: its summary is always shown, its blocks on a tap. */
  | { kind: "details"; summary: Inline; blocks: readonly Block[] }
  | { kind: "map"; lat: number; long: number; zoom: number; caption?: Inline }
  | { kind: "footer"; text: Inline }
  | { kind: "divider" };

export type RichDocument = readonly Block[];

/** Anchor names travel in attributes (never transliterated): short ASCII made from ids. */
export function anchorName(...parts: string[]): string {
  return parts.join("-").replace(/[^A-Za-z0-9_-]/g, "_");
}
