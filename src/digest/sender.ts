import { HttpError, type Api } from "grammy";
import type { Logger } from "../logger.js";
import type { DigestOutcome } from "../metrics/index.js";
import type { DigestRenderer } from "../render/digest.js";
import type { Rendered } from "../render/format.js";
import type { Delivery, Store } from "../store/types.js";
import { classifySendError, type TopicGoneReason } from "../telegram/send-errors.js";
import { digestSlotsOf } from "../telegram/paid-broadcast.js";
import { realClock, type Clock, type SendBudget } from "../telegram/send-budget.js";

export type SenderOptions = {
  /**
   * An Api without the replies' transformers: the sender waits out a 429 itself, so that the repeated request takes
   * a slot of the send budget like any other (with digest priority, behind replies).
   */
  api: Api;
  /**
   * The Api of the run's messages that are not digests (createNoticesApi): with the replies' transformers at digest
   * priority, so each takes its turn behind replies and waits out a 429 itself.
   */
  notices: Api;
  store: Store;
  /** The current digest renderer: content can change during a run, and each delivery renders with the current one. */
  renderer: () => DigestRenderer;
  /** The bot's send budget: digests take what replies leave. */
  limiter: SendBudget;
  logger: Logger;
  clock?: Clock;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts before a delivery is marked failed (rate limiting does not count). */
  maxAttempts?: number;
  /** Delay before attempt n+1 after n failed attempts. */
  backoffMs?: (attempts: number) => number;
  /** Told of each delivery that ends (metrics count them; a failure for good alerts the operators). */
  onFinished?: DigestFinished;
};

/**
 * How a delivery ended, with the chat and, for a failure, what Telegram or the network said; for a drop, whether it
 * stopped the chat's (or topic's) subscription now, or found it stopped already (told of once, by whoever stopped it).
 */
export type DigestFinished = (outcome: DigestOutcome, detail: { chatId: number; error?: string; stoppedNow?: boolean }) => void;

export type DrainResult = { sent: number; empty: number; retried: number; failed: number; dropped: number };

const DEFAULT_CONCURRENCY = 3;
/** 429s one message may wait out in a row before it goes back to the outbox. */
const MAX_FLOOD_WAITS = 5;
/** Deliveries claimed per transaction. A crash leaves them "sending"; they are requeued, and none was sent. */
const CLAIM_BATCH = 20;
const DEFAULT_MAX_ATTEMPTS = 5;
const defaultBackoff = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 60 * 60_000);

/** Where a digest goes within its chat, and how: a forum topic (none: the chat itself), without sound. */
export type DigestPlace = { threadId?: number | null; silent?: boolean };

/** A digest as a message: the one way both delivery paths send it. */
export function sendDigest(api: Api, chatId: number, digest: Rendered, { threadId = null, silent = false }: DigestPlace = {}) {
  return api.sendMessage(chatId, digest.text, {
    parse_mode: "HTML",
    reply_markup: digest.keyboard,
    link_preview_options: { is_disabled: true },
    ...(threadId === null ? {} : { message_thread_id: threadId }),
    ...(silent ? { disable_notification: true } : {}),
  });
}

/**
 * A delivery's digest as its chat gets it: a channel's carries link buttons into the bot (its readers have no private
 * session there), so it needs the bot's username, asked of Telegram once per Api and only for a channel.
 */
export function digestOfDelivery(api: Api) {
  let username: Promise<string> | undefined;
  const botUsername = () =>
    (username ??= api.getMe().then(
      (me) => me.username,
      (error: unknown) => {
        // Asked again at the next channel digest.
        username = undefined;
        throw error;
      },
    ));
  return async (digests: DigestRenderer, delivery: Delivery): Promise<Rendered | undefined> => {
    const channelOf = delivery.chatKind === "channel" ? { botUsername: await botUsername() } : undefined;
    return digests.render(delivery.language, delivery.sectors, delivery.contentMark, delivery.script, channelOf);
  };
}

