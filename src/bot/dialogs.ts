import { conversations, createConversation, type Conversation, type ConversationBuilder } from "@grammyjs/conversations";
import { Composer, type Api } from "grammy";
import type { Store } from "../store/types.js";
import type { BotContext, DialogContext } from "./context.js";
import { conversationStorage } from "../store/conversation-storage.js";

/** A dialogue left unanswered this long is over; a later answer is handled as if there were no dialogue. */
export const DIALOG_TIMEOUT_MS = 30 * 60 * 1000;

export type DialogConversation = Conversation<BotContext, DialogContext>;
export type DialogRun<Args> = (conversation: DialogConversation, ctx: DialogContext, args: Args) => Promise<void>;

/** A dialogue a feature runs: its id, what it does, and how a handler opens it with typed arguments. */
export type Dialog = {
  id: string;
  run: ConversationBuilder<BotContext, DialogContext>;
};

export type DefinedDialog<Args> = Dialog & {
  /** Opens the dialogue for the sender of this update (the update must have passed the dialogue plugin). */
  enter(ctx: BotContext, args: Args): Promise<void>;
};

export function defineDialog<Args>(id: string, run: DialogRun<Args>): DefinedDialog<Args> {
  return { id, run, enter: (ctx, args) => ctx.conversation.enter(id, args) };
}

/**
 * The conversations plugin with every feature's dialogues. Dialogue state lives in the store (so a restart or
 * another instance continues a dialogue), and the plugin builds its own Api object for each dialogue:
 * `installTransformers` gives it the bot's transformers.
 */
export function dialogsMiddleware(store: Store, dialogs: readonly Dialog[], installTransformers: (api: Api) => void): Composer<BotContext> {
  const composer = new Composer<BotContext>(conversations<BotContext, BotContext>({ storage: conversationStorage(store) }));
  const plugins = [
    async (ctx: DialogContext, next: () => Promise<void>) => {
      installTransformers(ctx.api);
      await next();
    },
  ];
  for (const dialog of dialogs) {
    composer.use(
      createConversation<BotContext, DialogContext>(dialog.run, {
        id: dialog.id,
        maxMillisecondsToWait: DIALOG_TIMEOUT_MS,
        plugins,
        parallel: false,
      }),
    );
  }
  return composer;
}
