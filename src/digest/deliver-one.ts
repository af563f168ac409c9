import { HttpError, type Api } from "grammy";
import type { Logger } from "../logger.js";
import type { DigestOutcome } from "../metrics/index.js";
import type { DigestRenderer } from "../render/digest.js";
import type { Rendered } from "../render/format.js";
import { richMessage } from "../render/rich-html.js";
import type { Delivery, StopReason, Store } from "../store/types.js";
import type { Script } from "../shared/locale.js";
import type { ApiCapabilities } from "../telegram/capabilities.js";
import { digestSlotsOf } from "../telegram/paid-broadcast.js";
import type { SendBudget } from "../telegram/send-budget.js";
import { classifySendError, type TopicGoneReason } from "../telegram/send-errors.js";

/**
 * How a delivery ended, with the chat and, for a failure, what Telegram or the network said; for a drop, whether it
 * stopped the chat's (or topic's) subscription now, or found it stopped already (told of once, by whoever stopped it).
 */
export type DigestFinished = (outcome: DigestOutcome, detail: { chatId: number; error?: string; stoppedNow?: boolean }) => void;

/**
 * What deliverOne made of one claimed delivery. Sent, empty and dropped are final and already recorded in the store;
 * the caller records the other two its own way (outbox rows, or the BullMQ job):
 * - requeue: back to the queue after `afterMs`, not an attempt (429 again and again, or stopped before sending);
 * - failed attempt: a failure that may pass; the caller applies its backoff and attempts (attemptFailed logs it).
 */
export type DeliveryOutcome =
  | { kind: "sent"; chatId: number }
  | { kind: "empty" }
  | { kind: "dropped"; chatId: number; reason: StopReason; error: string; stoppedNow: boolean }
  | { kind: "requeue"; afterMs: number; reason: string }
  | { kind: "failed attempt"; chatId: number; error: unknown; reason: string };

/** The store calls delivery makes: through storeThatWaits, each waits for a store that is away. */
export type DeliveryStore = Pick<
  Store,
  | "claimDeliveries"
  | "claimDeliveriesFor"
  | "markSent"
  | "markEmpty"
  | "putBack"
  | "markAttemptFailed"
  | "markFailed"
  | "markDropped"
  | "moveChat"
>;

/** What both delivery paths (the outbox sender and the BullMQ queue) are given, under the same names. */
export type DeliveryOptions = {
  /**
   * Sends without the replies' transformers: a 429 is waited out here, so that the repeated request takes a slot of
   * the send budget like any other (with digest priority, behind replies).
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
  /** The bot's own (createBot's): what a refusal taught about rich messages holds for replies and digests alike. */
  capabilities: ApiCapabilities;
  /** The bot's send budget (shared by every instance in Redis mode): digests take what replies leave. */
  sendBudget: SendBudget;
  logger: Logger;
  /** Told of each delivery that ends (metrics count them; a failure for good alerts the operators). */
  onFinished?: DigestFinished;
  /** How long a store call waits for a store that does not answer (a Redis restart) before it fails (storeThatWaits). */
  storeWaitMs?: number;
};

/** 429s one message may wait out in a row, through the budget, before it goes back to the queue. */
export const MAX_FLOOD_WAITS = 5;
export const DEFAULT_STORE_WAIT_MS = 2 * 60 * 1000;
const STORE_RETRY_MS = 500;
export const STOPPED_BEFORE_SENDING = "stopped before sending";

/** Where a digest goes within its chat, and how: a forum topic (none: the chat itself), without sound. */
export type DigestPlace = { threadId?: number | null; silent?: boolean };
/** A digest in both its forms: one rich message, and the HTML message for a server without rich messages. */
export type DigestMessage = { rich: Rendered; html: () => Rendered };

/** Where a digest goes and how it rings, as a send's options: its forum topic (if any), without sound (if silent). */
function placeOptions({ threadId = null, silent = false }: DigestPlace) {
  return { ...(threadId === null ? {} : { message_thread_id: threadId }), ...(silent ? { disable_notification: true } : {}) };
}

