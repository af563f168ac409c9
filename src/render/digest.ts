import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { boundedCache } from "../shared/bounded-cache.js";
import { scriptFor, type Locale, type Script, type Translate } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { deepLink } from "./share-card.js";
import type { Block, ListItem, RichDocument } from "./document.js";
import { bold, escapeHtml, joinBlocks, stripHtml, type RenderOptions, type Rendered } from "./format.js";
import type { SectionRef } from "./refs.js";
import { figuresTable, sourceFooter } from "./rich-briefing.js";
import { toRichHtml } from "./rich-html.js";
import { inScript } from "./script.js";
import type { TopicGoneReason } from "../telegram/send-errors.js";
import { refTitle, sectionBlocks, sectionTitle, sourceLine } from "./sections.js";

/** What names a digest: language, sectors, previous content mark, script and, for a channel, the bot's username. */
type DigestArgs = [
  locale: Locale,
  sectors: readonly string[] | null,
  contentMark: string | null,
  script?: Script,
  channelOf?: DigestRequest["channelOf"],
];

/**
 * What a digest is for: its language, the chat's sectors (null = all) and the content mark of the chat's previous
 * digest. A content mark is the newest publication or update date in the content a digest covered.
 */
export type DigestRequest = {
  locale: Locale;
  t: Translate;
  sectors: readonly string[] | null;
  /** The content mark of the chat's previous digest; null before its first digest. */
  contentMark: string | null;
  /** The script the digest will be shown in: a Latin quote headline is marked as transliterated. */
  script?: Script;
  /**
   * For a channel: its readers have no private session with the bot there, so every button is a link that opens
   * the section in the bot's private chat (a deep link), and there is no settings button.
   */
  channelOf?: { botUsername: string };
};

type Dated = { publishedAt: string; updatedAt?: string | undefined };
type ChangedItem = { ref: SectionRef; changedOn: string };

const HEADLINE_CHARS = 280;
/** An item of a rich digest whose text is longer than this is folded in a details block under its title. */
const DETAILS_AFTER_CHARS = 200;
const MAX_ITEM_BUTTONS = 8;

const changedOn = (item: Dated) => (item.updatedAt && item.updatedAt > item.publishedAt ? item.updatedAt : item.publishedAt);

