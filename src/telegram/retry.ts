import { autoRetry } from "@grammyjs/auto-retry";

/**
 * Waits out 429 "retry after" (up to two minutes), as Telegram asks. Server errors and network failures are
 * handed back instead of being retried here: auto-retry would retry network errors without limit, and the digest
 * sender keeps its own bounded, persistent retries.
 */
export const retryOnFlood = () =>
  autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: true, rethrowHttpErrors: true });
