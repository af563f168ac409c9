import type { Context, MiddlewareFn } from "grammy";

/**
 * Runs the rest of the chain for updates with the same key one after another, in arrival order, and for different
 * keys concurrently (the runner and webhooks hand over updates concurrently). The same contract as the runner's
 * `sequentialize` for a single key, without its per-update arrays, `Promise.all` and nested async frames, each a
 * fixed cost on every update. An update with nothing queued before it runs at once, without an async frame of its own.
 */
export function oneAtATime<C extends Context>(keyOf: (ctx: C) => string | undefined): MiddlewareFn<C> {
  // The last queued update per key, as a promise that never rejects; the key leaves the map when that one is done.
  const tails = new Map<string, Promise<void>>();
  return (ctx, next) => {
    const key = keyOf(ctx);
    if (key === undefined) return next();
    const previous = tails.get(key);
    const task = previous === undefined ? next() : previous.then(() => next());
    const forget = () => {
      if (tails.get(key) === tail) tails.delete(key);
    };
    const tail: Promise<void> = task.then(forget, forget);
    tails.set(key, tail);
    return task;
  };
}
