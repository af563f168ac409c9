/** A value answered at once, or a promise of it: a read a synchronous store (SQLite's atOnce) answers without a turn of the event loop. */
export type AtOnceOr<T> = T | Promise<T>;

/** `value` handed to `use` at once when it is no promise, else once it settles: a read answered at once stays so. */
export function andThen<T, R>(value: AtOnceOr<T>, use: (value: T) => AtOnceOr<R>): AtOnceOr<R> {
  return value instanceof Promise ? value.then(use) : use(value);
}