/** A digest as a message: the one way both delivery paths (and /digest) send it. */
export function sendDigest(api: Api, chatId: number, digest: Rendered, place: DigestPlace = {}) {
  return api.sendMessage(chatId, digest.text, {
    parse_mode: "HTML",
    reply_markup: digest.keyboard,
    link_preview_options: { is_disabled: true },
    ...placeOptions(place),
  });
}

/**
 * A rich digest as a message: the same chat, topic, sound and keyboard as sendDigest, built as every rich message is
 * (richMessage: no entity detection, right to left in the Arabic script).
 */
export function sendRichDigest(api: Api, chatId: number, digest: Rendered, place: DigestPlace & { script?: Script } = {}) {
  return api.sendRichMessage(chatId, richMessage(digest.text, place.script ?? "cyrl"), {
    reply_markup: digest.keyboard,
    ...placeOptions(place),
  });
}

/**
 * A digest as its chat gets it, by the one rule for newer parts of the Bot API (telegram/capabilities.ts): the rich
 * message where the server has rich messages; where it refuses them as missing, the HTML digest at once, on the same
 * delivery (nothing lost, no attempt counted), and for the next hour without asking. Any other refusal is thrown.
 */
export function sendDigestMessage(
  api: Api,
  capabilities: ApiCapabilities,
  chatId: number,
  digest: DigestMessage,
  place: DigestPlace & { script?: Script } = {},
) {
  return capabilities.attempt<{ message_id: number }>(
    "rich_messages",
    () => sendRichDigest(api, chatId, digest.rich, place),
    () => sendDigest(api, chatId, digest.html(), place),
  );
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
  return async (digests: DigestRenderer, delivery: Delivery): Promise<DigestMessage | undefined> => {
    const channelOf = delivery.chatKind === "channel" ? { botUsername: await botUsername() } : undefined;
    const args = [delivery.language, delivery.sectors, delivery.contentMark, delivery.script, channelOf] as const;
    const rich = digests.renderRich(...args);
    // Both forms cover the same entries: where there is a rich digest there is an HTML one, rendered only if needed.
    return rich && { rich, html: () => digests.render(...args)! };
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
 * Runs a store call again while the store does not answer (Redis restarting), instead of failing the delivery: a
 * failed attempt waits a minute or more before it is tried again, and a store that comes back within seconds should
 * cost the broadcast seconds; a message that went out must be recorded as sent, or it would go out again. An error
 * from a store that answers is a real one and is thrown at once, and so is one after `waitMs`.
 */
export async function whileStoreAway<T>(store: Pick<Store, "healthy">, call: () => Promise<T>, waitMs: number): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() >= giveUpAt || (await store.healthy())) throw error;
      await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
    }
  }
}

