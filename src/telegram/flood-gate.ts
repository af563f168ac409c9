import type { Transformer } from "grammy";

/**
 * Reports every 429 Telegram sends, before auto-retry waits it out for that one request, so the digest sender can
 * hold all its other requests too. Installed inside auto-retry, so it sees each attempt's answer.
 */
export function floodGate(onRetryAfter: (seconds: number) => void): Transformer {
  return async (previous, method, payload, signal) => {
    const response = await previous(method, payload, signal);
    const retryAfter = !response.ok ? response.parameters?.retry_after : undefined;
    if (response.ok === false && response.error_code === 429 && retryAfter !== undefined) onRetryAfter(retryAfter);
    return response;
  };
}
