import { InlineKeyboard } from "grammy";
import type { Briefing, Quote, TimelineDay } from "../content/types.js";
import type { Locale } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { anchorName, type Block, type RichDocument, type Span } from "./document.js";
import { formatDate, withNote, type RenderOptions, type Rendered } from "./format.js";
import type { SectionKey, SectionRef } from "./refs.js";
import { toRichHtml } from "./rich-html.js";
import { aboutParagraphs, refTitle, sectionKeyboard, sectionTitle, transliterationNote, type NavigationExtras } from "./sections.js";

/** The sections of the whole briefing, in the order of the main menu ("about" is the footer). */
const FULL_SECTIONS = ["ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol"] as const satisfies readonly SectionKey[];
/** Sections whose screen is a rich message when the server has them: structure a plain screen cannot show. */
const RICH_SECTIONS = new Set<SectionKey>(["ag", "qt", "fg"]);

export function hasRichScreen(ref: SectionRef): boolean {
  return RICH_SECTIONS.has(ref.section);
}

const heading = (section: SectionKey, options: RenderOptions, anchor?: string): Block => ({
  kind: "heading",
  level: 2,
  text: sectionTitle(section, options.t),
  ...(anchor === undefined ? {} : { anchor }),
});

/** The source of every fact: its name, date and the language it was written in. */
export function sourceFooter(briefing: Briefing, { t }: RenderOptions): Block {
  const { name, date, language } = briefing.source;
  return { kind: "footer", text: t("rich-source-footer", { name, date: formatDate(date, t), language }) };
}

/**
 * A quote as a pull quote naming the expert. Kazakh readers get the words verbatim (in Latin, a transliteration that
 * says so); Russian readers get our rendering marked as a translation, with the Kazakh original verbatim beneath.
 */
function quoteBlocks(quote: Quote, { locale, t }: RenderOptions): Block[] {
  const expert: Span = `${quote.speaker[locale]}, ${quote.role[locale]}`;
  const context: Block[] = quote.context ? [{ kind: "paragraph", text: { italic: quote.context[locale] } }] : [];
  if (locale === "kk") return [...context, { kind: "quote", text: quote.textKk, source: expert }];
  return [
    ...context,
    { kind: "quote", text: quote.translationRu, source: [expert, " · ", { italic: t("quote-translation-note") }] },
    { kind: "details", summary: t("quote-original-label"), blocks: [{ kind: "paragraph", text: quote.textKk }] },
  ];
}

/** A day's place as a map with its caption, when the content file gives one (a list item cannot hold a map). */
function dayMap(day: TimelineDay, locale: Locale): Block[] {
  const { location } = day;
  return location ? [{ kind: "map", lat: location.lat, long: location.long, zoom: location.zoom, caption: location.caption[locale] }] : [];
}

/** A Latin or Arabic-script reader's quotes are transliterations: one line says so above them. */
const transliterationNoteBlocks = ({ locale, script, t }: RenderOptions): Block[] =>
  locale === "kk" && script !== undefined && script !== "cyrl"
    ? [{ kind: "paragraph", text: { italic: transliterationNote(t, script) } }]
    : [];

/** The key figures as a table: each value and what it stands for (the whole briefing, its figures screen, digests). */
export function figuresTable(briefing: Briefing, { locale, t }: Pick<RenderOptions, "locale" | "t">): Block {
  return {
    kind: "table",
    header: [t("rich-figure-column"), t("rich-figure-meaning-column")],
    rows: briefing.figures.map((figure) => [{ bold: figure.value[locale] }, figure.label[locale]]),
  };
}

/** The blocks of one section in a rich message: what its plain screen shows, with the structure it has. */
function sectionDocument(briefing: Briefing, section: SectionKey, options: RenderOptions): Block[] {
  const { locale, t } = options;
  switch (section) {
    case "ov":
      return [{ kind: "paragraph", text: briefing.overview.text[locale] }];
    case "tl":
      return [
        {
          kind: "list",
          items: briefing.timeline.map((day) => [{ bold: `${formatDate(day.date, t)} — ${day.title[locale]}` }, `. ${day.text[locale]}`]),
        },
        ...briefing.timeline.flatMap((day) => dayMap(day, locale)),
      ];
    case "ag":
      return [
        { kind: "paragraph", text: briefing.agreements.summary[locale] },
        ...briefing.agreements.items.map((item): Block => ({
          kind: "details",
          summary: item.title[locale],
          blocks: [{ kind: "paragraph", text: item.text[locale] }],
        })),
      ];
    case "sc":
      return briefing.sectors.flatMap((sector): Block[] => [
        { kind: "heading", level: 3, text: sector.title[locale] },
        { kind: "paragraph", text: sector.summary[locale] },
        { kind: "list", items: sector.details.map((detail) => detail[locale]) },
      ]);
    case "qt":
      return [...transliterationNoteBlocks(options), ...briefing.quotes.flatMap((quote) => quoteBlocks(quote, options))];
    case "fg":
      return [figuresTable(briefing, options)];
    case "pr":
      return [
        { kind: "paragraph", text: briefing.priorities.intro[locale] },
        { kind: "list", ordered: true, items: briefing.priorities.items.map((item) => item[locale]) },
      ];
    case "ol":
      return [{ kind: "paragraph", text: briefing.outlook.text[locale] }];
    default:
      return [];
  }
}

