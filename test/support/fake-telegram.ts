/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment --
   Bot API payloads are arbitrary JSON that tests drill into (call.payload.reply_markup.inline_keyboard…): `any` is the type of that JSON here. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LRUCache } from "lru-cache";
import { checkRichHtml, type RichProblem } from "../../src/render/rich-limits.js";

/** One Bot API request the bot made. */
export type Call = { method: string; token: string; payload: Record<string, any>; at: number };

export type ApiErrorSpec = {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};

/** `message_thread_id`: the forum topic the message was sent to, if any. */
type StoredMessage = {
  message_id: number;
  chat_id: number;
  message_thread_id?: number;
  text?: string;
  /** A rich message's HTML, as the bot sent it (sendRichMessage, or editMessageText with rich_message). */
  rich_html?: string;
  reply_markup?: unknown;
  date: number;
  /** An ephemeral message (message_id 0): its id in the chat, and the one member who sees it. */
  ephemeral_message_id?: number;
  receiver_user_id?: number;
};
type Failure = { method: string; error: ApiErrorSpec; times: number; when?: (payload: Record<string, any>) => boolean };
export type RateLimitsOfFake = {
  perSecond: number;
  perGroupPerMinute?: number;
  privateChatBurst?: number;
  retryAfter?: number;
  /** Paid broadcasts (allow_paid_broadcast): all messages together up to this many a second, the free ones within perSecond. */
  paidPerSecond?: number;
};
type Waiter = { predicate: (call: Call) => boolean; resolve: (call: Call) => void };

export type FakeTelegram = {
  apiRoot: string;
  calls: Call[];
  callsTo(method: string): Call[];
  lastCall(method: string): Call | undefined;
  waitFor(predicate: (call: Call) => boolean, timeoutMs?: number): Promise<Call>;
  reset(): void;
  messages(chatId: number): StoredMessage[];
  failNext(method: string, error: ApiErrorSpec, options?: { times?: number; when?: (payload: Record<string, any>) => boolean }): void;
  setMemberStatus(chatId: number, userId: number, status: string): void;
  /** A handler for methods the fake does not know, or to override one (return undefined to fall through). */
  override(method: string, handler: (payload: Record<string, any>) => unknown): void;
  pushUpdate(update: Record<string, any>): number;
  /**
   * Enforces Telegram's flood limits on what Telegram counts (sendMessage and edits): per bot (`perSecond`, all chats
   * together), per group (`perGroupPerMinute`) and per private chat (a burst of `privateChatBurst`, then one a
   * second). Beyond them it answers 429 with `retryAfter` seconds (2 unless given: Telegram asks for more than one).
   */
  limitRate(limits: RateLimitsOfFake): void;
  /** 429 answers given so far. */
  tooManyRequests(): number;
  /** Messages accepted as paid broadcasts (allow_paid_broadcast) so far: what Telegram would charge Stars for. */
  paidMessages(): number;
  /**
   * Plays a Bot API server older than 10.1 (true) or a current one (false, the default): without rich messages,
   * sendRichMessage is an unknown method (404) and editMessageText ignores rich_message, so it finds no text (400).
   */
  withoutRichMessages(lacking?: boolean): void;
  /** The rich messages accepted so far (sent or edited in), in order: chat, message and HTML. */
  richMessages(): { chat_id: number; message_id: number; html: string }[];
  /**
   * Plays a Bot API server older than 10.2 (true) or a current one (false, the default): without ephemeral messages,
   * editEphemeralMessageText is an unknown method (404) and a message sent with ephemeral_message_parameters is
   * refused (400 naming them).
   */
  withoutEphemeralMessages(lacking?: boolean): void;
  /** The ephemeral messages a member sees in a chat (sent to them alone), in order; not among `messages(chatId)`. */
  ephemeralMessages(chatId: number, receiverId: number): StoredMessage[];
  close(): Promise<void>;
};

const LONG_POLL_CAP_SECONDS = 30;

/**
 * A Bot API server owned by the tests. It answers like Telegram (message ids, edits, "message is not
 * modified", error_code/description/parameters) so the bot's whole HTTP path runs, including the Api
 * objects that plugins build themselves.
 */
