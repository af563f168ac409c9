import { describe, expect, it } from "vitest";
import { bundledContent } from "../src/content/index.js";
import { decodeCallback, encodeCallback, MAX_CALLBACK_BYTES, type CallbackAction } from "../src/render/callback-data.js";
import { briefingRefs, payloadToRef, refToPayload } from "../src/render/refs.js";

const content = bundledContent();

const briefing = content.latest;

/**
 * Buttons already sent keep their data for as long as the messages exist, so the wire form of every action is fixed:
 * a change here breaks the buttons in people's chats.
 */
const WIRE: [CallbackAction, string][] = [
  [{ kind: "section", ref: { briefingId: "cn25", section: "home" } }, "v1:s:cn25:home"],
  [{ kind: "section", ref: { briefingId: "cn25", section: "sc", itemId: "energy" } }, "v1:s:cn25:sc:energy"],
  [{ kind: "language", language: "kk" }, "v1:l:kk"],
  [{ kind: "language", language: "ru", then: { briefingId: "cn25", section: "qt", itemId: "q1" } }, "v1:l:ru:cn25:qt:q1"],
  [{ kind: "language", language: "kk", script: "latn" }, "v1:l:kkl"],
  [{ kind: "language", language: "kk", script: "latn", then: { briefingId: "cn25", section: "ov" } }, "v1:l:kkl:cn25:ov"],
  [
    { kind: "view", ref: { briefingId: "cn25", section: "qt", itemId: "q1" }, reading: { locale: "ru", script: "cyrl" } },
    "v1:w:ru:cn25:qt:q1",
  ],
  [{ kind: "view", ref: { briefingId: "cn25", section: "ag" }, reading: { locale: "kk", script: "cyrl" } }, "v1:w:kk:cn25:ag"],
  [{ kind: "view", ref: { briefingId: "cn25", section: "ag" }, reading: { locale: "kk", script: "latn" } }, "v1:w:kkl:cn25:ag"],
  [{ kind: "languageMenu" }, "v1:l"],
  [{ kind: "visits" }, "v1:v"],
  [{ kind: "settings" }, "v1:g"],
  [{ kind: "settings", choice: { field: "language" } }, "v1:g:l"],
  [{ kind: "settings", choice: { field: "language", language: "kk" } }, "v1:g:l:kk"],
  [{ kind: "settings", choice: { field: "language", language: "kk", script: "latn" } }, "v1:g:l:kkl"],
  [{ kind: "settings", choice: { field: "frequency" } }, "v1:g:f"],
  [{ kind: "settings", choice: { field: "frequency", frequency: "daily" } }, "v1:g:f:d"],
  [{ kind: "settings", choice: { field: "frequency", frequency: "weekly" } }, "v1:g:f:w"],
  [{ kind: "settings", choice: { field: "frequency", frequency: "instant" } }, "v1:g:f:i"],
  [{ kind: "settings", choice: { field: "weekday", weekday: 3 } }, "v1:g:w:3"],
  [{ kind: "settings", choice: { field: "time" } }, "v1:g:t"],
  [{ kind: "settings", choice: { field: "time", minuteOfDay: 18 * 60 + 5 } }, "v1:g:t:1805"],
  [{ kind: "settings", choice: { field: "typeTime" } }, "v1:g:t:type"],
  [{ kind: "settings", choice: { field: "zone" } }, "v1:g:z"],
  [{ kind: "settings", choice: { field: "zone", preset: "cn" } }, "v1:g:z:cn"],
  [{ kind: "settings", choice: { field: "typeZone" } }, "v1:g:z:type"],
  [{ kind: "settings", choice: { field: "sectors" } }, "v1:g:s"],
  [{ kind: "settings", choice: { field: "sectors", sector: "agro" } }, "v1:g:s:agro"],
  [{ kind: "settings", choice: { field: "silent", silent: true } }, "v1:g:m:1"],
  [{ kind: "settings", choice: { field: "silent", silent: false } }, "v1:g:m:0"],
  [{ kind: "settings", choice: { field: "pause" } }, "v1:g:p"],
  [{ kind: "settings", choice: { field: "resume" } }, "v1:g:r"],
  [{ kind: "settings", choice: { field: "unsubscribe" } }, "v1:g:u"],
  [{ kind: "settings", choice: { field: "subscribe" } }, "v1:g:n"],
  [{ kind: "settings", choice: { field: "channel" } }, "v1:g:k"],
  [{ kind: "channel", chatId: -1001234567890 }, "v1:h:-1001234567890"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "frequency", frequency: "weekly" } }, "v1:h:-1001234567890:f:w"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "time", minuteOfDay: 7 * 60 } }, "v1:h:-1001234567890:t:0700"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "typeZone" } }, "v1:h:-1001234567890:z:type"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "sectors", sector: "transp" } }, "v1:h:-1001234567890:s:transp"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "language", language: "kk", script: "latn" } }, "v1:h:-1001234567890:l:kkl"],
  [{ kind: "channel", chatId: -1001234567890, choice: { field: "unsubscribe" } }, "v1:h:-1001234567890:u"],
  [{ kind: "dialog", answer: { step: "frequency", frequency: "weekly" } }, "v1:c:f:w"],
  [{ kind: "dialog", answer: { step: "frequency", frequency: "daily" } }, "v1:c:f:d"],
  [{ kind: "dialog", answer: { step: "frequency", frequency: "instant" } }, "v1:c:f:i"],
  [{ kind: "dialog", answer: { step: "weekday", weekday: 7 } }, "v1:c:w:7"],
  [{ kind: "dialog", answer: { step: "time", minuteOfDay: 9 * 60 } }, "v1:c:t:0900"],
  [{ kind: "dialog", answer: { step: "sector", sector: "transp" } }, "v1:c:s:transp"],
  [{ kind: "dialog", answer: { step: "silent", silent: true } }, "v1:c:m:1"],
  [{ kind: "dialog", answer: { step: "silent", silent: false } }, "v1:c:m:0"],
  [{ kind: "dialog", answer: { step: "ok" } }, "v1:c:ok"],
  [{ kind: "dialog", answer: { step: "cancel" } }, "v1:c:x"],
];

