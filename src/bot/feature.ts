import { Composer, type CommandContext, type NextFunction } from "grammy";
import { FeatureComposer } from "./composer.js";
import type { ActionKind, ActionOf } from "../render/callback-data.js";
import type { MenuPlacement } from "./command-menu.js";
import type { BotContext } from "./context.js";
import type { Deps } from "./deps.js";
import type { Dialog } from "./dialogs.js";

export type CommandHandler = (ctx: CommandContext<BotContext>, next: NextFunction) => unknown;
export type ActionHandler<K extends ActionKind> = (ctx: BotContext, action: ActionOf<K>, next: NextFunction) => unknown;

export type CommandSpec = {
  handle: CommandHandler;
  /** Where Telegram's command menu lists it. */
  menu: MenuPlacement;
  /** The command may open a dialogue, so the dialogue plugin must see it. */
  opensDialog?: boolean;
};

export type ActionSpec<K extends ActionKind> = {
  handle: ActionHandler<K>;
  /** The button may open a dialogue, so the dialogue plugin must see it. */
  opensDialog?: boolean;
};

export type ActionSpecs = { [K in ActionKind]?: ActionSpec<K> };

/**
 * One thing the bot does, as createBot installs it: its commands (by name, without "/"), its buttons (by the kind
 * of their callback action), its dialogues, and a composer for every other update it answers (inline queries,
 * chat events, free text). Commands and buttons reach their handler through one router lookup; composers run
 * after the router, in the order features are installed.
 */
export type Feature = {
  commands?: Record<string, CommandSpec>;
  actions?: ActionSpecs;
  dialogs?: readonly Dialog[];
  composer?: Composer<BotContext>;
};

export type FeatureFactory = (deps: Deps) => Feature;

/** One feature made of parts (each a Feature); a command, button or dialogue defined twice is an error. */
export function combineFeatures(...parts: Feature[]): Feature {
  const commands: Record<string, CommandSpec> = {};
  const actions: ActionSpecs = {};
  const dialogs: Dialog[] = [];
  const composer = new FeatureComposer<BotContext>();
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part.commands ?? {})) {
      if (name in commands) throw new Error(`command /${name} is defined twice`);
      commands[name] = spec;
    }
    for (const kind of Object.keys(part.actions ?? {})) {
      if (kind in actions) throw new Error(`action ${kind} is defined twice`);
    }
    Object.assign(actions, part.actions);
    dialogs.push(...(part.dialogs ?? []));
    if (part.composer) composer.use(part.composer);
  }
  return { commands, actions, dialogs, composer };
}