/** The delivery's store calls, each waiting for a store that is away (whileStoreAway): one rule for both paths. */
export function storeThatWaits(store: Store, waitMs = DEFAULT_STORE_WAIT_MS): DeliveryStore {
  const stored = <T>(call: () => Promise<T>) => whileStoreAway(store, call, waitMs);
  return {
    claimDeliveries: (...args) => stored(() => store.claimDeliveries(...args)),
    claimDeliveriesFor: (...args) => stored(() => store.claimDeliveriesFor(...args)),
    markSent: (...args) => stored(() => store.markSent(...args)),
    markEmpty: (...args) => stored(() => store.markEmpty(...args)),
    putBack: (...args) => stored(() => store.putBack(...args)),
    markAttemptFailed: (...args) => stored(() => store.markAttemptFailed(...args)),
    markFailed: (...args) => stored(() => store.markFailed(...args)),
    markDropped: (...args) => stored(() => store.markDropped(...args)),
    moveChat: (...args) => stored(() => store.moveChat(...args)),
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A delivery in progress: where it goes now (a migrated group moves it once) and the 429s it has waited out. */
type InFlight = { delivery: Delivery; chatId: number; moved: boolean; floods: number };

/** What acting on Telegram's answer to a digest needs: the run's store, budget, log, stop and tally, and the notices. */
type Handling = Pick<DeliveryOptions, "notices" | "renderer" | "sendBudget" | "logger"> & {
  store: DeliveryStore;
  signal: AbortSignal;
  finished: DigestFinished;
};

/** What Telegram's refusal of the digest means for it: send again, or how the delivery ends for now. */
async function refused(handling: Handling, inFlight: InFlight, error: unknown): Promise<DeliveryOutcome | "send again"> {
  const { sendBudget, store, logger, signal } = handling;
  const failure = classifySendError(error);
  const { chatId } = inFlight;
  switch (failure.kind) {
    case "flood":
      // The budget closes for every sender (of every instance); this message then waits its turn again.
      await sendBudget.closeFor(failure.retryAfter);
      if (inFlight.floods++ < MAX_FLOOD_WAITS) return "send again";
      // Told to wait again and again: back to the queue for later, and it does not count against the chat.
      logger.warn({ chat_id: chatId, retry_after: failure.retryAfter }, "digest refused with 429 again and again: queued for later");
      return { kind: "requeue", afterMs: failure.retryAfter * 1000, reason: messageOf(error) };
    case "migrated":
      // One move per delivery: a second "migrated" answer is a failure like any other.
      if (inFlight.moved) break;
      logger.info({ from: chatId, to: failure.toChatId }, "group became a supergroup: subscription moved");
      await store.moveChat(chatId, failure.toChatId);
      inFlight.chatId = failure.toChatId;
      inFlight.moved = true;
      return "send again";
    case "gone":
      logger.info({ chat_id: chatId, reason: failure.reason }, "chat is gone: subscription stopped");
      return dropped(handling, inFlight, failure.reason, error);
    case "topic gone": {
      // Only this topic's subscription stops; the group and its other topics go on.
      logger.info(
        { chat_id: chatId, thread_id: inFlight.delivery.threadId, reason: failure.reason },
        "forum topic is gone: its subscription stopped",
      );
      const outcome = await dropped(handling, inFlight, failure.reason, error);
      // A topic closed by its administrators (its service message stopped the digest already) needs no notice.
      if (outcome.stoppedNow) await tellTopicStopped(handling, inFlight.delivery, chatId, failure.reason, signal);
      return outcome;
    }
    case "other":
      break;
  }
  return { kind: "failed attempt", chatId, error, reason: messageOf(error) };
}

/** A chat or topic gone: its subscription stopped (now, or already by whoever stopped it), counted and told. */
async function dropped({ store, finished }: Handling, { delivery, chatId }: InFlight, reason: StopReason, error: unknown) {
  const stoppedNow = await store.markDropped(delivery.id, reason, messageOf(error));
  finished("dropped", { chatId, stoppedNow });
  return { kind: "dropped", chatId, reason, error: messageOf(error), stoppedNow } as const;
}

/**
 * The one delivery of a claimed digest, for both paths: render, take a slot of the send budget (digest priority),
 * send, and act on Telegram's answer (src/telegram/send-errors.ts), with one set of log lines. `signal` is the run's
 * stop: a delivery still waiting for its slot goes back to the queue, and a notice still waiting is given up.
 */
export function createDeliverOne(options: Omit<DeliveryOptions, "store"> & { store: DeliveryStore; signal: AbortSignal }) {
  const { api, store, renderer, sendBudget, logger, signal, capabilities } = options;
  const finished: DigestFinished = options.onFinished ?? (() => undefined);
  const digestOf = digestOfDelivery(api);
  // Paid broadcasts (the Api sends them) count in the paid rate alone; any other digest in the free 30 a second.
  const digestSlots = digestSlotsOf(api);
  const handling: Handling = { ...options, store, finished };

  async function deliverOne(delivery: Delivery): Promise<DeliveryOutcome> {
    const digests = renderer();
    const digest = await digestOf(digests, delivery);
    if (!digest) {
      await store.markEmpty(delivery.id);
      finished("empty", { chatId: delivery.chatId });
      return { kind: "empty" };
    }
    const inFlight: InFlight = { delivery, chatId: delivery.chatId, moved: false, floods: 0 };
    for (;;) {
      const slot = await sendBudget.acquire(inFlight.chatId, digestSlots, signal);
      // Stopping before this message went out: its claim is not an attempt.
      if (!slot) return { kind: "requeue", afterMs: 0, reason: STOPPED_BEFORE_SENDING };
      let messageId: number;
      try {
        messageId = (await sendDigestMessage(api, capabilities, inFlight.chatId, digest, delivery).finally(() => slot.sent())).message_id;
      } catch (error) {
        const outcome = await refused(handling, inFlight, error);
        if (outcome === "send again") continue;
        return outcome;
      }
      // Sent: it is recorded as sent however long the store takes to come back, or it would go out again.
      await store.markSent(delivery.id, messageId, digests.contentMark);
      finished("sent", { chatId: inFlight.chatId });
      return { kind: "sent", chatId: inFlight.chatId };
    }
  }

  /**
   * A failed attempt, logged once whichever path made it; the last one (`last`, by the caller's count of attempts)
   * fails the delivery for good: recorded, counted and told (onFinished). Otherwise the caller tries again later.
   */
  async function attemptFailed(
    delivery: Delivery,
    outcome: Extract<DeliveryOutcome, { kind: "failed attempt" }>,
    { attempts, last }: { attempts: number; last: boolean },
  ): Promise<void> {
    const { error, chatId, reason } = outcome;
    if (last) {
      logger.error({ err: error, chat_id: chatId, attempts }, "digest failed for good");
      await store.markFailed(delivery.id, reason);
      finished("failed", { chatId, error: reason });
      return;
    }
    // A network failure is expected now and then; anything else is worth a look.
    logger[error instanceof HttpError ? "warn" : "error"]({ err: error, chat_id: chatId, attempts }, "digest failed, will retry");
  }

  /** A store or render failure outside Telegram's answer: the caller keeps the delivery queued rather than lose it. */
  function crashed(deliveryId: number | undefined, error: unknown): void {
    logger.error({ err: error, delivery_id: deliveryId }, "digest delivery crashed");
  }

  return { deliverOne, attemptFailed, crashed };
}
export type DeliverOne = ReturnType<typeof createDeliverOne>;

/** Whether a delivery's failed attempt is its last, by the store's count of its claims that counted. */
export const isLastAttempt = (delivery: Delivery, maxAttempts: number): boolean => delivery.attempts >= maxAttempts;

/**
 * What keeping an outcome in the outbox needs: the outbox, the attempts a delivery has and its backoff, the clock,
 * and deliverOne's record of a failed attempt and of a crash.
 */
export type OutboxKeeping = Pick<DeliverOne, "attemptFailed" | "crashed"> & {
  store: DeliveryStore;
  maxAttempts: number;
  /** The wait before attempt n+1 after n failed attempts. */
  backoffMs: (attempts: number) => number;
  /** The time `afterMs` from now. */
  at: (afterMs: number) => Date;
};

/** What became of a delivery: finished (by its kind, or failed for good), or due again in the outbox after a wait. */
export type Kept = "sent" | "empty" | "dropped" | "failed" | { againInMs: number };

/**
 * An outcome as the outbox keeps it, one rule for the outbox sender and a tick page's job: sent, empty and dropped
 * are recorded already (deliverOne); a requeue goes back with its wait and is no attempt; a failed attempt goes back
 * after its backoff, and the last one fails the delivery for good.
 */
export async function keepInOutbox(keeping: OutboxKeeping, delivery: Delivery, outcome: DeliveryOutcome): Promise<Kept> {
  switch (outcome.kind) {
    case "sent":
    case "empty":
    case "dropped":
      return outcome.kind;
    case "requeue":
      await keeping.store.putBack(delivery.id, keeping.at(outcome.afterMs), outcome.reason);
      return { againInMs: outcome.afterMs };
    case "failed attempt": {
      const last = isLastAttempt(delivery, keeping.maxAttempts);
      await keeping.attemptFailed(delivery, outcome, { attempts: delivery.attempts, last });
      if (last) return "failed";
      const againInMs = keeping.backoffMs(delivery.attempts);
      await keeping.store.markAttemptFailed(delivery.id, keeping.at(againInMs), outcome.reason);
      return { againInMs };
    }
  }
}

/** A store or render failure outside Telegram's answer, kept in the outbox as a failed attempt rather than lost. */
export async function keepCrashed(keeping: OutboxKeeping, delivery: Delivery, error: unknown): Promise<Kept> {
  keeping.crashed(delivery.id, error);
  const againInMs = keeping.backoffMs(1);
  await keeping.store.markAttemptFailed(delivery.id, keeping.at(againInMs), String(error));
  return { againInMs };
}
