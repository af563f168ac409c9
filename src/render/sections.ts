import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Briefing, LocalizedText } from "../content/types.js";
import type { Locale, Script } from "../shared/locale.js";
import { encodeCallback } from "./callback-data.js";
import { copyRows } from "./copy.js";
import { bold, escapeHtml, formatDate, italic, joinBlocks, type RenderOptions, type Rendered } from "./format.js";
import type { Translate } from "../shared/locale.js";
import { isListSection, listItems, type ListSectionKey, type SectionKey, type SectionRef } from "./refs.js";

/** Button label and heading key of every section in the locale files. */
const SECTION_LABEL: Record<SectionKey, string> = {
  home: "section-home",
  ov: "section-overview",
  tl: "section-timeline",
  ag: "section-agreements",
  sc: "section-sectors",
  qt: "section-quotes",
  fg: "section-figures",
  pr: "section-priorities",
  ol: "section-outlook",
  ab: "section-about",
};

/** Order of the main menu. */
const MENU_SECTIONS: SectionKey[] = ["ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol", "ab"];

const local = (text: LocalizedText, locale: Locale) => text[locale];
const go = (ref: SectionRef) => encodeCallback({ kind: "section", ref });

export function sectionTitle(section: SectionKey, t: Translate): string {
  return t(SECTION_LABEL[section]);
}

/** A short, plain title for a ref: what a search result, an inline card or a digest button is called. */
export function refTitle(briefing: Briefing, ref: SectionRef, locale: Locale, t: Translate): string {
  const plain = (text: string) => text.replace(/^[^\p{L}\p{N}]+/u, "");
  switch (ref.itemId === undefined ? undefined : ref.section) {
    case "tl":
      return briefing.timeline.find((day) => day.id === ref.itemId)!.title[locale];
    case "sc":
      return briefing.sectors.find((sector) => sector.id === ref.itemId)!.title[locale];
    case "qt": {
      const quote = briefing.quotes.find((entry) => entry.id === ref.itemId)!;
      return `${plain(sectionTitle("qt", t))}: ${quote.speaker[locale]}`;
    }
    default:
      return plain(sectionTitle(ref.section, t));
  }
}

export function sourceLine(briefing: Briefing, { locale, t }: RenderOptions): string {
  return italic(
    t("source-line", {
      name: briefing.source.name,
      date: formatDate(briefing.source.date, t),
      original: briefing.source.language === locale ? "same" : briefing.source.language,
    }),
  );
}

/** The text blocks of a section, without navigation: shared by menus, inline cards and digests. */
export function sectionBlocks(briefing: Briefing, ref: SectionRef, options: RenderOptions): string[] {
  const { locale, t } = options;
  const heading = (text: string) => bold(text);
  switch (ref.section) {
    case "home":
      return [
        heading(local(briefing.title, locale)),
        escapeHtml(`${local(briefing.dates.label, locale)} · ${local(briefing.place, locale)}`),
        ...(options.compact ? [] : [escapeHtml(t("home-prompt"))]),
      ];
    case "ov":
      return [heading(sectionTitle("ov", t)), escapeHtml(local(briefing.overview.text, locale))];
    case "tl": {
      const day = briefing.timeline.find((entry) => entry.id === ref.itemId);
      if (day) {
        return [heading(`${formatDate(day.date, t)} — ${local(day.title, locale)}`), escapeHtml(local(day.text, locale))];
      }
      return [
        heading(sectionTitle("tl", t)),
        ...briefing.timeline.map((entry) => `${bold(formatDate(entry.date, t))} — ${escapeHtml(local(entry.title, locale))}`),
      ];
    }
    case "ag":
      return [
        heading(sectionTitle("ag", t)),
        escapeHtml(local(briefing.agreements.summary, locale)),
        ...briefing.agreements.items.map((item) => `${bold(local(item.title, locale))}\n${escapeHtml(local(item.text, locale))}`),
      ];
    case "sc": {
      const sector = briefing.sectors.find((entry) => entry.id === ref.itemId);
      if (sector) {
        return [
          heading(local(sector.title, locale)),
          escapeHtml(local(sector.summary, locale)),
          sector.details.map((detail) => `• ${escapeHtml(local(detail, locale))}`).join("\n"),
        ];
      }
      return [
        heading(sectionTitle("sc", t)),
        ...briefing.sectors.map(
          (entry, index) => `${index + 1}. ${bold(local(entry.title, locale))}\n${escapeHtml(local(entry.summary, locale))}`,
        ),
      ];
    }
    case "qt": {
      const quote = briefing.quotes.find((entry) => entry.id === ref.itemId);
      if (quote) return quoteBlocks(quote, options);
      return [
        heading(sectionTitle("qt", t)),
        ...(locale === "kk" && options.script !== undefined && options.script !== "cyrl"
          ? [italic(transliterationNote(t, options.script))]
          : []),
        ...briefing.quotes.map(
          (entry, index) => `${index + 1}. ${bold(local(entry.speaker, locale))}: «${escapeHtml(quoteExcerpt(quoteText(entry, locale)))}»`,
        ),
      ];
    }
    case "fg":
      return [
        heading(sectionTitle("fg", t)),
        ...briefing.figures.map((figure) => `${bold(local(figure.value, locale))} — ${escapeHtml(local(figure.label, locale))}`),
      ];
    case "pr":
      return [
        heading(sectionTitle("pr", t)),
        escapeHtml(local(briefing.priorities.intro, locale)),
        briefing.priorities.items.map((item, index) => `${index + 1}. ${escapeHtml(local(item, locale))}`).join("\n"),
      ];
    case "ol":
      return [heading(sectionTitle("ol", t)), escapeHtml(local(briefing.outlook.text, locale))];
    case "ab":
      return [heading(sectionTitle("ab", t)), ...aboutParagraphs(briefing, options).map(escapeHtml)];
  }
}

