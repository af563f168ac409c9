import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing, Locale } from "../content/types.js";
import { encodeCallback } from "./callback-data.js";
import { refTitle, stripHtml } from "./cards.js";
import { bold, escapeHtml, joinBlocks, type RenderOptions, type Translate } from "./format.js";
import type { SectionRef } from "./refs.js";
import { sectionBlocks, sectionTitle, sourceLine } from "./sections.js";
import type { Rendered } from "./sections.js";

/** What a digest is for: its language, the chat's sectors (null = all) and the content its previous digest covered. */
export type DigestRequest = {
  locale: Locale;
  t: Translate;
  sectors: readonly string[] | null;
  /** The content mark of the chat's previous digest; null for its first digest. */
  since: string | null;
};

type Dated = { publishedAt: string; updatedAt?: string | undefined };
type ChangedItem = { ref: SectionRef; changedOn: string };

const HEADLINE_CHARS = 280;
const MAX_ITEM_BUTTONS = 8;

const changedOn = (item: Dated) => (item.updatedAt && item.updatedAt > item.publishedAt ? item.updatedAt : item.publishedAt);

function wantsSector(request: Pick<DigestRequest, "sectors">, sectorId: string): boolean {
  return request.sectors === null || request.sectors.includes(sectorId);
}

/** Every dated piece of a briefing as the section a reader would open, with the date it last changed. */
export function datedItems(briefing: Briefing): ChangedItem[] {
  const at = (section: SectionRef["section"], itemId?: string): SectionRef =>
    itemId === undefined ? { briefingId: briefing.id, section } : { briefingId: briefing.id, section, itemId };
  const newest = (items: Dated[]) => items.map(changedOn).sort().at(-1)!;
  return [
    { ref: at("ov"), changedOn: changedOn(briefing.overview) },
    ...briefing.timeline.map((day) => ({ ref: at("tl", day.id), changedOn: changedOn(day) })),
    { ref: at("ag"), changedOn: newest([briefing.agreements, ...briefing.agreements.items]) },
    ...briefing.sectors.map((sector) => ({ ref: at("sc", sector.id), changedOn: changedOn(sector) })),
    ...briefing.quotes.map((quote) => ({ ref: at("qt", quote.id), changedOn: changedOn(quote) })),
    { ref: at("fg"), changedOn: newest(briefing.figures) },
    { ref: at("pr"), changedOn: changedOn(briefing.priorities) },
    { ref: at("ol"), changedOn: changedOn(briefing.outlook) },
  ];
}

/** The newest date anywhere in the content: a digest covers everything up to it. */
export function contentVersion(library: ContentLibrary): string {
  return library.briefings
    .flatMap((briefing) => [changedOn(briefing), ...datedItems(briefing).map((item) => item.changedOn)])
    .sort()
    .at(-1)!;
}

const go = (ref: SectionRef) => encodeCallback({ kind: "section", ref });

function header(briefing: Briefing, { locale, t }: RenderOptions): string {
  return `${bold(t("digest-header", { title: briefing.shortTitle[locale] }))}\n${escapeHtml(
    `${briefing.dates.label[locale]} · ${briefing.place[locale]}`,
  )}`;
}

/** A whole briefing in brief: overview, key figures and the headlines of the chosen sectors. */
function briefingSummary(briefing: Briefing, request: DigestRequest): { blocks: string[]; buttons: InlineKeyboardButton[] } {
  const options = { locale: request.locale, t: request.t, compact: true };
  const sectors = briefing.sectors.filter((sector) => wantsSector(request, sector.id));
  const blocks = [
    header(briefing, options),
    ...sectionBlocks(briefing, { briefingId: briefing.id, section: "ov" }, options),
    ...sectionBlocks(briefing, { briefingId: briefing.id, section: "fg" }, options),
  ];
  if (sectors.length > 0) {
    blocks.push(
      bold(sectionTitle("sc", request.t)),
      ...sectors.map((sector) => `${bold(sector.title[request.locale])}\n${escapeHtml(sector.summary[request.locale])}`),
    );
  }
  const buttons = sectors.map((sector) =>
    InlineKeyboard.text(sector.title[request.locale], go({ briefingId: briefing.id, section: "sc", itemId: sector.id })),
  );
  return { blocks, buttons };
}