/** Whether a chat wants a sector: it chose all topics (null), or the topic the sector points to. */
function wantsSector(request: Pick<DigestRequest, "sectors">, sector: Briefing["sectors"][number]): boolean {
  return request.sectors === null || request.sectors.includes(sector.topic);
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

/** The content mark of a library: the newest date anywhere in it. A digest covers everything up to it. */
export function contentMarkOf(library: ContentLibrary): string {
  return library.briefings
    .flatMap((briefing) => [changedOn(briefing), ...datedItems(briefing).map((item) => item.changedOn)])
    .sort()
    .at(-1)!;
}

/** A button that opens a section: pressed in the chat itself, or, in a channel, a link into the bot's private chat. */
function openButton(text: string, ref: SectionRef, request: Pick<DigestRequest, "channelOf">): InlineKeyboardButton {
  return request.channelOf
    ? InlineKeyboard.url(text, deepLink(request.channelOf.botUsername, ref))
    : InlineKeyboard.text(text, encodeCallback({ kind: "section", ref }));
}

function header(briefing: Briefing, { locale, t }: RenderOptions): string {
  return `${bold(t("digest-header", { title: briefing.shortTitle[locale] }))}\n${escapeHtml(
    `${briefing.dates.label[locale]} · ${briefing.place[locale]}`,
  )}`;
}

/**
 * One briefing's part of a digest: the whole briefing in brief (a chat's first digest, or a briefing published since
 * its last one), whose items are its overview and the chat's sectors; or the items of it changed since the last one.
 */
type DigestEntry = { briefing: Briefing; whole: boolean; items: SectionRef[] };

/** The sectors of a briefing the chat chose, as the refs that open them. */
const chosenSectors = (briefing: Briefing, request: DigestRequest): SectionRef[] =>
  briefing.sectors
    .filter((sector) => wantsSector(request, sector))
    .map((sector) => ({ briefingId: briefing.id, section: "sc", itemId: sector.id }));

const wholeEntry = (briefing: Briefing, request: DigestRequest): DigestEntry => ({
  briefing,
  whole: true,
  items: [{ briefingId: briefing.id, section: "ov" }, ...chosenSectors(briefing, request)],
});

/**
 * What a digest covers, the one rule for its HTML and rich forms: for a chat's first digest the newest briefing in
 * brief; afterwards only what was published or updated after its previous digest (a whole new briefing in brief, or
 * the changed items of one). Empty when there is nothing new.
 */
function digestEntries(library: ContentLibrary, request: DigestRequest): DigestEntry[] {
  const previousMark = request.contentMark;
  if (previousMark === null) return [wholeEntry(library.latest, request)];
  return library.briefings.flatMap((briefing): DigestEntry[] => {
    if (changedOn(briefing) > previousMark) return [wholeEntry(briefing, request)];
    const sectorOf = (ref: SectionRef) => briefing.sectors.find((sector) => sector.id === ref.itemId)!;
    const items = datedItems(briefing)
      .filter((item) => item.changedOn > previousMark && (item.ref.section !== "sc" || wantsSector(request, sectorOf(item.ref))))
      .map((item) => item.ref);
    return items.length === 0 ? [] : [{ briefing, whole: false, items }];
  });
}

/** The buttons of a digest: one per item (a whole briefing's sectors), at most eight, two a row; Home and Settings. */
function digestKeyboard(entries: DigestEntry[], request: DigestRequest): InlineKeyboard {
  // A whole briefing's overview is in the digest itself: its buttons open the sectors.
  const buttons = entries.flatMap(({ briefing, whole, items }) =>
    items
      .filter((ref) => !(whole && ref.section === "ov"))
      .map((ref) => openButton(refTitle(briefing, ref, request.locale, request.t), ref, request)),
  );
  const rows: InlineKeyboardButton[][] = [];
  const shown = buttons.slice(0, MAX_ITEM_BUTTONS);
  for (let index = 0; index < shown.length; index += 2) rows.push(shown.slice(index, index + 2));
  const home = openButton(`🏠 ${request.t("button-home")}`, { briefingId: entries[0]!.briefing.id, section: "home" }, request);
  // A channel's digest is set up from the private chat of its admins, not from a button its readers see.
  rows.push(request.channelOf ? [home] : [home, InlineKeyboard.text(request.t("button-settings"), encodeCallback({ kind: "settings" }))]);
  return InlineKeyboard.from(rows);
}

/** A whole briefing in brief: overview, key figures and the headlines of the chosen sectors. */
function briefingSummary(briefing: Briefing, request: DigestRequest): string[] {
  const options = { locale: request.locale, t: request.t, compact: true };
  const sectors = briefing.sectors.filter((sector) => wantsSector(request, sector));
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
  return blocks;
}

/**
 * What an item of a digest says: the lines of its screen's text as plain text, without its title (a Latin quote
 * marked as transliterated).
 */
function itemLines(briefing: Briefing, ref: SectionRef, request: DigestRequest): string[] {
  const options = { locale: request.locale, t: request.t, compact: true, ...(request.script ? { script: request.script } : {}) };
  return sectionBlocks(briefing, ref, options)
    .slice(1)
    .flatMap((block) => stripHtml(block).split("\n"))
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "");
}

function headline(briefing: Briefing, ref: SectionRef, request: DigestRequest): string {
  const body = itemLines(briefing, ref, request).join(" ");
  const short = body.length > HEADLINE_CHARS ? `${body.slice(0, HEADLINE_CHARS - 1)}…` : body;
  return `${bold(refTitle(briefing, ref, request.locale, request.t))}\n${escapeHtml(short)}`;
}

/**
 * The digest a chat gets as an HTML message (digestEntries says what it covers): a whole briefing in brief, or the
 * headlines of its changed items. The fallback of the rich digest; undefined when there is nothing new.
 */
export function renderDigest(library: ContentLibrary, request: DigestRequest): Rendered | undefined {
  const entries = digestEntries(library, request);
  if (entries.length === 0) return undefined;
  const options = { locale: request.locale, t: request.t, compact: true };
  const blocks = entries.flatMap(({ briefing, whole, items }) =>
    whole
      ? briefingSummary(briefing, request)
      : [header(briefing, options), escapeHtml(request.t("digest-whats-new")), ...items.map((ref) => headline(briefing, ref, request))],
  );
  return { text: joinBlocks(blocks, sourceLine(entries[0]!.briefing, options)), keyboard: digestKeyboard(entries, request) };
}

/** An item of a rich digest: its title, and its text beside it, or folded in a details block when it is long. */
function richItem(briefing: Briefing, ref: SectionRef, request: DigestRequest): ListItem {
  const title = refTitle(briefing, ref, request.locale, request.t);
  const lines = itemLines(briefing, ref, request);
  if (lines.length === 1 && lines[0]!.length <= DETAILS_AFTER_CHARS) return [{ bold: title }, ` — ${lines[0]}`];
  const paragraphs = lines.map((text): Block => ({ kind: "paragraph", text }));
  return { blocks: [{ kind: "details", summary: { bold: title }, blocks: paragraphs }] };
}

