import type { CommandContext, Context, MiddlewareFn, NextFunction } from "grammy";
import { decodeCallback, type ActionKind, type CallbackAction } from "../render/callback-data.js";
import type { MenuEntry } from "./command-menu.js";
import type { BotContext } from "./context.js";
import type { CommandSpec, Feature } from "./feature.js";

/** A button handler as the router keeps it: the map is keyed by kind, so it only receives actions of its kind. */
type StoredAction = { handle: (ctx: BotContext, action: CallbackAction, next: NextFunction) => unknown; opensDialog: boolean };

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

export type Router = {
  /** Sends each command and button press to its handler; anything else goes on to the next middleware. */
  middleware: MiddlewareFn<BotContext>;
  /** The commands Telegram's menu lists, in the order the features were installed. */
  menu: readonly MenuEntry[];
  /** Whether this update can open a dialogue: a command or a button whose spec says so. */
  opensDialog: (ctx: BotContext) => boolean;
};

/**
 * Commands and button presses reach their handler through one lookup: the command name or the decoded action
 * kind. A grammY filter per handler would build and walk a composer for each of them on every update; this parses
 * the command or the callback data once.
 */
export function createRouter(features: readonly Feature[]): Router {
  const commands = new Map<string, CommandSpec>();
  const actions = new Map<ActionKind, StoredAction>();
  const menu: MenuEntry[] = [];
  for (const feature of features) {
    for (const [name, spec] of Object.entries(feature.commands ?? {})) {
      if (commands.has(name)) throw new Error(`command /${name} is defined by two features`);
      commands.set(name, spec);
      if (spec.menu !== "hidden") menu.push({ command: name, menu: spec.menu });
    }
    for (const [kind, spec] of Object.entries(feature.actions ?? {})) {
      if (actions.has(kind as ActionKind)) throw new Error(`action ${kind} is defined by two features`);
      actions.set(kind as ActionKind, { handle: spec.handle as StoredAction["handle"], opensDialog: spec.opensDialog === true });
    }
  }

  /** Where an update goes: its command's spec (unknown commands: none), or its button's action and stored handler. */
  type Route = { command: { name: string; args: string }; spec?: CommandSpec } | { action?: CallbackAction; spec?: StoredAction };
  const computeRoute = (ctx: Context): Route => {
    const command = parseCommand(ctx);
    if (command) return { command, spec: commands.get(command.name) };
    const action = decodeCallback(ctx.callbackQuery?.data);
    return { action, spec: action && actions.get(action.kind) };
  };
  // The dialogue gate asks first and the router acts next: the update is parsed once, for both. The route is kept on
  // the context (a WeakMap entry per update would be work for every young-generation garbage collection).
  const routeKey = Symbol("route");
  const routeOf = (ctx: Context): Route => ((ctx as Context & { [routeKey]?: Route })[routeKey] ??= computeRoute(ctx));

  const middleware: MiddlewareFn<BotContext> = (ctx, next) => {
    const route = routeOf(ctx);
    if ("command" in route) {
      if (!route.spec) return next();
      ctx.match = route.command.args;
      return route.spec.handle(ctx as CommandContext<BotContext>, next);
    }
    if (route.action && route.spec) return route.spec.handle(ctx, route.action, next);
    return next();
  };

  return {
    middleware,
    menu,
    opensDialog: (ctx) => routeOf(ctx).spec?.opensDialog === true,
  };
}
