import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifyApiFailure, classifySendError, isUneditable, type ApiFailure } from "../src/telegram/send-errors.js";

/** What grammY throws when Telegram answers `ok: false` to a call. */
const apiError = (failure: ApiFailure, method = "sendMessage") =>
  new GrammyError(`Call to '${method}' failed! (${failure.error_code}: ${failure.description})`, { ok: false, ...failure }, method, {
    chat_id: 42,
    text: "hello",
  });

/** What grammY throws when the request never got an answer. */
const networkError = () => new HttpError("Network request for 'sendMessage' failed!", new Error("connect ECONNREFUSED 127.0.0.1:443"));

/** Telegram's answers as it words them, and the class each one is. */
const ANSWERS: [string, ApiFailure, ReturnType<typeof classifyApiFailure>][] = [
  [
    "flood: 429 with retry_after",
    { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } },
    { kind: "flood", retryAfter: 7 },
  ],
  [
    "migrated: 400 with migrate_to_chat_id",
    {
      error_code: 400,
      description: "Bad Request: group chat was upgraded to a supergroup chat",
      parameters: { migrate_to_chat_id: -1001234567890 },
    },
    { kind: "migrated", toChatId: -1001234567890 },
  ],
  [
    "gone/blocked: 403 blocked by the user",
    { error_code: 403, description: "Forbidden: bot was blocked by the user" },
    { kind: "gone", reason: "blocked" },
  ],
  [
    "gone/removed: 403 kicked from the group",
    { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
    { kind: "gone", reason: "removed" },
  ],
  [
    "gone/removed: 403 kicked from the supergroup",
    { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" },
    { kind: "gone", reason: "removed" },
  ],
  [
    "gone/removed: 403 not a member of the channel",
    { error_code: 403, description: "Forbidden: bot is not a member of the channel chat" },
    { kind: "gone", reason: "removed" },
  ],
  [
    "gone/chat_not_found: 403 user is deactivated",
    { error_code: 403, description: "Forbidden: user is deactivated" },
    { kind: "gone", reason: "chat_not_found" },
  ],
  [
    "gone/chat_not_found: 400 chat not found",
    { error_code: 400, description: "Bad Request: chat not found" },
    { kind: "gone", reason: "chat_not_found" },
  ],
  [
    "gone/chat_not_found: 400 PEER_ID_INVALID",
    { error_code: 400, description: "Bad Request: PEER_ID_INVALID" },
    { kind: "gone", reason: "chat_not_found" },
  ],
  [
    "gone/chat_not_found: 400 group chat was deactivated",
    { error_code: 400, description: "Bad Request: group chat was deactivated" },
    { kind: "gone", reason: "chat_not_found" },
  ],
  [
    "topic gone/deleted: 400 message thread not found",
    { error_code: 400, description: "Bad Request: message thread not found" },
    { kind: "topic gone", reason: "topic_deleted" },
  ],
  [
    "topic gone/deleted: 400 TOPIC_DELETED",
    { error_code: 400, description: "Bad Request: TOPIC_DELETED" },
    { kind: "topic gone", reason: "topic_deleted" },
  ],
  [
    "topic gone/closed: 400 TOPIC_CLOSED",
    { error_code: 400, description: "Bad Request: TOPIC_CLOSED" },
    { kind: "topic gone", reason: "topic_closed" },
  ],
  ["other: 400 another bad request", { error_code: 400, description: "Bad Request: message text is empty" }, { kind: "other" }],
  [
    "other: 400 can't parse entities",
    { error_code: 400, description: "Bad Request: can't parse entities: Unexpected end tag at byte offset 12" },
    { kind: "other" },
  ],
  ["other: 500 server error", { error_code: 500, description: "Internal Server Error" }, { kind: "other" }],
  ["other: 502 bad gateway", { error_code: 502, description: "Bad Gateway" }, { kind: "other" }],
  // Without retry_after there is nothing to wait for: a bounded retry, like any other failure.
  ["other: 429 without retry_after", { error_code: 429, description: "Too Many Requests" }, { kind: "other" }],
];

describe("classification of Bot API send failures", () => {
  it.each(ANSWERS)("%s (raw answer)", (_name, answer, expected) => {
    expect(classifyApiFailure(answer)).toEqual(expected);
  });

  it.each(ANSWERS)("%s (thrown GrammyError)", (_name, answer, expected) => {
    expect(classifySendError(apiError(answer))).toEqual(expected);
  });

  it("migrate_to_chat_id decides, whatever the description says", () => {
    expect(
      classifyApiFailure({ error_code: 400, description: "Bad Request: chat not found", parameters: { migrate_to_chat_id: -100777 } }),
    ).toEqual({
      kind: "migrated",
      toChatId: -100777,
    });
  });

  it("a description's case does not matter", () => {
    expect(classifyApiFailure({ error_code: 403, description: "FORBIDDEN: BOT WAS BLOCKED BY THE USER" })).toEqual({
      kind: "gone",
      reason: "blocked",
    });
    expect(classifyApiFailure({ error_code: 400, description: "Bad Request: Chat Not Found" })).toEqual({
      kind: "gone",
      reason: "chat_not_found",
    });
  });

  it("other: a network failure (HttpError) and anything that is not a Bot API answer", () => {
    expect(classifySendError(networkError())).toEqual({ kind: "other" });
    expect(classifySendError(new Error("socket hang up"))).toEqual({ kind: "other" });
    expect(classifySendError("boom")).toEqual({ kind: "other" });
    expect(classifySendError(undefined)).toEqual({ kind: "other" });
  });
});

describe("isUneditable", () => {
  it.each([
    "Bad Request: message to edit not found",
    "Bad Request: message can't be edited",
    "Bad Request: MESSAGE_ID_INVALID",
    "Bad Request: there is no text in the message to edit",
  ])("400 %s: send a new message instead", (description) => {
    expect(isUneditable(apiError({ error_code: 400, description }, "editMessageText"))).toBe(true);
  });

  it.each([
    [
      "400 message is not modified",
      {
        error_code: 400,
        description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
      },
    ],
    ["400 another bad request", { error_code: 400, description: "Bad Request: message text is empty" }],
    ["403 blocked", { error_code: 403, description: "Forbidden: bot was blocked by the user" }],
    ["429 flood", { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } }],
  ] as [string, ApiFailure][])("%s: not a reason to send anew", (_name, answer) => {
    expect(isUneditable(apiError(answer, "editMessageText"))).toBe(false);
  });

  it("only Bot API answers count: a network failure or a plain error is not 'uneditable'", () => {
    expect(isUneditable(networkError())).toBe(false);
    expect(isUneditable(new Error("Bad Request: message to edit not found"))).toBe(false);
  });
});
