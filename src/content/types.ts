import { z } from "zod";
import { LOCALES } from "../shared/locale.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
/** Ids end up in callback data and deep links, so they stay short and ASCII. */
const shortId = z.string().regex(/^[a-z0-9]{1,8}$/, "ids are 1-8 lowercase latin letters or digits");

export const localizedText = z.object({
  kk: z.string().trim().min(1),
  ru: z.string().trim().min(1),
});
export type LocalizedText = z.infer<typeof localizedText>;

/**
 * When an item was published or last corrected: a date ("2025-09-05") or a moment in UTC ("2025-09-05T14:30:00Z",
 * an offset such as +05:00 is converted to UTC). Revisions compare as text, and a moment sorts after its own date,
 * so two corrections on one day are two changes when each carries its time.
 */
const revision = z.union([
  isoDate,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/, "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z (or an offset)")
    .refine((text) => !Number.isNaN(Date.parse(text)), "is not a real moment")
    .transform((text) => new Date(text).toISOString().replace(/\.\d{3}Z$/, "Z")),
]);

/** Revisions used by digests: an item is "new" for a chat when published or updated after its previous digest. */
const dated = {
  publishedAt: revision,
  updatedAt: revision.optional(),
};

export const sourceSchema = z.object({
  name: z.string().min(1),
  date: isoDate,
  url: z.url().optional(),
  author: localizedText.optional(),
  language: z.enum(LOCALES),
});

/**
 * Where a day took place, shown as a map (<tg-map>) in the whole briefing: the centre in degrees, a zoom level (the
 * 0–24 Telegram takes) and a caption per language naming the place as the source does.
 */
export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  long: z.number().min(-180).max(180),
  zoom: z.number().int().min(0).max(24),
  caption: localizedText,
});

export const timelineDaySchema = z.object({
  id: shortId,
  date: isoDate,
  title: localizedText,
  text: localizedText,
  location: locationSchema.optional(),
  ...dated,
});

export const agreementSchema = z.object({
  id: shortId,
  title: localizedText,
  text: localizedText,
  ...dated,
});

export const sectorSchema = z.object({
  id: shortId,
  /** The topic subscribers choose this sector by (content/topics.yaml). */
  topic: shortId,
  title: localizedText,
  summary: localizedText,
  details: z.array(localizedText).min(1),
  ...dated,
});

export const quoteSchema = z.object({
  id: shortId,
  speaker: localizedText,
  role: localizedText,
  /** Verbatim from the Kazakh source. */
  textKk: z.string().trim().min(1),
  /** Our Russian rendering; always shown marked as a translation. */
  translationRu: z.string().trim().min(1),
  context: localizedText.optional(),
  ...dated,
});

export const figureSchema = z.object({
  id: shortId,
  value: localizedText,
  label: localizedText,
  ...dated,
});

/** A draft is read only by operators (/preview); readers, inline results and digests see published briefings. */
export const BRIEFING_STATUSES = ["draft", "published"] as const;

export const briefingSchema = z.object({
  id: shortId,
  status: z.enum(BRIEFING_STATUSES),
  title: localizedText,
  shortTitle: localizedText,
  dates: z.object({ start: isoDate, end: isoDate, label: localizedText }),
  place: localizedText,
  source: sourceSchema,
  overview: z.object({ text: localizedText, ...dated }),
  timeline: z.array(timelineDaySchema).min(1),
  agreements: z.object({ summary: localizedText, items: z.array(agreementSchema).min(1), ...dated }),
  sectors: z.array(sectorSchema).min(1),
  quotes: z.array(quoteSchema).min(1),
  figures: z.array(figureSchema).min(1),
  priorities: z.object({ intro: localizedText, items: z.array(localizedText).min(1), ...dated }),
  outlook: z.object({ text: localizedText, ...dated }),
  ...dated,
});

export type Briefing = z.infer<typeof briefingSchema>;

/** What subscribers choose digests by, shared by every visit: each visit's sectors point to one. */
export const topicSchema = z.object({ id: shortId, title: localizedText });
export const topicsFileSchema = z.object({ topics: z.array(topicSchema).min(1) });
export type Topic = z.infer<typeof topicSchema>;

/**
 * Names of one thing in several languages and scripts, which search treats as one ("ШЫҰ", "ШОС", "SCO"): each a name
 * or term the briefings use (GLOSSARY), or its usual form in another language. `npm run content:check` refuses a name
 * listed twice and a group none of whose names occurs in a briefing.
 */
export const aliasGroupSchema = z.array(z.string().trim().min(1, "a name cannot be empty")).min(2, "a group needs at least two names");
export const aliasesFileSchema = z.object({ aliases: z.array(aliasGroupSchema) });
export type TimelineDay = z.infer<typeof timelineDaySchema>;
export type Agreement = z.infer<typeof agreementSchema>;
export type Sector = z.infer<typeof sectorSchema>;
export type Quote = z.infer<typeof quoteSchema>;
export type Figure = z.infer<typeof figureSchema>;