export async function startFakeTelegram(options: { botUsername?: string; botId?: number } = {}): Promise<FakeTelegram> {
  const botUser = {
    id: options.botId ?? 123456,
    is_bot: true,
    first_name: "Visit Briefing",
    username: options.botUsername ?? "visit_briefing_bot",
  };
  const calls: Call[] = [];
  const waiters: Waiter[] = [];
  const chats = new Map<number, StoredMessage[]>();
  const failures: Failure[] = [];
  const memberStatus = new Map<string, string>();
  const overrides = new Map<string, (payload: Record<string, any>) => unknown>();
  // The bot's profile texts as set, by kind and language code ("" is the default for every other language).
  const profile = new Map<string, string>();
  const profileKey = (kind: "description" | "short_description", payload: Record<string, any>) =>
    `${kind}:${typeof payload.language_code === "string" ? payload.language_code : ""}`;
  const updates: Record<string, any>[] = [];
  const pollers = new Set<() => void>();
  let nextUpdateId = 1;
  let rateLimits: RateLimitsOfFake | undefined;
  // Counted messages of the last second (bot) and of the last minute per group; a token bucket per private chat.
  const lastSecond: number[] = [];
  // Of those, the free ones (not paid broadcasts); paid broadcasts accepted so far.
  const lastSecondFree: number[] = [];
  let paid = 0;
  const groupMinute = new Map<number, number[]>();
  const privateBuckets = new Map<number, { tokens: number; at: number }>();
  let refused = 0;
  let richLacking = false;
  let ephemeralLacking = false;
  // Ephemeral messages by chat and receiver ("chat:user"); their ids count up per chat.
  const ephemeral = new Map<string, StoredMessage[]>();
  const lastEphemeralId = new Map<number, number>();
  const richAccepted: { chat_id: number; message_id: number; html: string }[] = [];

  /** Seconds to wait if this counted call would break the limits, else undefined (and the call is counted). */
  function overLimit(chatId: number | undefined, paidBroadcast = false): number | undefined {
    if (!rateLimits) {
      if (paidBroadcast) paid++;
      return undefined;
    }
    const at = Date.now();
    while (lastSecond.length > 0 && lastSecond[0]! <= at - 1000) lastSecond.shift();
    while (lastSecondFree.length > 0 && lastSecondFree[0]! <= at - 1000) lastSecondFree.shift();
    const asPaid = paidBroadcast && rateLimits.paidPerSecond !== undefined;
    let over = asPaid
      ? lastSecond.length >= rateLimits.paidPerSecond!
      : lastSecondFree.length >= rateLimits.perSecond || lastSecond.length >= (rateLimits.paidPerSecond ?? rateLimits.perSecond);
    const group = chatId !== undefined && chatId < 0 ? (groupMinute.get(chatId) ?? []) : undefined;
    if (group) {
      while (group.length > 0 && group[0]! <= at - 60_000) group.shift();
      if (rateLimits.perGroupPerMinute !== undefined && group.length >= rateLimits.perGroupPerMinute) over = true;
    }
    const burst = rateLimits.privateChatBurst;
    let tokens: number | undefined;
    if (chatId !== undefined && chatId > 0 && burst !== undefined) {
      const bucket = privateBuckets.get(chatId);
      tokens = bucket ? Math.min(burst, bucket.tokens + (at - bucket.at) / 1000) : burst;
      if (tokens < 1) over = true;
    }
    if (over) {
      refused++;
      return rateLimits.retryAfter ?? 2;
    }
    lastSecond.push(at);
    if (asPaid) paid++;
    else lastSecondFree.push(at);
    if (group) groupMinute.set(chatId!, [...group, at]);
    if (tokens !== undefined) privateBuckets.set(chatId!, { tokens: tokens - 1, at });
    return undefined;
  }

  const flood = (retryAfter: number) =>
    new ApiError({ error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });

  const now = () => Math.floor(Date.now() / 1000);
  const messagesOf = (chatId: number) => {
    let list = chats.get(chatId);
    if (!list) chats.set(chatId, (list = []));
    return list;
  };
  const chatOf = (id: number) => (id < 0 ? { id, type: "supergroup", title: "Group" } : { id, type: "private", first_name: "User" });
  const toMessage = (message: StoredMessage) => ({
    message_id: message.message_id,
    ...(message.ephemeral_message_id !== undefined
      ? {
          ephemeral_message_id: message.ephemeral_message_id,
          receiver_user: { id: message.receiver_user_id, is_bot: false, first_name: "User" },
        }
      : {}),
    date: message.date,
    chat: chatOf(message.chat_id),
    from: botUser,
    ...(message.message_thread_id !== undefined ? { message_thread_id: message.message_thread_id, is_topic_message: true } : {}),
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.rich_html !== undefined ? { rich_message: { blocks: [] } } : {}),
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
  });

  class ApiError extends Error {
    constructor(readonly spec: ApiErrorSpec) {
      super(spec.description);
    }
  }
  const badRequest = (description: string) => new ApiError({ error_code: 400, description: `Bad Request: ${description}` });

  function findMessage(payload: Record<string, any>): StoredMessage {
    const message = messagesOf(Number(payload.chat_id)).find((entry) => entry.message_id === Number(payload.message_id));
    if (!message) throw badRequest("message to edit not found");
    return message;
  }

  /**
   * An inline keyboard as Telegram checks it: every button has a label and exactly one action, callback data of 1–64
   * bytes, a copy button's text of 1–256 characters.
   */
  function checkKeyboard(markup: unknown): void {
    const rows = (markup as { inline_keyboard?: Record<string, unknown>[][] } | undefined)?.inline_keyboard;
    if (!rows) return;
    for (const button of rows.flat()) {
      if (typeof button.text !== "string" || button.text === "") throw badRequest("text buttons are unallowed in the inline keyboard");
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== "string" || data === "" || Buffer.byteLength(data, "utf8") > 64)) {
        throw badRequest("BUTTON_DATA_INVALID");
      }
      if (button.copy_text === undefined) continue;
      const copy = (button.copy_text as { text?: unknown }).text;
      if (typeof copy !== "string" || copy === "" || copy.length > 256) throw badRequest("BUTTON_COPY_TEXT_INVALID");
    }
  }

  // A broadcast sends one digest's HTML to thousands of chats: each distinct HTML is checked once, and what the check
  // found is kept (false: nothing). The fake shares a process with the bot in the bench, where checking the same
  // 30,000 characters again for every chat took the time of the bot it measures.
  const richProblems = new LRUCache<string, RichProblem | false>({ max: 64 });
  function firstRichProblem(html: string): RichProblem | undefined {
    let problem = richProblems.get(html);
    if (problem === undefined) richProblems.set(html, (problem = checkRichHtml(html)[0] ?? false));
    return problem || undefined;
  }

  /**
   * The HTML of a rich_message, checked as Telegram checks it (src/render/rich-limits.ts: the documented tags, their
   * nesting, escaping, and the limits); undefined when the call has none.
   */
  function richHtmlOf(payload: Record<string, any>): string | undefined {
    if (payload.rich_message === undefined) return undefined;
    const rich = (typeof payload.rich_message === "string" ? JSON.parse(payload.rich_message) : payload.rich_message) as { html?: unknown };
    if (typeof rich?.html !== "string" || rich.html.length === 0) throw badRequest("rich message is empty");
    const problem = firstRichProblem(rich.html);
    if (!problem) return rich.html;
    const limits = new Set(["characters", "blocks", "depth", "media", "columns"]);
    throw badRequest(
      limits.has(problem.rule) ? `RICH_MESSAGE_TOO_BIG: ${problem.message}` : `can't parse rich message: ${problem.message}`,
    );
  }

  /**
   * The receiver of a message sent with ephemeral_message_parameters, checked as Telegram checks them (a user id, the
   * callback query id as a string, replace_callback_query_message a boolean); undefined for a message to everyone.
   */
  function ephemeralReceiver(payload: Record<string, any>): number | undefined {
    const parameters = payload.ephemeral_message_parameters as Record<string, unknown> | undefined;
    if (parameters === undefined) return undefined;
    if (ephemeralLacking) throw badRequest("ephemeral_message_parameters are not supported");
    if (typeof parameters.receiver_user_id !== "number") throw badRequest("EPHEMERAL_RECEIVER_INVALID");
    if (parameters.callback_query_id !== undefined && typeof parameters.callback_query_id !== "string") {
      throw badRequest("QUERY_ID_INVALID");
    }
    const replace = parameters.replace_callback_query_message;
    if (replace !== undefined && (typeof replace !== "boolean" || parameters.callback_query_id === undefined)) {
      throw badRequest("ephemeral message can replace only the message of its callback query");
    }
    return parameters.receiver_user_id;
  }

  /** Puts a sent message in its chat: for everyone, or (ephemeral, message_id 0) for its one receiver. */
  function place(payload: Record<string, any>, content: Pick<StoredMessage, "text" | "rich_html">): StoredMessage {
    const chatId = Number(payload.chat_id);
    const receiver = ephemeralReceiver(payload);
    const shared = messagesOf(chatId);
    const ephemeralId = receiver === undefined ? undefined : (lastEphemeralId.get(chatId) ?? 0) + 1;
    const message: StoredMessage = {
      message_id: ephemeralId === undefined ? (shared.at(-1)?.message_id ?? 0) + 1 : 0,
      chat_id: chatId,
      ...(payload.message_thread_id !== undefined ? { message_thread_id: Number(payload.message_thread_id) } : {}),
      ...content,
      reply_markup: payload.reply_markup,
      date: now(),
      ...(ephemeralId === undefined ? {} : { ephemeral_message_id: ephemeralId, receiver_user_id: receiver }),
    };
    if (ephemeralId === undefined) shared.push(message);
    else {
      lastEphemeralId.set(chatId, ephemeralId);
      const key = `${chatId}:${receiver}`;
      ephemeral.set(key, [...(ephemeral.get(key) ?? []), message]);
    }
    return message;
  }

  /**
   * Inline (and guest) results as Telegram checks them: each keyboard, and a rich result's HTML by the same rules as
   * a rich message's; a server without rich messages refuses a rich result, naming it.
   */
  function checkInlineResults(results: readonly unknown[]): void {
    for (const result of results as Record<string, any>[]) {
      checkKeyboard(result.reply_markup);
      const content = result.input_message_content as Record<string, any> | undefined;
      if (content?.rich_message === undefined) continue;
      if (richLacking) throw badRequest("unsupported input message content: rich_message");
      richHtmlOf(content);
    }
  }

  function sendRich(payload: Record<string, any>): unknown {
    if (richLacking) throw new ApiError({ error_code: 404, description: "Not Found: method not found" });
    const chatId = Number(payload.chat_id);
    const retryAfter = overLimit(chatId, payload.allow_paid_broadcast === true);
    if (retryAfter !== undefined) throw flood(retryAfter);
    const html = richHtmlOf(payload);
    if (html === undefined) throw badRequest("rich_message is required");
    const message = place(payload, { rich_html: html });
    if (message.ephemeral_message_id === undefined) richAccepted.push({ chat_id: chatId, message_id: message.message_id, html });
    return toMessage(message);
  }

  /** editEphemeralMessageText: the receiver's ephemeral message, its text or rich content and keyboard replaced. */
  function editEphemeral(payload: Record<string, any>): unknown {
    if (ephemeralLacking) throw new ApiError({ error_code: 404, description: "Not Found: method not found" });
    const chatId = Number(payload.chat_id);
    if (typeof payload.receiver_user_id !== "number" || typeof payload.ephemeral_message_id !== "number") {
      throw badRequest("EPHEMERAL_MESSAGE_ID_INVALID");
    }
    const retryAfter = overLimit(chatId);
    if (retryAfter !== undefined) throw flood(retryAfter);
    const withRich = payload.rich_message !== undefined && payload.text === undefined;
    if (withRich && richLacking) throw badRequest("message text is empty");
    const html = withRich ? richHtmlOf(payload) : undefined;
    const list = ephemeral.get(`${chatId}:${payload.receiver_user_id}`) ?? [];
    const message = list.find((entry) => entry.ephemeral_message_id === payload.ephemeral_message_id);
    if (!message) throw badRequest("message to edit not found");
    replaceContent(message, payload.text, html, payload.reply_markup);
    return true;
  }

  /** An edit's new text or rich HTML and keyboard, refused as Telegram refuses one that changes nothing. */
  function replaceContent(message: StoredMessage, text: unknown, html: string | undefined, markup: unknown): void {
    if (text === message.text && html === message.rich_html && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (typeof text === "string" && text.length > 4096) throw badRequest("MESSAGE_TOO_LONG");
    message.text = text as string | undefined;
    message.rich_html = html;
    message.reply_markup = markup;
  }

  async function answer(method: string, payload: Record<string, any>): Promise<unknown> {
    checkKeyboard(payload.reply_markup);
    const override = overrides.get(method);
    if (override) {
      const result = override(payload);
      if (result !== undefined) return result;
    }
    switch (method) {
      case "getMe":
        return { ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true };
      case "sendMessage": {
        const chatId = Number(payload.chat_id);
        const retryAfter = overLimit(chatId, payload.allow_paid_broadcast === true);
        if (retryAfter !== undefined) throw flood(retryAfter);
        if (typeof payload.text !== "string" || payload.text.length === 0) throw badRequest("message text is empty");
        if (payload.text.length > 4096) throw badRequest("message is too long");
        return toMessage(place(payload, { text: payload.text }));
      }
      case "sendRichMessage":
        return sendRich(payload);
      case "editEphemeralMessageText":
        return editEphemeral(payload);
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const retryAfter = overLimit(payload.inline_message_id ? undefined : Number(payload.chat_id));
        if (retryAfter !== undefined) throw flood(retryAfter);
        // A server without rich messages ignores rich_message, and finds no text to put in the message.
        const withRich = method === "editMessageText" && payload.rich_message !== undefined && payload.text === undefined;
        if (withRich && richLacking) throw badRequest("message text is empty");
        const html = withRich ? richHtmlOf(payload) : undefined;
        if (payload.inline_message_id) return true;
        const message = findMessage(payload);
        const text = method === "editMessageText" ? payload.text : message.text;
        const rich = method === "editMessageText" ? html : message.rich_html;
        replaceContent(message, text, rich, payload.reply_markup);
        if (html !== undefined) richAccepted.push({ chat_id: message.chat_id, message_id: message.message_id, html });
        return toMessage(message);
      }
      case "deleteMessage": {
        const list = messagesOf(Number(payload.chat_id));
        const index = list.findIndex((entry) => entry.message_id === Number(payload.message_id));
        if (index === -1) throw badRequest("message to delete not found");
        list.splice(index, 1);
        return true;
      }
      case "answerCallbackQuery":
        if (typeof payload.text === "string" && payload.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
        return true;
      case "answerGuestQuery":
        // One result, of the kinds inline mode sends, in answer to a guest message's query id.
        if (typeof payload.guest_query_id !== "string" || payload.guest_query_id === "") throw badRequest("QUERY_ID_INVALID");
        if (!payload.result || typeof payload.result !== "object" || Array.isArray(payload.result)) throw badRequest("RESULT_INVALID");
        checkInlineResults([payload.result]);
        return { inline_message_id: `guest-${payload.guest_query_id}` };
      case "answerInlineQuery":
        if (Array.isArray(payload.results) && payload.results.length > 50) throw badRequest("RESULTS_TOO_MUCH");
        checkInlineResults(Array.isArray(payload.results) ? payload.results : []);
        return true;
      case "getChatMember":
        return {
          status: memberStatus.get(`${payload.chat_id}:${payload.user_id}`) ?? "member",
          user: { id: Number(payload.user_id), is_bot: false, first_name: "User" },
        };
      case "getChat":
        return chatOf(Number(payload.chat_id));
      case "getUpdates":
        return await pollUpdates(payload);
      case "setMyDescription":
      case "setMyShortDescription": {
        const [kind, limit] = method === "setMyDescription" ? (["description", 512] as const) : (["short_description", 120] as const);
        const text = typeof payload[kind] === "string" ? payload[kind] : "";
        if (text.length > limit) throw badRequest(`${kind} is too long`);
        profile.set(profileKey(kind, payload), text);
        return true;
      }
      case "getMyDescription":
        return { description: profile.get(profileKey("description", payload)) ?? "" };
      case "getMyShortDescription":
        return { short_description: profile.get(profileKey("short_description", payload)) ?? "" };
      case "setMyCommands":
      case "deleteMyCommands":
      case "setChatMenuButton":
      case "deleteWebhook":
      case "setWebhook":
      case "sendChatAction":
        return true;
      default:
        throw new ApiError({ error_code: 404, description: "Not Found: method not found" });
    }
  }

  function pollUpdates(payload: Record<string, any>): Promise<unknown[]> {
    const offset = Number(payload.offset ?? 0);
    if (offset > 0) {
      while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
    }
    const limit = Math.min(Number(payload.limit ?? 100) || 100, 100);
    const pending = () => updates.filter((update) => update.update_id >= offset).slice(0, limit);
    const ready = pending();
    const timeout = Math.min(Number(payload.timeout ?? 0), LONG_POLL_CAP_SECONDS);
    if (ready.length > 0 || timeout <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        pollers.delete(finish);
        resolve(pending());
      };
      const timer = setTimeout(finish, timeout * 1000);
      pollers.add(finish);
    });
  }

  function record(call: Call): void {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  }

  async function readPayload(request: IncomingMessage, url: URL): Promise<Record<string, any>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const payload: Record<string, any> = Object.fromEntries(url.searchParams);
    const type = request.headers["content-type"] ?? "";
    if (body.length === 0) return payload;
    if (type.includes("application/json")) return { ...payload, ...(JSON.parse(body) as Record<string, any>) };
    if (type.includes("application/x-www-form-urlencoded")) return { ...payload, ...Object.fromEntries(new URLSearchParams(body)) };
    return { ...payload, raw: body };
  }

  function send(response: ServerResponse, status: number, body: unknown): void {
    if (response.destroyed) return;
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(response, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match as unknown as [string, string, string];
    let payload: Record<string, any>;
    try {
      payload = await readPayload(request, url);
    } catch {
      return send(response, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
    }
    record({ method, token, payload, at: Date.now() });

    const failure = failures.find((entry) => entry.method === method && (!entry.when || entry.when(payload)));
    if (failure) {
      if (--failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      return send(response, failure.error.error_code, { ok: false, ...failure.error });
    }
    try {
      const result = await answer(method, payload);
      send(response, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) return send(response, error.spec.error_code, { ok: false, ...error.spec });
      send(response, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    }
  }

  // Node does not await a request listener: whatever still throws (a waiter's predicate) is answered with a 500 here.
  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      send(response, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    });
  });

  // Telegram keeps a connection open between requests: clients reuse it rather than connect for every call.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    lastCall: (method) => calls.filter((call) => call.method === method).at(-1),
    waitFor(predicate, timeoutMs = 5000) {
      const existing = calls.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = calls.map((call) => call.method).join(", ") || "none";
          reject(new Error(`fake Telegram: no matching call within ${timeoutMs} ms; calls so far: ${seen}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    reset() {
      calls.length = 0;
    },
    messages: (chatId) => messagesOf(chatId).map((message) => ({ ...message })),
    failNext(method, error, failOptions = {}) {
      failures.push({ method, error, times: failOptions.times ?? 1, ...(failOptions.when ? { when: failOptions.when } : {}) });
    },
    setMemberStatus(chatId, userId, status) {
      memberStatus.set(`${chatId}:${userId}`, status);
    },
    override(method, handler) {
      overrides.set(method, handler);
    },
    pushUpdate(update) {
      const stamped = { ...update, update_id: nextUpdateId++ };
      updates.push(stamped);
      for (const wake of [...pollers]) wake();
      return stamped.update_id;
    },
    limitRate(limits) {
      rateLimits = limits;
    },
    tooManyRequests: () => refused,
    paidMessages: () => paid,
    withoutRichMessages(lacking = true) {
      richLacking = lacking;
    },
    richMessages: () => richAccepted.map((entry) => ({ ...entry })),
    withoutEphemeralMessages(lacking = true) {
      ephemeralLacking = lacking;
    },
    ephemeralMessages: (chatId, receiverId) => (ephemeral.get(`${chatId}:${receiverId}`) ?? []).map((message) => ({ ...message })),
    async close() {
      for (const wake of [...pollers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
