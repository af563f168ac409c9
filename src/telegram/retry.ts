import { HttpError, type Transformer } from "grammy";
import type { Logger } from "../logger.js";
import { newestScreens, REPLACED_EDIT, type ScreenEdit } from "./newest-screen.js";
import { realClock, type Clock, type SendBudget, type SendPriority, type SendSlot } from "./send-budget.js";

/**
 * Methods that Telegram counts against its message limits: everything that sends, copies or forwards a message, and
 * edits, of shared and ephemeral messages alike (an edit is answered with 429 like a send when a chat gets too many). Each call takes a slot of the send
 * budget. Answers to button presses and inline queries, chat actions, deletions and reads are not counted: they never
 * wait behind a message.
 */
export const COUNTED_METHODS = /^(send(?!ChatAction$)[A-Z]|copyMessages?$|forwardMessages?$|editMessage[A-Z]|editEphemeralMessage[A-Z])/;
/**
 * Calls that answer people: what a person sees (messages, edits, answers to a button or an inline query). Only these
 * are delivered here (429 waited out, network failures retried); every other call (getUpdates, setWebhook, getMe,
 * getChatMember, ...) goes to Telegram untouched and comes back as Telegram answered: the runner retries getUpdates
 * itself, start-up calls fail loudly, and a 429 on them says nothing about the messages' budget.
 */
const ANSWERS_PEOPLE = new RegExp(`${COUNTED_METHODS.source}|^answer[A-Z]`);
/** Of those, the ones whose repetition would show the reader a second message. */
const CREATES_MESSAGE = /^(send|copyMessage|forwardMessage)/;

/** The chat a counted call writes to; undefined for an inline message or a channel given by its username. */
export function chatOfCall(payload: unknown): number | undefined {
  const chatId = typeof payload === "object" && payload !== null && "chat_id" in payload ? payload.chat_id : undefined;
  return typeof chatId === "number" ? chatId : undefined;
}

/** Network failures in which the request never reached Telegram: the connection was never made. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** A failed HTTP call that certainly did not reach Telegram, so sending again cannot show a message twice. */
export function neverReachedTelegram(error: HttpError): boolean {
  const cause = error.error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return typeof code === "string" && NOT_SENT_CODES.has(code);
}

/** A reply given up on: the deadline passed. It names the method and chat, never the text. */
export class ReplyNotSentError extends Error {
  constructor(
    readonly method: string,
    readonly chatId: number | undefined,
    reason: string,
  ) {
    super(`${method} to chat ${chatId ?? "-"} not sent: ${reason}`);
    this.name = "ReplyNotSentError";
  }
}

export type ReplyDeliveryOptions = {
  budget: SendBudget;
  logger: Logger;
  /** How long a reply keeps trying (its turn, 429 waits, unreachable network) before it is given up: two minutes. */
  deadlineMs?: number;
  /**
   * The priority of this Api's messages in the send budget: "reply" for the Apis that answer people; the operators'
   * alerts take "digest", so that they never go ahead of a reader's reply.
   */
  priority?: SendPriority;
  clock?: Clock;
};

const DEFAULT_DEADLINE_MS = 2 * 60 * 1000;
const networkBackoffMs = (failures: number) => Math.min(500 * 2 ** (failures - 1), 10_000);

/**
 * Every call of an Api that answers people (ANSWERS_PEOPLE; other calls pass untouched), sent within the budget and
 * never dropped for flood control:
 * - a counted call waits for a slot of the send budget with "reply" priority (ahead of digests; see `priority`);
 * - an edit of a screen (editMessageText of a chat's message) replaced by a newer edit of the same message while it
 *   waits is dropped without a call, and answered as an edit that changes nothing (newest-screen.ts);
 * - a 429 on a message closes the whole budget for retry_after (every sender of the bot waits, the digests too) and
 *   the call waits its turn again; a button or inline answer waits out retry_after itself, and closes nothing;
 * - a network failure on what a person sees is tried again when repeating cannot show a message twice (the request
 *   never reached Telegram, or the call creates no message), else it is thrown at once;
 * - past the deadline, waiting makes no sense any more: the call fails with ReplyNotSentError (the update's error
 *   handler logs it with the update id).
 */
export function deliverReplies(options: ReplyDeliveryOptions): Transformer {
  const screens = newestScreens();
  const deliver = deliverOne(options);
  // A plain function, not an async one: most calls are no screen edit and go straight on, without a frame of their own.
  return (previous, method, payload, requestSignal) => {
    if (!ANSWERS_PEOPLE.test(method)) return previous(method, payload, requestSignal);
    // grammY types the signal with an older AbortSignal; at run time it is Node's own.
    const screen = screens.enter(method, payload, requestSignal as AbortSignal | undefined);
    if (!screen) return deliver(previous, method, payload, requestSignal);
    return (async () => {
      try {
        await screen.turn;
        // An edit's answer is the message or `true`; grammY cannot name it for any method.
        if (screen.replaced()) return REPLACED_EDIT as never;
        return await deliverOne(options, screen)(previous, method, payload, requestSignal);
      } finally {
        screen.done();
      }
    })();
  };
}

/** Calls delivered as deliverReplies says; `screen`: an edit's place among the edits of its screen. */
function deliverOne(options: ReplyDeliveryOptions, screen?: ScreenEdit): Transformer {
  const { budget, logger } = options;
  const clock = options.clock ?? realClock;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const priority = options.priority ?? "reply";
  return async (previous, method, payload, requestSignal) => {
    const signal = requestSignal as AbortSignal | undefined;
    const counted = COUNTED_METHODS.test(method);
    const chatId = counted ? chatOfCall(payload) : undefined;
    const giveUpAt = clock.now() + deadlineMs;
    const giveUp = (reason: string): never => {
      logger.warn({ method, chat_id: chatId, reason }, "reply given up");
      throw new ReplyNotSentError(method, chatId, reason);
    };
    let networkFailures = 0;
    for (;;) {
      let slot: SendSlot | undefined;
      if (counted) {
        slot = await budget.acquire(chatId, priority, screen?.signal ?? signal, Math.max(1, giveUpAt - clock.now()));
        // Replaced while it waited (or in the moment its slot came): the newer edit goes instead, and the slot, unused,
        // is given back.
        if (screen?.replaced()) {
          slot?.unused();
          return REPLACED_EDIT as never;
        }
        if (!slot) {
          if (signal?.aborted) throw signal.reason;
          giveUp("no slot in the send budget before the deadline");
        }
      }
      screen?.leaving();
      const outcome = await previous(method, payload, requestSignal).then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      );
      slot?.sent();
      if ("error" in outcome) {
        const { error } = outcome;
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        if (CREATES_MESSAGE.test(method) && !neverReachedTelegram(error)) throw error;
        const backoff = networkBackoffMs(++networkFailures);
        if (clock.now() + backoff > giveUpAt) throw error;
        logger.warn({ method, chat_id: chatId, attempt: networkFailures }, "Bot API not reached, trying again");
        await clock.sleep(backoff, signal);
        continue;
      }
      const { response } = outcome;
      if (response.ok || response.error_code !== 429) return response;
      const retryAfter = response.parameters?.retry_after ?? 1;
      if (clock.now() + retryAfter * 1000 > giveUpAt) giveUp(`Telegram asks to wait ${retryAfter} s, past the deadline`);
      // The messages' limit is per bot: everything that sends waits (a second close, by the HTTP client's report,
      // changes nothing). A refused button or inline answer waits out its own retry_after.
      if (counted) await budget.closeFor(retryAfter);
      else await clock.sleep(retryAfter * 1000, signal);
    }
  };
}