/** What the "about" section says (plain text): where the briefing comes from, and how it is made. */
export function aboutParagraphs(briefing: Briefing, { locale, t }: Pick<RenderOptions, "locale" | "t">): string[] {
  const author = briefing.source.author ? local(briefing.source.author, locale) : briefing.source.name;
  const date = formatDate(briefing.source.date, t, "date-locative");
  return [t("about-text", { source: briefing.source.name, author, date }), t("about-method")];
}

type QuoteItem = Briefing["quotes"][number];

function quoteText(quote: QuoteItem, locale: Locale): string {
  return locale === "kk" ? quote.textKk : quote.translationRu;
}

/** What a quote in another script than its own says it is: a transliteration from the Cyrillic into that script. */
export function transliterationNote(t: Translate, script: Exclude<Script, "cyrl">): string {
  return script === "arab" ? t("quote-transliteration-note-arab") : t("quote-transliteration-note");
}

function quoteBlocks(quote: QuoteItem, { locale, t, script }: RenderOptions): string[] {
  const speaker = `— ${bold(local(quote.speaker, locale))}, ${escapeHtml(local(quote.role, locale))}`;
  const context = quote.context ? [italic(local(quote.context, locale))] : [];
  if (locale === "kk") {
    // In Latin or the Arabic script the verbatim quote is a transliteration, and says so; its Cyrillic original is a
    // button away.
    const note = script !== undefined && script !== "cyrl" ? `\n${italic(transliterationNote(t, script))}` : "";
    return [bold(t("section-quotes")), ...context, `<blockquote>${escapeHtml(quote.textKk)}</blockquote>${note}\n${speaker}`];
  }
  // Quotes stay verbatim in Kazakh; the Russian text is ours and says so.
  return [
    bold(t("section-quotes")),
    ...context,
    `<blockquote>${escapeHtml(quote.translationRu)}</blockquote>\n${italic(t("quote-translation-note"))}\n${speaker}`,
    `${escapeHtml(t("quote-original-label"))}\n<blockquote expandable>${escapeHtml(quote.textKk)}</blockquote>`,
  ];
}