function headline(briefing: Briefing, ref: SectionRef, request: DigestRequest): string {
  const options = { locale: request.locale, t: request.t, compact: true };
  const body = stripHtml(sectionBlocks(briefing, ref, options).slice(1).join(" ")).replace(/\s+/g, " ").trim();
  const short = body.length > HEADLINE_CHARS ? `${body.slice(0, HEADLINE_CHARS - 1)}…` : body;
  return `${bold(refTitle(briefing, ref, request.locale, request.t))}\n${escapeHtml(short)}`;
}

/**
 * The digest a chat gets: for its first digest the newest briefing in brief; afterwards only what was published or
 * updated after its previous digest (a whole new briefing in brief, or headlines of changed items).
 * Returns undefined when there is nothing new, so nothing is sent.
 */
export function renderDigest(library: ContentLibrary, request: DigestRequest): Rendered | undefined {
  const options = { locale: request.locale, t: request.t, compact: true };
  const blocks: string[] = [];
  const buttons: InlineKeyboardButton[] = [];
  let footerBriefing: Briefing | undefined;

  if (request.since === null) {
    const summary = briefingSummary(library.latest, request);
    blocks.push(...summary.blocks);
    buttons.push(...summary.buttons);
    footerBriefing = library.latest;
  } else {
    const since = request.since;
    for (const briefing of library.briefings) {
      if (changedOn(briefing) > since) {
        const summary = briefingSummary(briefing, request);
        blocks.push(...summary.blocks);
        buttons.push(...summary.buttons);
        footerBriefing ??= briefing;
        continue;
      }
      const changed = datedItems(briefing).filter(
        (item) => item.changedOn > since && (item.ref.section !== "sc" || wantsSector(request, item.ref.itemId!)),
      );
      if (changed.length === 0) continue;
      blocks.push(header(briefing, options), escapeHtml(request.t("digest-whats-new")));
      for (const item of changed) {
        blocks.push(headline(briefing, item.ref, request));
        buttons.push(InlineKeyboard.text(refTitle(briefing, item.ref, request.locale, request.t), go(item.ref)));
      }
      footerBriefing ??= briefing;
    }
  }
  if (!footerBriefing) return undefined;

  const rows: InlineKeyboardButton[][] = [];
  const shown = buttons.slice(0, MAX_ITEM_BUTTONS);
  for (let index = 0; index < shown.length; index += 2) rows.push(shown.slice(index, index + 2));
  rows.push([
    InlineKeyboard.text(`🏠 ${request.t("button-home")}`, go({ briefingId: footerBriefing.id, section: "home" })),
    InlineKeyboard.text(request.t("button-settings"), encodeCallback({ kind: "settings" })),
  ]);
  return { text: joinBlocks(blocks, sourceLine(footerBriefing, options)), keyboard: InlineKeyboard.from(rows) };
}

/**
 * Renders each distinct digest once: chats that share language, sectors and previous content mark get the same
 * text and keyboard, however many of them there are.
 */
export function createDigestRenderer(library: ContentLibrary, translators: Record<Locale, Translate>) {
  const cache = new Map<string, Rendered | undefined>();
  const MAX_CACHED = 1000;
  return {
    version: contentVersion(library),
    render(locale: Locale, sectors: readonly string[] | null, since: string | null): Rendered | undefined {
      const key = `${locale}|${sectors === null ? "*" : [...sectors].sort().join(",")}|${since ?? ""}`;
      if (cache.has(key)) return cache.get(key);
      const rendered = renderDigest(library, { locale, t: translators[locale], sectors, since });
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, rendered);
      return rendered;
    },
  };
}
export type DigestRenderer = ReturnType<typeof createDigestRenderer>;
