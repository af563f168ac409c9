import type { InputRichMessageWithoutUpload } from "grammy/types";
import { isRightToLeft, type Script } from "../shared/locale.js";
import type { Block, Inline, ListItem, RichDocument, Span } from "./document.js";
import { escapeHtml } from "./format.js";

/** Attribute values are quoted with ", so " is escaped besides what text needs. */
const escapeAttribute = (value: string) => escapeHtml(value).replace(/"/g, "&quot;");

function span(part: Span): string {
  if (typeof part === "string") return escapeHtml(part);
  if ("bold" in part) return `<b>${escapeHtml(part.bold)}</b>`;
  if ("italic" in part) return `<i>${escapeHtml(part.italic)}</i>`;
  return `<a href="#${escapeAttribute(part.toAnchor)}">${escapeHtml(part.text)}</a>`;
}

export function inlineHtml(text: Inline): string {
  return typeof text === "string" || !Array.isArray(text) ? span(text as Span) : text.map(span).join("");
}

const itemHtml = (item: ListItem) =>
  typeof item === "object" && !Array.isArray(item) && "blocks" in item ? item.blocks.map(blockHtml).join("") : inlineHtml(item as Inline);

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "heading": {
      const anchor = block.anchor === undefined ? "" : `<a name="${escapeAttribute(block.anchor)}"></a>`;
      return `${anchor}<h${block.level}>${inlineHtml(block.text)}</h${block.level}>`;
    }
    case "paragraph":
      return `<p>${inlineHtml(block.text)}</p>`;
    case "list": {
      const tag = block.ordered ? "ol" : "ul";
      return `<${tag}>${block.items.map((item) => `<li>${itemHtml(item)}</li>`).join("")}</${tag}>`;
    }
    case "table": {
      const row = (cells: readonly Inline[], tag: "th" | "td") =>
        `<tr>${cells.map((cell) => `<${tag}>${inlineHtml(cell)}</${tag}>`).join("")}</tr>`;
      return `<table bordered striped>${row(block.header, "th")}${block.rows.map((cells) => row(cells, "td")).join("")}</table>`;
    }
    case "quote":
      return `<aside>${inlineHtml(block.text)}<cite>${inlineHtml(block.source)}</cite></aside>`;
    case "details":
      return `<details><summary>${inlineHtml(block.summary)}</summary>${block.blocks.map(blockHtml).join("")}</details>`;
    case "map": {
      const map = `<tg-map lat="${block.lat}" long="${block.long}" zoom="${block.zoom}"/>`;
      return block.caption === undefined ? map : `<figure>${map}<figcaption>${inlineHtml(block.caption)}</figcaption></figure>`;
    }
    case "footer":
      return `<footer>${inlineHtml(block.text)}</footer>`;
    case "divider":
      return "<hr/>";
  }
}

/**
 * A document as rich HTML (the `html` of an InputRichMessage): only the tags node_modules/@grammyjs/types/rich.d.ts
 * documents, every piece of text escaped, anchors and their links as attributes. Blocks follow each other with
 * nothing between them: whitespace between blocks would be text of its own.
 */
export function toRichHtml(document: RichDocument): string {
  return document.map(blockHtml).join("");
}

/**
 * Rich HTML as the message Telegram takes (a chat message, an edit, an ephemeral screen, an inline or guest card):
 * right to left when the reader's script reads so; entity detection skipped, the text being prose from the content
 * files and locales, where nothing is meant as a link, a command or a tag.
 */
export function richMessage(html: string, script: Script): InputRichMessageWithoutUpload {
  return { html, skip_entity_detection: true, is_rtl: isRightToLeft(script) };
}
