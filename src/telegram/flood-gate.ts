import type { Transformer } from "grammy";

/**
 * Reports every 429 Telegram sends to the bot's own Api (chat replies, which auto-retry waits out), so that the
 * digest sender pauses too: the limit is per bot. Installed inside auto-retry, so it sees each attempt's answer.
 */
export function floodGate(onRetryAfter: (seconds: number) => void): Transformer {
  return async (previous, method, payload, signal) => {
    const response = await previous(method, payload, signal);
    const retryAfter = !response.ok ? response.parameters?.retry_after : undefined;
    if (response.ok === false && response.error_code === 429 && retryAfter !== undefined) onRetryAfter(retryAfter);
    return response;
  };
}