/** One briefing's part of a rich digest: heading, dates and place, what is new as a list, the key figures as a table. */
function richEntry({ briefing, whole, items }: DigestEntry, request: DigestRequest): Block[] {
  const { locale, t } = request;
  // The figures are a table when they changed (or the whole briefing is new), not an item of the list.
  const withFigures = whole || items.some((ref) => ref.section === "fg");
  const listed = items.filter((ref) => ref.section !== "fg");
  return [
    { kind: "heading", level: 2, text: t("digest-header", { title: briefing.shortTitle[locale] }) },
    { kind: "paragraph", text: `${briefing.dates.label[locale]} · ${briefing.place[locale]}` },
    ...(listed.length === 0
      ? []
      : [
          { kind: "heading", level: 3, text: t(whole ? "digest-rich-in-brief" : "digest-rich-whats-new") } as const,
          { kind: "list", items: listed.map((ref) => richItem(briefing, ref, request)) } as const,
        ]),
    ...(withFigures ? [{ kind: "heading", level: 3, text: sectionTitle("fg", t) } as const, figuresTable(briefing, request)] : []),
  ];
}

/**
 * The digest a chat gets as one rich message: per briefing a heading, what is new as a list, the key figures as a
 * table when they changed (or in a first digest), and the source in the footer; the same buttons as the HTML digest.
 * Undefined when there is nothing new.
 */
export function renderRichDigest(library: ContentLibrary, request: DigestRequest): Rendered | undefined {
  const entries = digestEntries(library, request);
  if (entries.length === 0) return undefined;
  const document: RichDocument = [...entries.flatMap((entry) => richEntry(entry, request)), sourceFooter(entries[0]!.briefing, request)];
  return { text: toRichHtml(document), keyboard: digestKeyboard(entries, request) };
}

const NOTHING_NEW = Symbol("nothing new");
/** Distinct digests kept rendered: one per form, language, script, sector choice and previous content mark in use. */
const MAX_RENDERED_DIGESTS = 2000;

/** The two forms of a digest: one rich message, and the HTML message that answers where rich messages are missing. */
const FORMS = { rich: renderRichDigest, html: renderDigest } as const;
export type DigestForm = keyof typeof FORMS;

/**
 * Renders each distinct digest once: chats that share form, language, script, sectors, previous content mark and
 * whether they are a channel get the same text and keyboard, however many of them there are. A Latin (or Arabic-
 * script) digest is the Cyrillic one written in its script at the one edge (inScript), once.
 */
export function createDigestRenderer(library: ContentLibrary, translators: Record<Locale, Translate>) {
  // "Nothing new" is a result too, and LRUCache stores no undefined: it is kept as NOTHING_NEW.
  const rendered = boundedCache<string, Rendered | typeof NOTHING_NEW>(MAX_RENDERED_DIGESTS);
  function renderForm(
    form: DigestForm,
    locale: Locale,
    sectors: readonly string[] | null,
    contentMark: string | null,
    script: Script = "cyrl",
    channelOf?: DigestRequest["channelOf"],
  ): Rendered | undefined {
    const written = scriptFor(locale, script);
    const variant = channelOf ? `@${channelOf.botUsername}` : "";
    const key = `${form}|${locale}|${written}${variant}|${sectors === null ? "*" : [...sectors].sort().join(",")}|${contentMark ?? ""}`;
    let digest = rendered.get(key);
    if (digest === undefined) {
      const request = { locale, t: translators[locale], sectors, contentMark, script: written };
      const cyrillic = FORMS[form](library, channelOf ? { ...request, channelOf } : request);
      digest = cyrillic ? inScript(cyrillic, written) : NOTHING_NEW;
      rendered.set(key, digest);
    }
    return digest === NOTHING_NEW ? undefined : digest;
  }
  return {
    /** The content mark of what this renderer serves: a chat's digest covers content up to it. */
    contentMark: contentMarkOf(library),
    /** The HTML digest (the rich one's fallback, and /digest); `channelOf`: the channel variant (see DigestRequest). */
    render: (...args: DigestArgs) => renderForm("html", ...args),
    /** The same digest as one rich message (its text is rich HTML, in the reader's script). */
    renderRich: (...args: DigestArgs) => renderForm("rich", ...args),
    /**
     * What the group is told in its General topic when the digest of one of its forum topics stopped because the
     * topic was closed or deleted: what happened and how to have it again.
     */
    topicStopped(locale: Locale, script: Script, reason: TopicGoneReason): Rendered {
      const text = translators[locale]("digest-topic-stopped", { reason: reason === "topic_closed" ? "closed" : "deleted" });
      return inScript({ text: escapeHtml(text), keyboard: new InlineKeyboard() }, script);
    },
  };
}
export type DigestRenderer = ReturnType<typeof createDigestRenderer>;
