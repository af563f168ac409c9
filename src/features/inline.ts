import { InlineKeyboard, InlineQueryResultBuilder, type Filter } from "grammy";
import { FeatureComposer } from "../bot/composer.js";
import { boundedCache } from "../shared/bounded-cache.js";
import type { InlineQueryResult } from "grammy/types";
import type { LRUCache } from "lru-cache";
import type { BotContext } from "../bot/context.js";
import type { Edition } from "../bot/edition.js";
import type { ContentLibrary } from "../content/library.js";
import type { Deps } from "../bot/deps.js";
import type { FeatureFactory } from "../bot/feature.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import { escapeHtml } from "../render/format.js";
import { cardDocument } from "../render/rich-briefing.js";
import { richMessage, toRichHtml } from "../render/rich-html.js";
import { renderShareableCard } from "../render/share-card.js";
import { inScript } from "../render/script.js";
import type { Locale, Script } from "../shared/locale.js";
import { keepAsWritten, toReaderScript } from "../shared/script.js";
import { payloadToRef, refExists, refToPayload, type SectionRef } from "../render/refs.js";

export const INLINE_PAGE_SIZE = 10;
/** Telegram's limit on results in one answer. */
const MAX_RESULTS = 50;
const CACHE_SECONDS = 300;
/**
 * Inline results kept built: every card of the content in each language and script, with and without the
 * other-language label.
 */
const MAX_BUILT_RESULTS = 2000;
/** Answer pages kept built, as many as the search keeps results (decision 0010): one per query, reader and offset. */
const MAX_BUILT_PAGES = 1000;
/** Telegram truncates inline queries at 256 characters; anything longer is not from Telegram. */
const MAX_QUERY_CHARS = 256;
/** Cards on one page of an inline answer. */
const PAGE_SIZE = Math.min(INLINE_PAGE_SIZE, MAX_RESULTS);

type Found = { ref: SectionRef; locale: Locale; otherLanguage: boolean };

/** The top result's twin: the same card in the other language, so that a mixed group can be given either. */
function withTwin(found: Found[]): Found[] {
  const [top, ...rest] = found;
  if (!top) return found;
  const twin: Found = { ref: top.ref, locale: top.locale === "kk" ? "ru" : "kk", otherLanguage: !top.otherLanguage };
  return [top, twin, ...rest];
}

/** What an empty query offers: the briefing's main cards. */
function topCards(library: ContentLibrary, locale: Locale): Found[] {
  const briefing = library.latest;
  const at = (section: SectionRef["section"], itemId?: string): Found => ({
    ref: itemId ? { briefingId: briefing.id, section, itemId } : { briefingId: briefing.id, section },
    locale,
    otherLanguage: false,
  });
  return [at("ov"), at("tl"), at("ag"), ...briefing.sectors.map((sector) => at("sc", sector.id)), at("qt"), at("fg")];
}

/** The cards a query finds, best first. */
function find({ library, search }: Edition, query: string, locale: Locale): Found[] {
  const trimmed = query.trim().slice(0, MAX_QUERY_CHARS);
  if (trimmed === "") return topCards(library, locale);
  // A shared card's query is its id: that card comes first.
  const exact = payloadToRef(trimmed);
  const exactBriefing = exact && library.get(exact.briefingId);
  if (exact && exactBriefing && refExists(exactBriefing, exact)) return [{ ref: exact, locale, otherLanguage: false }];
  return search.find(trimmed, locale).map((hit) => ({
    ref: hit.ref,
    locale: hit.card.locale,
    otherLanguage: hit.inOtherLanguage,
  }));
}

/**
 * The inline result of a card. Results depend only on the content, the card's language, the label language and
 * whether the card is rich: each is built once per library, the rich card and its HTML fallback alike.
 */