describe("callback data", () => {
  it.each(WIRE)("%o travels as %s and reads back as the same action", (action, wire) => {
    expect(encodeCallback(action)).toBe(wire);
    expect(decodeCallback(wire)).toEqual(action);
  });

  it("round-trips every ref of the briefing, as a button and as a deep-link payload", () => {
    for (const ref of briefingRefs(briefing)) {
      expect(decodeCallback(encodeCallback({ kind: "section", ref }))).toEqual({ kind: "section", ref });
      expect(payloadToRef(refToPayload(ref))).toEqual(ref);
    }
  });

  it.each([
    "",
    "v1",
    "v1:s",
    "v1:s:cn25",
    "v1:s:cn25:xx",
    "v1:s:CN25:home",
    "v2:s:cn25:home",
    "v1:l:en",
    "v1:l:rul",
    "v1:w",
    "v1:w:kk",
    "v1:w:en:cn25:ag",
    "v1:w:kk:cn25:xx",
    "v1:s:cn25:sc:a:b",
    "v1:s:" + "a".repeat(70),
    "v1:v:x",
    "v1:g:q",
    "v1:c:f:constructor",
    "v1:g:t:1800:x",
    "v1:c",
    "v1:c:f",
    "v1:c:w:9",
    "v1:c:t:type",
    "v1:c:ok:1",
    "v1:c:m",
    "v1:c:m:2",
    "v1:c:zz",
    "v1:h",
    "v1:h:1001234567890",
    "v1:h:-0",
    "v1:h:-12a",
    "v1:h:-99999999999999999",
    "v1:h:-1001234567890:q",
    "v1:h:-1001234567890:t:1800:x",
  ])("rejects %j, which no button of ours carries", (forged) => {
    expect(decodeCallback(forged)).toBeUndefined();
  });

  it.each([
    "v1:g:l:en",
    "v1:g:f:m",
    "v1:g:f:instant",
    "v1:g:w",
    "v1:g:w:0",
    "v1:g:w:8",
    "v1:g:t:2400",
    "v1:g:t:0960",
    "v1:g:z:mars",
    "v1:g:s:BAD",
    "v1:g:p:1",
    "v1:g:k:1",
    "v1:g:m",
    "v1:g:m:yes",
  ])("reads %j, a settings field with a value that means nothing, as a stale settings button", (data) => {
    expect(decodeCallback(data)).toEqual({ kind: "settings", choice: { field: "stale" } });
  });

  it("keeps the longest new buttons within 64 bytes", () => {
    const longest = { briefingId: "a".repeat(8), section: "qt" as const, itemId: "b".repeat(8) };
    expect(
      Buffer.byteLength(encodeCallback({ kind: "view", ref: longest, reading: { locale: "kk", script: "latn" } })),
    ).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(encodeCallback({ kind: "language", language: "kk", script: "latn", then: longest }))).toBeLessThanOrEqual(64);
    // The longest channel id Telegram uses (-100 and 13 digits) with the longest settings value.
    const channel = -1009999999999999;
    expect(
      Buffer.byteLength(encodeCallback({ kind: "channel", chatId: channel, choice: { field: "sectors", sector: "a".repeat(8) } })),
    ).toBeLessThanOrEqual(64);
    expect(decodeCallback(encodeCallback({ kind: "channel", chatId: channel, choice: { field: "typeTime" } }))).toEqual({
      kind: "channel",
      chatId: channel,
      choice: { field: "typeTime" },
    });
  });

  it("refuses to build data over Telegram's 64 bytes", () => {
    const long = "x".repeat(MAX_CALLBACK_BYTES);
    expect(() => encodeCallback({ kind: "dialog", answer: { step: "sector", sector: long } })).toThrow(/64 bytes/);
  });
});
