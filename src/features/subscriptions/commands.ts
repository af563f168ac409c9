import type { Deps } from "../../bot/deps.js";
import { canManageChat } from "../../bot/admins.js";
import type { Feature } from "../../bot/feature.js";
import { replyText } from "../../bot/screens.js";
import { mainMenuKeyboard } from "../../render/sections.js";
import { parseSubscribeArgs } from "../../digest/subscribe-args.js";
import { sendDigestMessage } from "../../digest/deliver-one.js";
import { scheduleFromArgs, subscribeChat } from "../../digest/subscriptions.js";
import { forumTopicOf } from "../../telegram/forum-topic.js";
import type { SubscriptionDialogs } from "./dialogs.js";
import { subscribedNote, type SubscriptionScreens } from "./screens.js";

/**
 * /subscribe (a dialogue, or one line), /settings, /digest and /unsubscribe, in menu order. Sent in a forum topic,
 * each is about that topic's subscription; anywhere else, the chat's own.
 */
export function commandsPart(deps: Deps, dialogs: SubscriptionDialogs, screens: SubscriptionScreens): Feature {
  const { store } = deps;
  return {
    commands: {
      subscribe: {
        menu: "everywhere",
        opensDialog: true,
        async handle(ctx) {
          if (!(await canManageChat(ctx))) return void (await screens.refuse(ctx));
          const args = ctx.match.trim();
          if (args === "") return dialogs.subscribe.enter(ctx, { locale: ctx.locale, script: ctx.script });
          const parsed = parseSubscribeArgs(args);
          if (!parsed) return void (await replyText(ctx, ctx.t("subscribe-usage")));
          const threadId = forumTopicOf(ctx);
          const existing = await store.getSubscription(ctx.chat.id, threadId);
          const saved = await subscribeChat(store, {
            chat: ctx.chat,
            threadId,
            locale: ctx.locale,
            script: ctx.script,
            schedule: scheduleFromArgs(parsed, existing?.schedule, deps.defaultTimezone),
            sectors: existing?.sectors ?? null,
            ...(existing ? { silent: existing.silent } : {}),
            createdBy: ctx.from?.id ?? null,
          });
          await screens.reply(
            ctx,
            await screens.settings(ctx, saved, { chatId: ctx.chat.id, threadId }),
            subscribedNote(ctx.t, saved, deps.now(), ctx.edition.digests.contentMark),
          );
        },
      },
      settings: {
        menu: "everywhere",
        handle: async (ctx) => screens.reply(ctx, await screens.current(ctx, { chatId: ctx.chat.id, threadId: forumTopicOf(ctx) })),
      },
      // The digest as it stands, for this chat's sectors: the same renderer as scheduled digests, no bookkeeping.
      digest: {
        menu: "everywhere",
        async handle(ctx) {
          const threadId = forumTopicOf(ctx);
          const sectors = (await store.getSubscription(ctx.chat.id, threadId))?.sectors ?? null;
          const { digests } = ctx.edition;
          const args = [ctx.locale, sectors, null, ctx.script] as const;
          // As scheduled digests go: rich while the server has rich messages, else the HTML digest on the same update.
          const digest = { rich: digests.renderRich(...args)!, html: () => digests.render(...args)! };
          await sendDigestMessage(ctx.api, deps.capabilities, ctx.chat.id, digest, { threadId, script: ctx.script });
        },
      },
      // /cancel with no dialogue open (an open one takes /cancel itself): nothing to cancel, and the way to the menu.
      cancel: {
        menu: "hidden",
        handle: (ctx) => replyText(ctx, ctx.t("nothing-to-cancel"), mainMenuKeyboard(ctx.edition.library.latest.id, ctx.t)),
      },
      unsubscribe: {
        menu: "everywhere",
        async handle(ctx) {
          if (!(await canManageChat(ctx))) return void (await screens.refuse(ctx));
          const threadId = forumTopicOf(ctx);
          const current = await store.getSubscription(ctx.chat.id, threadId);
          if (!current || current.status === "stopped") return void (await replyText(ctx, ctx.t("not-subscribed")));
          await store.stopSubscription(ctx.chat.id, "unsubscribed", threadId);
          await replyText(ctx, ctx.t("unsubscribed"));
        },
      },
    },
  };
}
