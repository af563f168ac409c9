import { existsSync, statSync } from "node:fs";
import { validate as isCronExpression } from "node-cron";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Telegram's ceiling for paid broadcasts (allow_paid_broadcast): messages a second. */
export const MAX_PAID_BROADCAST_RATE = 1000;
const PAID_RATE_ERROR = `must be a whole number of digests a second from 31 to ${MAX_PAID_BROADCAST_RATE} (unset: free broadcasts at 30 a second)`;

const configSchema = z
  .object({
    BOT_TOKEN: z
      .string({ error: "is required: get one from @BotFather" })
      .trim()
      .regex(/^\d{5,}:[A-Za-z0-9_-]{30,}$/, "is malformed: expected <digits>:<secret> as given by @BotFather"),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:8081" }).optional(),
    DATABASE_PATH: z.string().trim().min(1).default("data/bot.db"),
    CONTENT_DIR: z
      .string()
      .trim()
      .min(1)
      .refine((folder) => existsSync(folder) && statSync(folder).isDirectory(), "is not a folder (it holds topics.yaml and visits/)")
      .optional(),
    ADMIN_IDS: z
      .string()
      .default("")
      .transform((raw, ctx) => {
        const parts = raw
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean);
        const ids: number[] = [];
        for (const part of parts) {
          if (!/^\d+$/.test(part)) {
            ctx.addIssue({ code: "custom", message: `has "${part}", which is not a numeric Telegram user id` });
            return z.NEVER;
          }
          ids.push(Number(part));
        }
        return ids;
      }),
    DEFAULT_TIMEZONE: z.string().trim().default("Asia/Almaty").refine(isIanaZone, "is not an IANA time zone (e.g. Asia/Almaty)"),
    DIGEST_TICK: z
      .string()
      .trim()
      .default("* * * * *")
      .refine(
        (expression) => isCronExpression(expression),
        'is not a cron expression (5 fields, or 6 with seconds first), e.g. "* * * * *"',
      ),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0" }).optional(),
    BOT_MODE: z.enum(["polling", "webhook"], { error: "must be polling or webhook" }).default("polling"),
    WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "must be the public https URL Telegram posts updates to" }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
    PORT: z.coerce
      .number({ error: "must be a port number" })
      .int("must be a port number")
      .min(1, "must be a port number")
      .max(65535, "must be a port number")
      .default(8080),
    METRICS_PORT: z.coerce
      .number({ error: "must be a port number" })
      .int("must be a port number")
      .min(1, "must be a port number")
      .max(65535, "must be a port number")
      .optional(),
    METRICS_HOST: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name or an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0")
      .default("127.0.0.1"),
    ALERT_CHAT_ID: z
      .string()
      .trim()
      .regex(/^-?\d+$/, "must be a numeric Telegram chat id (a private chat, or a group's negative id such as -1001234567890)")
      .transform(Number)
      .optional(),
    PAID_BROADCAST_RATE: z.coerce
      .number({ error: PAID_RATE_ERROR })
      .int(PAID_RATE_ERROR)
      .min(31, PAID_RATE_ERROR)
      .max(MAX_PAID_BROADCAST_RATE, PAID_RATE_ERROR)
      .optional(),
    RICH_MESSAGES: z.enum(["auto", "off"], { error: "must be auto or off" }).default("auto"),
    EPHEMERAL_MESSAGES: z.enum(["auto", "off"], { error: "must be auto or off" }).default("auto"),
  })
  .superRefine((values, ctx) => {
    if (values.BOT_MODE !== "webhook") return;
    if (!values.WEBHOOK_URL) ctx.addIssue({ code: "custom", path: ["WEBHOOK_URL"], message: "is required when BOT_MODE=webhook" });
    if (!values.WEBHOOK_SECRET) ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required when BOT_MODE=webhook" });
  });

export type Config = {
  botToken: string;
  apiRoot: string | undefined;
  databasePath: string;
  /** The content folder (topics.yaml and visits/), followed while the bot runs; unset: the bundled content/. */
  contentDir: string | undefined;
  adminIds: number[];
  defaultTimezone: string;
  /** Cron expression for the digest scheduler's tick. */
  digestTick: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Set: state in Redis and digests through a shared BullMQ queue (several instances). Unset: SQLite, one process. */
  redisUrl: string | undefined;
  /** Set: GET /metrics and /healthz on their own server (in webhook mode the webhook server serves them too). */
  metrics: { port: number; host: string } | undefined;
  /** The operators' chat the bot posts alerts to; unset: no alerts. */
  alertChatId: number | undefined;
  /**
   * Set: digests are sent as paid broadcasts (allow_paid_broadcast, paid in Stars from the bot's balance) at this many
   * messages a second; unset: within Telegram's free 30 a second.
   */
  paidBroadcastRate: number | undefined;
  /**
   * auto: rich messages (the whole briefing in one message, rich section screens) until the Bot API server refuses
   * them, tried again hourly; off: plain HTML screens only.
   */
  richMessages: "auto" | "off";
  /**
   * auto: in a group, a member's press of a navigation button opens their own ephemeral screen, until the Bot API
   * server refuses ephemeral messages, tried again hourly; off: the shared message is edited, as for everyone.
   */
  ephemeralMessages: "auto" | "off";
  /** Long polling (default), or an HTTP server Telegram posts updates to. */
  mode: { kind: "polling" } | { kind: "webhook"; url: string; secret: string; port: number };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Empty strings count as unset, as they do in most .env files. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ""),
  );
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = configSchema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "settings"} ${issue.message}`);
    throw new ConfigError(problems);
  }
  const values = result.data;
  return {
    botToken: values.BOT_TOKEN,
    apiRoot: values.TELEGRAM_API_ROOT?.replace(/\/+$/, ""),
    databasePath: values.DATABASE_PATH,
    contentDir: values.CONTENT_DIR,
    adminIds: values.ADMIN_IDS,
    defaultTimezone: values.DEFAULT_TIMEZONE,
    digestTick: values.DIGEST_TICK,
    logLevel: values.LOG_LEVEL,
    redisUrl: values.REDIS_URL,
    metrics: values.METRICS_PORT === undefined ? undefined : { port: values.METRICS_PORT, host: values.METRICS_HOST },
    alertChatId: values.ALERT_CHAT_ID,
    paidBroadcastRate: values.PAID_BROADCAST_RATE,
    richMessages: values.RICH_MESSAGES,
    ephemeralMessages: values.EPHEMERAL_MESSAGES,
    mode:
      values.BOT_MODE === "webhook"
        ? { kind: "webhook", url: values.WEBHOOK_URL!, secret: values.WEBHOOK_SECRET!, port: values.PORT }
        : { kind: "polling" },
  };
}