/**
 * The whole briefing as one document: its title and dates, a table of contents linking to each section's anchor, a
 * heading per section, and the source in the footer.
 */
export function fullBriefingDocument(briefing: Briefing, options: RenderOptions): RichDocument {
  const { locale, t } = options;
  const anchor = (section: SectionKey) => anchorName(briefing.id, section);
  return [
    { kind: "heading", level: 1, text: briefing.title[locale], anchor: anchorName(briefing.id, "top") },
    { kind: "paragraph", text: `${briefing.dates.label[locale]} · ${briefing.place[locale]}` },
    { kind: "heading", level: 3, text: t("rich-contents") },
    { kind: "list", items: FULL_SECTIONS.map((section) => ({ text: sectionTitle(section, t), toAnchor: anchor(section) })) },
    ...FULL_SECTIONS.flatMap((section) => [heading(section, options, anchor(section)), ...sectionDocument(briefing, section, options)]),
    sourceFooter(briefing, options),
  ];
}

/** One section's screen as a document; a single quote when the ref names one. */
export function sectionScreenDocument(briefing: Briefing, ref: SectionRef, options: RenderOptions): RichDocument {
  const quote = ref.section === "qt" && ref.itemId !== undefined ? briefing.quotes.find((entry) => entry.id === ref.itemId) : undefined;
  const body = quote
    ? [...transliterationNoteBlocks(options), ...quoteBlocks(quote, options)]
    : sectionDocument(briefing, ref.section, options);
  return [heading(ref.section, options), ...body, sourceFooter(briefing, options)];
}

/**
 * What a card (an inline result, a guest answer) holds: one timeline day, sector or quote alone, else its whole
 * section, in the blocks its rich screen has.
 */
function cardBody(briefing: Briefing, ref: SectionRef, options: RenderOptions): Block[] {
  const { locale, t } = options;
  const day = ref.section === "tl" ? briefing.timeline.find((entry) => entry.id === ref.itemId) : undefined;
  const sector = ref.section === "sc" ? briefing.sectors.find((entry) => entry.id === ref.itemId) : undefined;
  if (day) return [{ kind: "paragraph", text: [{ bold: formatDate(day.date, t) }, `. ${day.text[locale]}`] }, ...dayMap(day, locale)];
  if (sector) {
    return [
      { kind: "paragraph", text: sector.summary[locale] },
      { kind: "list", items: sector.details.map((detail) => detail[locale]) },
    ];
  }
  if (ref.section === "home") return [{ kind: "paragraph", text: `${briefing.dates.label[locale]} · ${briefing.place[locale]}` }];
  if (ref.section === "ab") return aboutParagraphs(briefing, options).map((text): Block => ({ kind: "paragraph", text }));
  return sectionScreenDocument(briefing, ref, options).slice(1, -1);
}

/**
 * A card posted into another chat as a rich message: its heading (what the card is, and of which visit), its text,
 * and the source in the footer.
 */
export function cardDocument(briefing: Briefing, ref: SectionRef, options: RenderOptions): RichDocument {
  const { locale, t } = options;
  const title = ref.section === "home" ? briefing.title[locale] : `${refTitle(briefing, ref, locale, t)} · ${briefing.shortTitle[locale]}`;
  return [{ kind: "heading", level: 2, text: title }, ...cardBody(briefing, ref, options), sourceFooter(briefing, options)];
}

/** A section's screen as a rich message, with the same keyboard as its plain screen (paging, Back, Home and extras). */
export function renderRichSection(briefing: Briefing, ref: SectionRef, options: RenderOptions, extras: NavigationExtras = {}): Rendered {
  return { text: toRichHtml(sectionScreenDocument(briefing, ref, options)), keyboard: sectionKeyboard(briefing, ref, options, extras) };
}

/** The whole briefing as a rich message, with Back and Home (both lead to the briefing's menu). */
export function renderFullBriefing(briefing: Briefing, options: RenderOptions): Rendered {
  const home = encodeCallback({ kind: "section", ref: { briefingId: briefing.id, section: "home" } });
  const keyboard = InlineKeyboard.from([
    [InlineKeyboard.text(`⬅ ${options.t("button-back")}`, home), InlineKeyboard.text(`🏠 ${options.t("button-home")}`, home)],
  ]);
  return { text: toRichHtml(fullBriefingDocument(briefing, options)), keyboard };
}

/** What answers a request for the whole briefing when the server has no rich messages: the menu, saying so. */
export function fullBriefingFallback(menu: Rendered, { t }: Pick<RenderOptions, "t">): Rendered {
  return withNote(t("rich-unavailable"), menu);
}
