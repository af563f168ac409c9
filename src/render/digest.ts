import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { ContentLibrary } from "../content/library.js";
import type { Briefing } from "../content/types.js";
import { boundedCache } from "../shared/bounded-cache.js";
import { scriptFor, type Locale, type Script, type Translate } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { deepLink } from "./share-card.js";
import { bold, escapeHtml, joinBlocks, stripHtml, type RenderOptions, type Rendered } from "./format.js";
import type { SectionRef } from "./refs.js";
import { inScript } from "./script.js";
import type { TopicGoneReason } from "../telegram/send-errors.js";
import { refTitle, sectionBlocks, sectionTitle, sourceLine } from "./sections.js";

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

/** A whole briefing in brief: overview, key figures and the headlines of the chosen sectors. */
function briefingSummary(briefing: Briefing, request: DigestRequest): { blocks: string[]; buttons: InlineKeyboardButton[] } {
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
  const buttons = sectors.map((sector) =>
    openButton(sector.title[request.locale], { briefingId: briefing.id, section: "sc", itemId: sector.id }, request),
  );
  return { blocks, buttons };
}

function headline(briefing: Briefing, ref: SectionRef, request: DigestRequest): string {
  const options = { locale: request.locale, t: request.t, compact: true, ...(request.script ? { script: request.script } : {}) };
  const body = stripHtml(sectionBlocks(briefing, ref, options).slice(1).join(" "))
    .replace(/\s+/g, " ")
    .trim();
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

  if (request.contentMark === null) {
    const summary = briefingSummary(library.latest, request);
    blocks.push(...summary.blocks);
    buttons.push(...summary.buttons);
    footerBriefing = library.latest;
  } else {
    const previousMark = request.contentMark;
    for (const briefing of library.briefings) {
      if (changedOn(briefing) > previousMark) {
        const summary = briefingSummary(briefing, request);
        blocks.push(...summary.blocks);
        buttons.push(...summary.buttons);
        footerBriefing ??= briefing;
        continue;
      }
      const changed = datedItems(briefing).filter(
        (item) =>
          item.changedOn > previousMark &&
          (item.ref.section !== "sc" ||
            wantsSector(
              request,
              briefing.sectors.find((sector) => sector.id === item.ref.itemId)!,
            )),
      );
      if (changed.length === 0) continue;
      blocks.push(header(briefing, options), escapeHtml(request.t("digest-whats-new")));
      for (const item of changed) {
        blocks.push(headline(briefing, item.ref, request));
        buttons.push(openButton(refTitle(briefing, item.ref, request.locale, request.t), item.ref, request));
      }
      footerBriefing ??= briefing;
    }
  }
  if (!footerBriefing) return undefined;

  const rows: InlineKeyboardButton[][] = [];
  const shown = buttons.slice(0, MAX_ITEM_BUTTONS);
  for (let index = 0; index < shown.length; index += 2) rows.push(shown.slice(index, index + 2));
  const home = openButton(`🏠 ${request.t("button-home")}`, { briefingId: footerBriefing.id, section: "home" }, request);
  // A channel's digest is set up from the private chat of its admins, not from a button its readers see.
  rows.push(request.channelOf ? [home] : [home, InlineKeyboard.text(request.t("button-settings"), encodeCallback({ kind: "settings" }))]);
  return { text: joinBlocks(blocks, sourceLine(footerBriefing, options)), keyboard: InlineKeyboard.from(rows) };
}

const NOTHING_NEW = Symbol("nothing new");
/** Distinct digests kept rendered: one per language, script, sector choice and previous content mark in use. */
const MAX_RENDERED_DIGESTS = 1000;

/**
 * Renders each distinct digest once: chats that share language, script, sectors and previous content mark get the
 * same text and keyboard, however many of them there are. A Latin digest is the Cyrillic one transliterated, once.
 */
export function createDigestRenderer(library: ContentLibrary, translators: Record<Locale, Translate>) {
  // "Nothing new" is a result too, and LRUCache stores no undefined: it is kept as NOTHING_NEW.
  const rendered = boundedCache<string, Rendered | typeof NOTHING_NEW>(MAX_RENDERED_DIGESTS);
  return {
    /** The content mark of what this renderer serves: a chat's digest covers content up to it. */
    contentMark: contentMarkOf(library),
    /** `channelOf`: the channel variant, with link buttons into the bot (see DigestRequest). */
    render(
      locale: Locale,
      sectors: readonly string[] | null,
      contentMark: string | null,
      script: Script = "cyrl",
      channelOf?: DigestRequest["channelOf"],
    ): Rendered | undefined {
      const written = scriptFor(locale, script);
      const variant = channelOf ? `@${channelOf.botUsername}` : "";
      const key = `${locale}|${written}${variant}|${sectors === null ? "*" : [...sectors].sort().join(",")}|${contentMark ?? ""}`;
      let digest = rendered.get(key);
      if (digest === undefined) {
        const request = { locale, t: translators[locale], sectors, contentMark, script: written };
        const cyrillic = renderDigest(library, channelOf ? { ...request, channelOf } : request);
        digest = cyrillic ? inScript(cyrillic, written) : NOTHING_NEW;
        rendered.set(key, digest);
      }
      return digest === NOTHING_NEW ? undefined : digest;
    },
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
