import type { Context, MiddlewareFn, Transformer } from "grammy";
import type { Logger } from "../logger.js";

/**
 * A press its handler has not answered this long after it arrived is answered without a text: the reader's button
 * stops spinning within a few hundred milliseconds even when the press waits behind an earlier update of its chat (a
 * message waiting for its slot, a dialogue) or its handler is slow (the store, a getChatMember).
 */
export const PRESS_ANSWER_GRACE_MS = 200;

/** What a second answer to the same press gets instead of a call: Telegram takes one answer per press. */
const ALREADY_ANSWERED = { ok: true, result: true } as const;

/** A press being handled: the timer of its answer without a text, whether it has been answered, whether its handling is over. */
type Press = { timer: ReturnType<typeof setTimeout> | undefined; answered: boolean; handled: boolean };

/**
 * Every button press is answered at once, stale or forged, and answered once. The handler answers it, with its text
 * (a stale button's, "language saved", a refusal), when it gets to it within PRESS_ANSWER_GRACE_MS; a press whose
 * handler has not answered by then is answered without a text, and the handler's later answer is not sent (Telegram
 * refuses a second answer to a press). The grace is counted from the press's arrival, ahead of the chat's order
 * (oneAtATime) and of the send budget, which an answer never waits for.
 *
 * - `around(first)` wraps the bot's first middleware (the chat's order), so the grace starts when the press arrives;
 * - `transformer` goes on every Api that answers people (the bot's and the dialogues', from botTransformers), so an
 *   answer from any of them counts, and only the first answer to a press is sent.
 */
export function pressAnswers(options: { logger: Logger; graceMs?: number }) {
  const { logger } = options;
  const graceMs = options.graceMs ?? PRESS_ANSWER_GRACE_MS;
  const presses = new Map<string, Press>();

  const transformer: Transformer = (previous, method, payload, signal) => {
    if (method !== "answerCallbackQuery") return previous(method, payload, signal);
    const id = (payload as { callback_query_id?: unknown }).callback_query_id;
    const press = typeof id === "string" ? presses.get(id) : undefined;
    if (!press) return previous(method, payload, signal);
    if (press.answered) return Promise.resolve(ALREADY_ANSWERED as Awaited<ReturnType<typeof previous>>);
    press.answered = true;
    clearTimeout(press.timer);
    if (press.handled) presses.delete(id as string);
    return previous(method, payload, signal);
  };

  function around<C extends Context>(first: MiddlewareFn<C>): MiddlewareFn<C> {
    return (ctx, next) => {
      const id = ctx.update.callback_query?.id;
      // A press delivered again (a webhook retry) while the first delivery is handled: that one answers it.
      if (id === undefined || presses.has(id)) return first(ctx, next);
      const press: Press = { timer: undefined, answered: false, handled: false };
      presses.set(id, press);
      press.timer = setTimeout(() => {
        ctx.answerCallbackQuery().catch((error: unknown) => logger.debug({ err: error }, "button press not acknowledged"));
      }, graceMs);
      const handled = () => {
        press.handled = true;
        // Not answered yet (the handler failed, or never answers): the timer still answers it, unless bot.catch does first.
        if (press.answered) presses.delete(id);
      };
      const task = Promise.resolve(first(ctx, next));
      task.then(handled, handled);
      return task;
    };
  }

  return { transformer, around };
}
export type PressAnswers = ReturnType<typeof pressAnswers>;