/**
 * The digest of a forum topic stopped because the topic is closed or deleted: the group hears it in its General
 * topic (where every member, and so its administrators, reads), with how to have it again. Told once, when the
 * subscription stops, on the notices' Api (its turn behind replies, a 429 waited out, a deadline); if even that
 * fails, or `signal` (the run's stop) aborts it, the log says so and nothing more is tried.
 */
export async function tellTopicStopped(
  options: { notices: Api; logger: Logger; renderer: () => DigestRenderer },
  delivery: Pick<Delivery, "chatId" | "threadId" | "language" | "script" | "silent">,
  chatId: number,
  reason: TopicGoneReason,
  signal?: AbortSignal,
): Promise<void> {
  // A closed General topic refuses a thread-less digest the same way; the notice would go to the same closed place.
  if (delivery.threadId === null) return;
  const notice = options.renderer().topicStopped(delivery.language, delivery.script, reason);
  try {
    await options.notices.sendMessage(
      chatId,
      notice.text,
      {
        parse_mode: "HTML",
        // As quiet as the digest it replaces: a group that chose silent digests is not rung for this one either.
        ...(delivery.silent ? { disable_notification: true } : {}),
        // Only digests are paid broadcasts (PAID_BROADCAST_RATE): this notice is free, whatever the Api.
        allow_paid_broadcast: false,
      },
      // grammY types the signal with an older AbortSignal; at run time it takes Node's own.
      signal as Parameters<Api["sendMessage"]>[3],
    );
  } catch (error) {
    options.logger.warn(
      { err: error, chat_id: chatId, thread_id: delivery.threadId },
      "could not tell the group its topic's digest stopped",
    );
  }
}

/**
 * Drains the delivery outbox: a few workers claim due deliveries one at a time, render (cached per distinct
 * digest), wait for a slot of the send budget and send. Each delivery ends sent, empty, failed or dropped, or goes back to
 * the queue with a later attempt time; nothing is lost when the process stops halfway.
 */
