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

/** Dates used by digests: an item is "new" for a chat when published or updated after its previous digest. */
const dated = {
  publishedAt: isoDate,
  updatedAt: isoDate.optional(),
};

export const sourceSchema = z.object({
  name: z.string().min(1),
  date: isoDate,
  url: z.url().optional(),
  author: localizedText.optional(),
  language: z.enum(LOCALES),
});

export const timelineDaySchema = z.object({
  id: shortId,
  date: isoDate,
  title: localizedText,
  text: localizedText,
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

export const briefingSchema = z.object({
  id: shortId,
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
export type TimelineDay = z.infer<typeof timelineDaySchema>;
export type Agreement = z.infer<typeof agreementSchema>;
export type Sector = z.infer<typeof sectorSchema>;
export type Quote = z.infer<typeof quoteSchema>;
export type Figure = z.infer<typeof figureSchema>;
