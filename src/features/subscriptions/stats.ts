import type { Deps } from "../../bot/deps.js";
import type { Feature } from "../../bot/feature.js";
import { fromLocal, toLocal } from "../../digest/zoned-time.js";
import { bold, escapeHtml } from "../../render/format.js";

/** /stats, for operators in ADMIN_IDS only (to anyone else it is an unknown command): subscriptions and today's deliveries. */
export function statsPart({ store, adminIds, defaultTimezone, now }: Deps): Feature {
  return {
    commands: {
      stats: {
        menu: "hidden",
        async handle(ctx, next) {
          if (!ctx.from || !adminIds.includes(ctx.from.id)) return next();
          const startOfToday = fromLocal(toLocal(now(), defaultTimezone), 0, defaultTimezone);
          const stats = await store.stats(startOfToday);
          const lines = stats.subscribers.map((row) =>
            ctx.t("stats-line", { language: row.language, frequency: row.frequency, status: row.status, count: row.count }),
          );
          const text = [
            bold(ctx.t("stats-title")),
            escapeHtml([ctx.t("stats-subscribers"), ...(lines.length ? lines : [ctx.t("stats-no-subscribers")])].join("\n")),
            escapeHtml(ctx.t("stats-today", { ...stats.deliveries, queued: stats.queued })),
          ].join("\n\n");
          await ctx.reply(text, { parse_mode: "HTML" });
        },
      },
    },
  };
}