export function createDigestSender(options: SenderOptions) {
  const { api, store, renderer, limiter, logger } = options;
  const clock = options.clock ?? realClock;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoffMs = options.backoffMs ?? defaultBackoff;
  const finished: DigestFinished = options.onFinished ?? (() => undefined);
  const stopping = new AbortController();
  let running: Promise<DrainResult> | undefined;
  let again = false;
  const digestOf = digestOfDelivery(api);
  // Paid broadcasts (the Api sends them) count in the paid rate alone; any other digest in the free 30 a second.
  const digestSlots = digestSlotsOf(api);

  async function deliver(delivery: Delivery, result: DrainResult): Promise<void> {
    const digests = renderer();
    const digest = await digestOf(digests, delivery);
    if (!digest) {
      await store.markEmpty(delivery.id);
      result.empty++;
      finished("empty", { chatId: delivery.chatId });
      return;
    }
    let chatId = delivery.chatId;
    let moved = false;
    let floods = 0;
    for (;;) {
      const slot = await limiter.acquire(chatId, digestSlots, stopping.signal);
      if (!slot) {
        await store.markRetry(delivery.id, new Date(clock.now()), "stopped before sending", false);
        result.retried++;
        return;
      }
      try {
        const message = await sendDigest(api, chatId, digest, delivery).finally(() => slot.sent());
        await store.markSent(delivery.id, message.message_id, digests.contentMark);
        result.sent++;
        finished("sent", { chatId });
        return;
      } catch (error) {
        const failure = classifySendError(error);
        const reason = error instanceof Error ? error.message : String(error);
        switch (failure.kind) {
          case "flood":
            // Every worker waits it out; this message then goes through the limiter again, counted like any other.
            await limiter.closeFor(failure.retryAfter);
            if (floods++ < MAX_FLOOD_WAITS) continue;
            // Told to wait again and again: the outbox keeps it for later, and it does not count against the chat.
            await store.markRetry(delivery.id, new Date(clock.now() + failure.retryAfter * 1000), reason, false);
            result.retried++;
            return;
          case "migrated":
            // One move per delivery: a second "migrated" answer is a failure like any other.
            if (moved) break;
            logger.info({ from: chatId, to: failure.toChatId }, "group became a supergroup: subscription moved");
            await store.moveChat(chatId, failure.toChatId);
            chatId = failure.toChatId;
            moved = true;
            continue;
          case "gone":
            logger.info({ chat_id: chatId, reason: failure.reason }, "chat is gone: subscription stopped");
            result.dropped++;
            finished("dropped", { chatId, stoppedNow: await store.markDropped(delivery.id, failure.reason, reason) });
            return;
          case "topic gone": {
            // Only this topic's subscription stops; the group and its other topics go on.
            logger.info(
              { chat_id: chatId, thread_id: delivery.threadId, reason: failure.reason },
              "forum topic is gone: its subscription stopped",
            );
            const stoppedNow = await store.markDropped(delivery.id, failure.reason, reason);
            result.dropped++;
            finished("dropped", { chatId, stoppedNow });
            // A topic closed by its administrators (its service message stopped the digest already) needs no notice.
            if (stoppedNow) await tellTopicStopped(options, delivery, chatId, failure.reason, stopping.signal);
            return;
          }
          case "other":
            break;
        }
        await retryLater(delivery, chatId, error, reason, result);
        return;
      }
    }
  }

  /** A failure that may pass: back to the outbox with backoff, until the attempts run out. */
  async function retryLater(delivery: Delivery, chatId: number, error: unknown, reason: string, result: DrainResult): Promise<void> {
    if (delivery.attempts >= maxAttempts) {
      logger.error({ err: error, chat_id: chatId, attempts: delivery.attempts }, "digest failed for good");
      await store.markFailed(delivery.id, reason);
      result.failed++;
      finished("failed", { chatId, error: reason });
      return;
    }
    const level = error instanceof HttpError ? "warn" : "error";
    logger[level]({ err: error, chat_id: chatId, attempts: delivery.attempts }, "digest failed, will retry");
    await store.markRetry(delivery.id, new Date(clock.now() + backoffMs(delivery.attempts)), reason, true);
    result.retried++;
  }

  // Claimed a few at a time (one transaction each batch) and shared by the workers.
  const claimed: Delivery[] = [];
  async function nextDelivery(): Promise<Delivery | undefined> {
    if (claimed.length === 0) claimed.push(...(await store.claimDeliveries(new Date(clock.now()), CLAIM_BATCH)));
    return claimed.shift();
  }

  async function worker(result: DrainResult): Promise<void> {
    while (!stopping.signal.aborted) {
      // Let the event loop turn between batches: updates keep being answered during a long broadcast, and
      // timers and finalizers run even when the API answers so fast that every await resolves at once.
      if (claimed.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const delivery = await nextDelivery();
      if (!delivery) return;
      try {
        await deliver(delivery, result);
      } catch (error) {
        // A store or render failure: keep the delivery queued rather than lose it.
        logger.error({ err: error, delivery_id: delivery.id }, "digest delivery crashed");
        await store.markRetry(delivery.id, new Date(clock.now() + backoffMs(1)), String(error), true);
        result.retried++;
      }
    }
  }

  async function drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, empty: 0, retried: 0, failed: 0, dropped: 0 };
    do {
      again = false;
      await Promise.all(Array.from({ length: concurrency }, () => worker(result)));
    } while (again && !stopping.signal.aborted);
    // Stopped with deliveries claimed but not sent: back to the queue, not counted as attempts.
    for (const delivery of claimed.splice(0)) {
      await store.markRetry(delivery.id, new Date(clock.now()), "stopped before sending", false);
      result.retried++;
    }
    return result;
  }

  return {
    /** Sends everything due now. Concurrent calls share one run (which then looks again before finishing). */
    drain(): Promise<DrainResult> {
      if (running) {
        again = true;
        return running;
      }
      running = drainOnce().finally(() => {
        running = undefined;
      });
      return running;
    },
    /**
     * Stops claiming, lets requests in flight finish; claimed but unsent deliveries go back to the queue, and a notice
     * still waiting for its turn is given up.
     */
    async stop(): Promise<void> {
      stopping.abort();
      await running;
    },
  };
}
export type DigestSender = ReturnType<typeof createDigestSender>;
