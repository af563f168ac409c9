import type { Briefing } from "../content/types.js";

/** The sections of a briefing a person can open. Keys are short because they travel in callback data. */
export const SECTION_KEYS = ["home", "ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol", "ab"] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** Sections that are lists: the bare key opens the list, an item id opens one entry with previous/next. */
export const LIST_SECTIONS = ["tl", "sc", "qt"] as const;
export type ListSectionKey = (typeof LIST_SECTIONS)[number];

export type SectionRef = { briefingId: string; section: SectionKey; itemId?: string };

export function isSectionKey(value: string): value is SectionKey {
  return (SECTION_KEYS as readonly string[]).includes(value);
}

export function isListSection(section: SectionKey): section is ListSectionKey {
  return (LIST_SECTIONS as readonly string[]).includes(section);
}

export function listItems(briefing: Briefing, section: ListSectionKey): { id: string }[] {
  switch (section) {
    case "tl":
      return briefing.timeline;
    case "sc":
      return briefing.sectors;
    case "qt":
      return briefing.quotes;
  }
}

/** A ref is valid when its briefing has that section and, for list entries, that item. */
export function refExists(briefing: Briefing, ref: SectionRef): boolean {
  if (ref.briefingId !== briefing.id) return false;
  if (ref.itemId === undefined) return true;
  return isListSection(ref.section) && listItems(briefing, ref.section).some((item) => item.id === ref.itemId);
}

/** Deep-link payloads allow only [A-Za-z0-9_-], up to 64 characters. */
export function refToPayload(ref: SectionRef): string {
  return [ref.briefingId, ref.section, ref.itemId].filter(Boolean).join("-");
}

export function payloadToRef(payload: string): SectionRef | undefined {
  const match = /^([a-z0-9]{1,8})-([a-z]{2,4})(?:-([a-z0-9]{1,8}))?$/.exec(payload.trim());
  if (!match) return undefined;
  const [, briefingId, section, itemId] = match;
  if (!briefingId || !section || !isSectionKey(section)) return undefined;
  return itemId ? { briefingId, section, itemId } : { briefingId, section };
}

/** Every place in a briefing a person can open directly: its sections and each entry of its lists. */
export function briefingRefs(briefing: Briefing): SectionRef[] {
  const sections: SectionKey[] = ["ov", "tl", "ag", "sc", "qt", "fg", "pr", "ol", "ab"];
  return sections.flatMap((section) => {
    const ref: SectionRef = { briefingId: briefing.id, section };
    if (!isListSection(section)) return [ref];
    return [ref, ...listItems(briefing, section).map((item) => ({ ...ref, itemId: item.id }))];
  });
}
