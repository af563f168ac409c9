import { Composer, type Context, type Middleware, type MiddlewareFn } from "grammy";

/**
 * The Composer of the features: grammY's, except that its filters decide with a plain call per update. grammY builds
 * every filter (`on`, `chatType`, `drop`, `filter` and the rest) on `filter`, which goes through `branch` and `lazy`:
 * for each update that reaches it, an async frame and a new Composer with its chain of closures, whichever way the
 * filter decides. Here a filter is one middleware that asks its predicate and hands the update to the filtered
 * composer (read at each update, so middleware added to it later counts) or to `next`. The filtered composer is a
 * FeatureComposer too, so chained filters (`chatType("private").on("message:text")`) stay cheap. Its middleware (what
 * `use` adds, and so every filter) runs as one inOrder chain rather than grammY's two async frames per `use`.
 */
export class FeatureComposer<C extends Context> extends Composer<C> {
  /** The middleware in the order added, read by the chain at each update: what is added later counts. */
  private readonly steps: MiddlewareFn<C>[];
  private readonly chain: MiddlewareFn<C>;

  constructor(...middleware: Middleware<C>[]) {
    super();
    this.steps = middleware.map(asFunction);
    this.chain = inOrder(this.steps);
  }

  override middleware(): MiddlewareFn<C> {
    return this.chain;
  }

  override use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new FeatureComposer<C>(...middleware);
    this.steps.push(composer.chain);
    return composer;
  }

  override filter<D extends C>(predicate: (ctx: C) => ctx is D, ...middleware: Middleware<D>[]): Composer<D>;
  override filter(predicate: (ctx: C) => boolean | Promise<boolean>, ...middleware: Middleware<C>[]): Composer<C>;
  override filter(predicate: (ctx: C) => boolean | Promise<boolean>, ...middleware: Middleware<C>[]): Composer<C> {
    const filtered = new FeatureComposer<C>(...middleware);
    this.use((ctx, next) => {
      const passes = predicate(ctx);
      if (passes instanceof Promise) return passes.then((ok) => (ok ? filtered.middleware()(ctx, next) : next()));
      return passes ? filtered.middleware()(ctx, next) : next();
    });
    return filtered;
  }

  override drop(predicate: (ctx: C) => boolean | Promise<boolean>, ...middleware: Middleware<C>[]): Composer<C> {
    return this.filter(
      (ctx) => {
        const drops = predicate(ctx);
        return drops instanceof Promise ? drops.then((yes) => !yes) : !drops;
      },
      ...middleware,
    );
  }
}

/** A middleware as a function: a composer is asked for its middleware at each update, as grammY does. */
function asFunction<C extends Context>(middleware: Middleware<C>): MiddlewareFn<C> {
  return typeof middleware === "function" ? middleware : (ctx, next) => middleware.middleware()(ctx, next);
}

/**
 * The bot's middleware run one after another, each one's `next` being the next one (the last one's, the caller's
 * `next`), as `bot.use` one by one would run them. grammY wraps each middleware that `use` adds in two async frames
 * and a closure on every update, whether it acts or passes the update on; here a step is a plain call. A middleware
 * that throws, synchronously or not, rejects the returned promise, as in grammY, and `next` always returns a promise.
 */
export function inOrder<C extends Context>(middleware: readonly MiddlewareFn<C>[]): MiddlewareFn<C> {
  return (ctx, next) => {
    const step = (index: number): Promise<void> => {
      if (index === middleware.length) return next();
      try {
        // What a middleware resolves to is never read, by grammY or here.
        return Promise.resolve(middleware[index]!(ctx, () => step(index + 1))) as Promise<void>;
      } catch (error) {
        // The middleware's own error, whatever it threw, as grammY passes it on.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return Promise.reject(error);
      }
    };
    return step(0);
  };
}