function cardResults(translators: Deps["translators"]) {
  const builtFor = new WeakMap<ContentLibrary, LRUCache<string, InlineQueryResult>>();
  function result(
    library: ContentLibrary,
    ref: SectionRef,
    cardLocale: Locale,
    labelLocale: Locale | undefined,
    readerScript: Script,
    botUsername: string,
    rich: boolean,
  ): InlineQueryResult {
    let results = builtFor.get(library);
    if (!results) builtFor.set(library, (results = boundedCache(MAX_BUILT_RESULTS)));
    // A Kazakh card is in the reader's script; a Russian card is Cyrillic whoever asks.
    const script: Script = cardLocale === "kk" ? readerScript : "cyrl";
    const key = `${refToPayload(ref)}|${cardLocale}|${script}|${labelLocale ?? ""}|${readerScript}|${botUsername}|${rich ? "r" : "h"}`;
    const cached = results.get(key);
    if (cached) return cached;
    const briefing = library.get(ref.briefingId)!;
    const t = translators[cardLocale];
    const options = { locale: cardLocale, t, compact: true, script };
    const card = renderShareableCard(briefing, ref, options, botUsername);
    // The edge of inline mode: a Kazakh card is written in the reader's script here, title and description too.
    const text = rich ? toRichHtml(cardDocument(briefing, ref, options)) : card.text;
    const shown = inScript({ text, keyboard: card.keyboard }, script);
    // "[Русский]", "[Қазақша]": a language's own name, which no script rewrites, in the reader's language and script.
    const language = keepAsWritten(t("language-name"));
    const label = labelLocale && toReaderScript(translators[labelLocale]("inline-other-language", { language }), readerScript);
    const title = toReaderScript(card.title, script);
    const id = script === "cyrl" ? card.id : `${card.id}${script === "latn" ? "l" : "a"}`;
    const article = InlineQueryResultBuilder.article(id, label ? `${label} ${title}` : title, {
      description: toReaderScript(card.description, script),
      reply_markup: shown.keyboard,
    });
    const built = rich
      ? article.rich(richMessage(shown.text, script))
      : article.text(shown.text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    results.set(key, built);
    return built;
  }
  return result;
}
type CardResult = ReturnType<typeof cardResults>;

/** One page of an answer: its results, the next page's offset ("" for none), and whether nothing was found. */
type Page = { results: readonly InlineQueryResult[]; next: string; empty: boolean };

/** The page of an inline query starting at `start`, its cards rich or HTML. */
function page(ctx: Filter<BotContext, "inline_query">, result: CardResult, start: number, rich: boolean): Page {
  // Inline queries have no chat: the language is the person's stored choice, else their Telegram language.
  const locale = ctx.locale;
  const found = find(ctx.edition, ctx.inlineQuery.query, locale);
  const cards = found.slice(start, start + PAGE_SIZE);
  // The first page offers the top result's twin in the other language, right under it.
  const shown = start === 0 ? withTwin(cards) : cards;
  const results = shown.map(({ ref, locale: cardLocale, otherLanguage }) =>
    result(ctx.edition.library, ref, cardLocale, otherLanguage ? locale : undefined, ctx.script, ctx.me.username, rich),
  );
  return { results, next: start + PAGE_SIZE < found.length ? String(start + PAGE_SIZE) : "", empty: found.length === 0 };
}

/**
 * The pages of inline answers, each built once per library: a page depends only on the content, the query, the
 * reader's language and script, the offset and whether its cards are rich (people repeat queries, and Telegram sends
 * one per prefix typed).
 */
function pageCache() {
  const pagesFor = new WeakMap<ContentLibrary, LRUCache<string, Page>>();
  return (ctx: Filter<BotContext, "inline_query">, result: CardResult, start: number, rich: boolean): Page => {
    const { library } = ctx.edition;
    let pages = pagesFor.get(library);
    if (!pages) pagesFor.set(library, (pages = boundedCache(MAX_BUILT_PAGES)));
    const query = ctx.inlineQuery.query;
    // Queries past Telegram's length are not from Telegram: answered, never kept.
    if (query.length > MAX_QUERY_CHARS) return page(ctx, result, start, rich);
    const key = `${ctx.locale}|${ctx.script}|${start}|${ctx.me.username}|${rich ? "r" : "h"}|${query}`;
    let built = pages.get(key);
    if (!built) pages.set(key, (built = page(ctx, result, start, rich)));
    return built;
  };
}
type CachedPage = ReturnType<typeof pageCache>;

/** An inline query: a page of cards, rich while the server has rich messages. */
async function answerInlineQuery(
  ctx: Filter<BotContext, "inline_query">,
  parts: { result: CardResult; cachedPage: CachedPage; capabilities: ApiCapabilities },
): Promise<void> {
  const offset = Number.parseInt(ctx.inlineQuery.offset, 10);
  const start = Number.isFinite(offset) && offset > 0 ? offset : 0;
  const answerWith = (rich: boolean) => {
    const { results, next, empty } = parts.cachedPage(ctx, parts.result, start, rich);
    return ctx.answerInlineQuery(results, {
      cache_time: CACHE_SECONDS,
      // The language came from this person: other people typing the same query may need other cards.
      is_personal: ctx.localeKnown,
      next_offset: next,
      ...(empty ? { button: { text: ctx.t("inline-open-bot"), start_parameter: "inline" } } : {}),
    });
  };
  // Rich cards while the server has them; refused, the same query is answered at once with the HTML cards.
  await parts.capabilities.attempt(
    "rich_messages",
    () => answerWith(true),
    () => answerWith(false),
  );
}

/**
 * Guest mode: "@bot query" written in a chat the bot is not a member of arrives as a guest message, answered with one
 * card (answerGuestQuery takes a single result): the one inline mode would offer first, in the writer's language.
 */
async function answerGuestMessage(
  ctx: Filter<BotContext, "guest_message">,
  result: CardResult,
  capabilities: ApiCapabilities,
): Promise<void> {
  const queryId = ctx.guestMessage.guest_query_id;
  if (!queryId) return;
  const query = withoutMentionOf(ctx.guestMessage.text ?? ctx.guestMessage.caption ?? "", ctx.me.username);
  const [best] = find(ctx.edition, query, ctx.locale);
  if (!best) return void (await ctx.api.answerGuestQuery(queryId, nothingFound(ctx)));
  const answerWith = (rich: boolean) =>
    ctx.api.answerGuestQuery(queryId, result(ctx.edition.library, best.ref, best.locale, undefined, ctx.script, ctx.me.username, rich));
  await capabilities.attempt(
    "rich_messages",
    () => answerWith(true),
    () => answerWith(false),
  );
}

/**
 * Inline mode: `@bot query` in any chat offers briefing cards to post there, a page at a time: rich cards (heading,
 * text, source footer) while the server has rich messages, else today's HTML cards.
 */
export const inlineFeature: FeatureFactory = ({ translators, capabilities }) => {
  const composer = new FeatureComposer<BotContext>();
  const result = cardResults(translators);
  const cachedPage = pageCache();
  composer.on("inline_query", (ctx) => answerInlineQuery(ctx, { result, cachedPage, capabilities }));
  composer.on("guest_message", (ctx) => answerGuestMessage(ctx, result, capabilities));
  return { composer };
};

/** The query of a guest message: its text without the mention of this bot that summoned it. */
function withoutMentionOf(text: string, botUsername: string): string {
  const mention = new RegExp(`(^|\\s)@${botUsername}\\b`, "gi");
  return text.replace(mention, " ").trim();
}

/** A guest query that finds no card: says so, and opens the bot where the menu is. */
function nothingFound(ctx: BotContext): InlineQueryResult {
  return InlineQueryResultBuilder.article("nothing", ctx.t("guest-nothing-title"), {
    reply_markup: new InlineKeyboard().url(ctx.t("guest-open-bot"), `https://t.me/${ctx.me.username}`),
  }).text(escapeHtml(ctx.t("guest-nothing")), { parse_mode: "HTML" });
}
