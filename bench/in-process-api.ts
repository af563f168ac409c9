/**
 * A Bot API that answers instantly inside the process, given to grammY as its `fetch`: every Api object (the bot's,
 * and the ones plugins build) uses it, and no time is spent on the network.
 */
import { BOT_INFO } from "../test/support/harness.js";

/** The bench bot is the test bot: same token and identity, so bench and tests exercise one configuration. */
export { BOT_INFO as BENCH_BOT_INFO, TEST_TOKEN as BENCH_TOKEN } from "../test/support/harness.js";

/** Results by method, serialized once: the API neither reads the request nor spends time building answers. */
const RESULTS: Record<string, string> = {
  getMe: JSON.stringify({ ok: true, result: BOT_INFO }),
  sendMessage: JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "" } }),
  // A digest is one rich message; the answer carries a message id like any sent message.
  sendRichMessage: JSON.stringify({
    ok: true,
    result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, rich_message: { blocks: [] } },
  }),
  editMessageText: JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "" } }),
  getChatMember: JSON.stringify({ ok: true, result: { status: "administrator", user: { id: 1, is_bot: false, first_name: "U" } } }),
};
const TRUE = JSON.stringify({ ok: true, result: true });

export function instantFetch(): typeof fetch {
  return async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = url.slice(url.lastIndexOf("/") + 1);
    return new Response(RESULTS[method] ?? TRUE, { headers: { "content-type": "application/json" } });
  };
}
