import type { Briefing } from "../content/types.js";
import { LOCALES, type Locale, type Translate } from "../shared/locale.js";
import { MAX_CALLBACK_BYTES } from "./callback-data.js";
import { MAX_MESSAGE_CHARS, visibleLength } from "./format.js";
import { briefingRefs, refToPayload } from "./refs.js";
import { renderSection } from "./sections.js";

/** Every screen of a briefing, rendered in each language for private chats and groups, within Telegram's limits. */
export function checkRenderedLimits(briefing: Briefing, translators: Record<Locale, Translate>, otherVisits: boolean): string[] {
  const problems: string[] = [];
  for (const ref of briefingRefs(briefing).concat({ briefingId: briefing.id, section: "home" })) {
    const payload = refToPayload(ref);
    if (payload.length > 64 || !/^[A-Za-z0-9_-]+$/.test(payload)) problems.push(`${payload}: deep-link payload invalid`);
    for (const locale of LOCALES) {
      for (const compact of [false, true]) {
        const { text, keyboard } = renderSection(
          briefing,
          ref,
          { locale, t: translators[locale], compact },
          { hasOtherVisits: otherVisits },
        );
        const where = `${payload} (${locale}${compact ? ", group" : ""})`;
        if (visibleLength(text) > MAX_MESSAGE_CHARS)
          problems.push(`${where}: ${visibleLength(text)} characters, over ${MAX_MESSAGE_CHARS}`);
        if (text.includes("…\n\n<i>")) problems.push(`${where}: text had to be shortened to fit one message`);
        for (const button of keyboard.inline_keyboard.flat()) {
          if ("callback_data" in button && Buffer.byteLength(button.callback_data, "utf8") > MAX_CALLBACK_BYTES) {
            problems.push(`${where}: callback_data "${button.callback_data}" over ${MAX_CALLBACK_BYTES} bytes`);
          }
        }
      }
    }
  }
  return problems;
}
