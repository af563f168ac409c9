import type { CommandContext, Context, MiddlewareFn, NextFunction } from "grammy";
import type { BotContext } from "../context.js";
import { decodeCallback, type CallbackAction } from "../render/callback-data.js";

type ActionOf<K extends CallbackAction["kind"]> = Extract<CallbackAction, { kind: K }>;
export type CommandHandler = (ctx: CommandContext<BotContext>, next: NextFunction) => unknown;
type ActionHandler = (ctx: BotContext, action: CallbackAction, next: NextFunction) => unknown;

/**
 * The command a message starts with, without "/" or "@thisbot", and the text after it. Undefined when the message
 * is no command, or is "/cmd@otherbot" (in a group, someone else's).
 */
export function parseCommand(ctx: Context): { name: string; args: string } | undefined {
  const message = ctx.message;
  const entity = message?.entities?.[0];
  if (message?.text === undefined || entity?.type !== "bot_command" || entity.offset !== 0) return undefined;
  const [name = "", mention] = message.text.slice(1, entity.length).split("@");
  if (mention !== undefined && mention.toLowerCase() !== ctx.me.username.toLowerCase()) return undefined;
  return { name, args: message.text.slice(entity.length).trim() };
}

/**
 * Commands and button presses reach their handler through one lookup: the command name or the decoded action kind.
 * A chain of grammY filters (one `command()` or `on()` per handler) would build and walk dozens of composers for
 * every update; this parses the command or callback data once.
 */
export function createRouter() {
  const commands = new Map<string, CommandHandler>();
  const actions = new Map<string, ActionHandler>();

  const middleware: MiddlewareFn<BotContext> = async (ctx, next) => {
    const command = parseCommand(ctx);
    if (command) {
      const handler = commands.get(command.name);
      if (!handler) return next();
      ctx.match = command.args;
      return handler(ctx as CommandContext<BotContext>, next);
    }
    const data = ctx.callbackQuery?.data;
    if (data !== undefined) {
      const action = decodeCallback(data);
      const handler = action && actions.get(action.kind);
      if (action && handler) return handler(ctx, action, next);
    }
    return next();
  };

  return {
    command(name: string, handler: CommandHandler): void {
      if (commands.has(name)) throw new Error(`command /${name} is registered twice`);
      commands.set(name, handler);
    },
    action<K extends CallbackAction["kind"]>(kind: K, handler: (ctx: BotContext, action: ActionOf<K>, next: NextFunction) => unknown): void {
      if (actions.has(kind)) throw new Error(`action ${kind} is registered twice`);
      actions.set(kind, handler as ActionHandler);
    },
    middleware,
  };
}
export type Router = ReturnType<typeof createRouter>;
