/**
 * The store cannot be used at start-up: Redis does not answer at REDIS_URL, or the SQLite file at DATABASE_PATH cannot
 * be opened. The message names the setting and what is wrong with it; main.ts prints it and exits non-zero.
 */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}
