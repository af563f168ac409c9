import type { UserFromGetMe } from "grammy/types";

/**
 * A Bot API that answers instantly inside the process, given to grammY as its `fetch`: every Api object (the bot's,
 * and the ones plugins build) uses it, and no time is spent on the network.
 */
export const BENCH_BOT_INFO = {
  id: 424242,
  is_bot: true as const,
  first_name: "Bench",
  username: "bench_briefing_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

/** Results by method, serialized once: the API neither reads the request nor spends time building answers. */
const RESULTS: Record<string, string> = {
  getMe: JSON.stringify({ ok: true, result: BENCH_BOT_INFO }),
  sendMessage: JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "" } }),
  editMessageText: JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "" } }),
  getChatMember: JSON.stringify({ ok: true, result: { status: "administrator", user: { id: 1, is_bot: false, first_name: "U" } } }),
};
const TRUE = JSON.stringify({ ok: true, result: true });

export function instantFetch(): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = url.slice(url.lastIndexOf("/") + 1);
    return new Response(RESULTS[method] ?? TRUE, { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}
