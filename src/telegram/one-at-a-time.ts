import type { Context, MiddlewareFn } from "grammy";

/**
 * How a running update ends its turn before its handling is over (passTurn); none once it has ended or keeps it. It
 * is kept on the update's context rather than in a WeakMap: every update has one, and a weak entry per update is work
 * for the garbage collector on every young-generation collection.
 */
const endOfTurn = Symbol("endOfTurn");
type WithTurn = { [endOfTurn]?: (() => void) | undefined };

/**
 * Runs the rest of the chain for updates with the same key one after another, in arrival order, and for different
 * keys concurrently (the runner and webhooks hand over updates concurrently). The same contract as the runner's
 * `sequentialize` for a single key, without its per-update arrays, `Promise.all` and nested async frames, each a
 * fixed cost on every update. An update with nothing queued before it runs at once, without an async frame of its own.
 *
 * An update's turn ends when its handling is done, or earlier when it calls passTurn: then the next update of its key
 * starts while it finishes what needs no order (a screen edit waiting for its slot in the send budget).
 */
export function oneAtATime<C extends Context>(keyOf: (ctx: C) => string | number | undefined): MiddlewareFn<C> {
  // The last queued update's turn per key, as a promise that never rejects; the key leaves the map when it ends.
  const tails = new Map<string | number, Promise<void>>();
  return (ctx, next) => {
    const key = keyOf(ctx);
    if (key === undefined) return next();
    let pass!: () => void;
    const tail = new Promise<void>((resolve) => (pass = resolve));
    const endTurn = () => {
      if (tails.get(key) === tail) tails.delete(key);
      pass();
    };
    const previous = tails.get(key);
    tails.set(key, tail);
    (ctx as WithTurn)[endOfTurn] = endTurn;
    const task = previous === undefined ? next() : previous.then(() => next());
    task.then(endTurn, endTurn);
    return task;
  };
}

/**
 * The running update lets the next update of its key start now, while it finishes what it still has to do. Only for
 * work that needs no order: its last step, a screen edit, which the send budget paces and a newer edit of the same
 * message replaces (src/telegram/newest-screen.ts). Does nothing for an update that keeps its turn (keepTurn), or
 * outside oneAtATime.
 */
export function passTurn(ctx: Context): void {
  const endTurn = (ctx as WithTurn)[endOfTurn];
  if (!endTurn) return;
  (ctx as WithTurn)[endOfTurn] = undefined;
  endTurn();
}

/**
 * This update keeps its turn until its handling is done, whatever it shows: it runs in a dialogue, whose state is
 * saved after the handler returns and must be there when the chat's next update comes.
 */
export function keepTurn(ctx: Context): void {
  (ctx as WithTurn)[endOfTurn] = undefined;
}
