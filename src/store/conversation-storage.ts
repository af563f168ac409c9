import type { ConversationStorage, ConversationData, VersionedState } from "@grammyjs/conversations";
import type { Context } from "grammy";
import { andThen, type AtOnceOr } from "../shared/at-once.js";
import { forumTopicOf } from "../telegram/forum-topic.js";
import type { Store } from "./types.js";

const PREFIX = "conversation:";

/**
 * Dialogue state is kept per person per chat, and per forum topic: a dialogue opened in one topic is answered there,
 * and what the person writes in another topic is not taken for an answer. Updates without a chat and a person have none.
 */
function dialogKey(ctx: Context): string | undefined {
  if (!ctx.chat || !ctx.from) return undefined;
  const topic = forumTopicOf(ctx);
  return topic === null ? `${ctx.chat.id}:${ctx.from.id}` : `${ctx.chat.id}/${topic}:${ctx.from.id}`;
}

/**
 * Whether this person has a dialogue open in this chat (a cached read: true costs nothing extra later). Asked for
 * nearly every update, so a store that reads synchronously answers at once (atOnce), and only others with a promise.
 */
export function hasDialogState(store: Store, ctx: Context): AtOnceOr<boolean> {
  const key = dialogKey(ctx);
  if (key === undefined) return false;
  const state = store.atOnce ? store.atOnce.keyValue(PREFIX + key) : store.keyValue.get(PREFIX + key);
  return andThen(state, (value) => value !== undefined);
}

/**
 * Dialogue state in the bot's own store, so a restart does not lose a half-finished /subscribe.
 * One state per person per chat (and topic): in a group, each administrator has their own dialogue.
 */
export function conversationStorage<C extends Context>(store: Store): ConversationStorage<C, ConversationData> {
  return {
    type: "key",
    version: 1,
    prefix: PREFIX,
    getStorageKey: dialogKey,
    adapter: {
      read: async (key) => {
        const raw = await store.keyValue.get(key);
        return raw === undefined ? undefined : (JSON.parse(raw) as VersionedState<ConversationData>);
      },
      write: (key, state) => store.keyValue.set(key, JSON.stringify(state)),
      delete: (key) => store.keyValue.delete(key),
    },
  };
}