/** How long a quote may be in the list of quotes; the whole quote is one button away. */
const QUOTE_EXCERPT_CHARS = 220;
/** Where a sentence ends: its closing mark, with any closing quotation mark after it. */
const SENTENCE = /[^.!?…]+[.!?…]+[»”"]?(?:\s+|$)|[^.!?…]+$/g;
/** Clause boundaries, strongest first: a cut there leaves a clause whole. */
const CLAUSE_ENDS = [/[;:](?=\s)/g, /\s[–—](?=\s)/g, /,(?=\s)/g];

/**
 * A quote as the list shows it: whole sentences while they fit, so that a cut never leaves a sentence (and its
 * meaning) half said. A first sentence too long for the list is cut at its last clause boundary that fits — a
 * semicolon, colon or dash before a comma — and the cut is marked with "…"; never inside a clause.
 */
export function quoteExcerpt(text: string, limit = QUOTE_EXCERPT_CHARS): string {
  if (text.length <= limit) return text;
  const sentences = text.match(SENTENCE) ?? [text];
  let kept = "";
  for (const sentence of sentences) {
    if ((kept + sentence).trimEnd().length > limit) break;
    kept += sentence;
  }
  if (kept !== "") return `${kept.trimEnd()} …`;
  const first = sentences[0];
  for (const boundary of CLAUSE_ENDS) {
    const cuts = [...first.slice(0, limit).matchAll(boundary)].map((match) => match.index);
    const cut = cuts.at(-1);
    if (cut !== undefined && cut > 0) return `${first.slice(0, cut).trimEnd()}…`;
  }
  return `${first.slice(0, limit).replace(/\s+\S*$/, "")}…`;
}

function itemLabel(briefing: Briefing, section: ListSectionKey, itemId: string, options: RenderOptions): string {
  const { locale, t } = options;
  switch (section) {
    case "tl": {
      const day = briefing.timeline.find((entry) => entry.id === itemId)!;
      return formatDate(day.date, t);
    }
    case "sc":
      return local(briefing.sectors.find((entry) => entry.id === itemId)!.title, locale);
    case "qt": {
      const index = briefing.quotes.findIndex((entry) => entry.id === itemId);
      return t("quote-button", { number: index + 1 });
    }
  }
}

/** The button to the main menu of the newest briefing, under messages that are no screen of the briefing. */
export function mainMenuRow(briefingId: string, t: Translate): Button[] {
  return [InlineKeyboard.text(`🏠 ${t("section-home")}`, go({ briefingId, section: "home" }))];
}

/** A message's keyboard with only the button to the main menu. */
export const mainMenuKeyboard = (briefingId: string, t: Translate) => InlineKeyboard.from([mainMenuRow(briefingId, t)]);

export type NavigationExtras = {
  /** Rows added above Back/Home, e.g. the Share button. */
  extraRows?: InlineKeyboardButton[][];
  /** Show the "all visits" button when more than one briefing exists. */
  hasOtherVisits?: boolean;
  /** Offer the whole briefing in one rich message on the main menu (when the server has rich messages). */
  fullBriefing?: boolean;
};

type Button = InlineKeyboardButton;

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let index = 0; index < items.length; index += size) rows.push(items.slice(index, index + size));
  return rows;
}

export function sectionKeyboard(
  briefing: Briefing,
  ref: SectionRef,
  options: RenderOptions,
  extras: NavigationExtras = {},
): InlineKeyboard {
  const { t } = options;
  const at = (section: SectionKey, itemId?: string): SectionRef =>
    itemId === undefined ? { briefingId: briefing.id, section } : { briefingId: briefing.id, section, itemId };
  const button = (text: string, target: SectionRef): Button => InlineKeyboard.text(text, go(target));
  const columns = options.compact ? 3 : 2;
  const rows: Button[][] = [];

  if (ref.section === "home") {
    rows.push(
      ...chunk(
        MENU_SECTIONS.map((section) => button(sectionTitle(section, t), at(section))),
        columns,
      ),
    );
    if (extras.fullBriefing)
      rows.push([InlineKeyboard.text(t("button-full-briefing"), encodeCallback({ kind: "full", briefingId: briefing.id }))]);
    const settingsRow = [InlineKeyboard.text(t("button-language"), encodeCallback({ kind: "languageMenu" }))];
    if (extras.hasOtherVisits) settingsRow.push(InlineKeyboard.text(t("button-visits"), encodeCallback({ kind: "visits" })));
    rows.push(settingsRow, ...(extras.extraRows ?? []));
    return InlineKeyboard.from(rows);
  }

  if (isListSection(ref.section)) {
    const section = ref.section;
    const items = listItems(briefing, section);
    const index = items.findIndex((item) => item.id === ref.itemId);
    if (index === -1) {
      const entries = items.map((item) => button(itemLabel(briefing, section, item.id, options), at(section, item.id)));
      rows.push(...chunk(entries, columns));
    } else {
      const previous = items[(index - 1 + items.length) % items.length]!;
      const next = items[(index + 1) % items.length]!;
      // At the ends the list wraps around, and the buttons say where they lead.
      const first = index === 0;
      const last = index === items.length - 1;
      rows.push([
        button(`◀ ${t(first ? "button-to-last" : "button-previous")}`, at(section, previous.id)),
        button(`${index + 1}/${items.length}`, at(section)),
        button(`${t(last ? "button-to-first" : "button-next")} ▶`, at(section, next.id)),
      ]);
    }
  }

  rows.push(...copyRows(briefing, ref, options), ...(extras.extraRows ?? []));
  const back = ref.itemId !== undefined ? at(ref.section) : at("home");
  rows.push([button(`⬅ ${t("button-back")}`, back), button(`🏠 ${t("button-home")}`, at("home"))]);
  return InlineKeyboard.from(rows);
}

export function renderSection(briefing: Briefing, ref: SectionRef, options: RenderOptions, extras: NavigationExtras = {}): Rendered {
  return {
    text: joinBlocks(sectionBlocks(briefing, ref, options), sourceLine(briefing, options)),
    keyboard: sectionKeyboard(briefing, ref, options, extras),
  };
}
