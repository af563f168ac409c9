import type { Locale, Script } from "../shared/locale.js";
import type { Period, Schedule } from "../shared/schedule.js";
import type { ChatGoneReason, TopicGoneReason } from "../telegram/send-errors.js";

export type UserRecord = {
  id: number;
  language: Locale | null;
  /** How the person reads Kazakh; "cyrl" until they choose Latin. */
  script: Script;
  firstSeenAt: string;
};

export type ChatKind = "private" | "group" | "supergroup" | "channel";

export type ChatRecord = {
  id: number;
  kind: ChatKind;
  title: string | null;
  language: Locale | null;
  script: Script;
  firstSeenAt: string;
};

export type SubscriptionStatus = "active" | "paused" | "stopped";
/**
 * Why a subscription stopped: the chat's own choice, Telegram telling us we can no longer write there, or the forum
 * topic it was for being closed or deleted.
 */
export type StopReason = "unsubscribed" | ChatGoneReason | TopicGoneReason;

/**
 * A subscription is one per chat and forum topic: `threadId` is the topic's message_thread_id, null for a chat
 * without topics and for a forum's General topic. Store methods take it as an optional last argument, absent
 * meaning null.
 */
export type Subscription = {
  chatId: number;
  threadId: number | null;
  chatKind: ChatKind;
  language: Locale;
  /** The script the digest is written in (Latin only for Kazakh). */
  script: Script;
  schedule: Schedule;
  /** Sector ids the chat picked; null means all of them, including sectors of future briefings. */
  sectors: string[] | null;
  status: SubscriptionStatus;
  stopReason: StopReason | null;
  activeSince: Date;
  nextCheckAt: Date;
  lastPeriod: string | null;
  /** Newest content date the chat's previous digest covered; null before its first digest. */
  contentMark: string | null;
  createdBy: number | null;
  /** Digests arrive without sound (disable_notification). */
  silent: boolean;
};

/**
 * Without a script the digest is in Cyrillic; without a thread it is for the chat itself (or a forum's General topic);
 * without `silent`, it is silent in groups and channels and with sound in a private chat (silentByDefault).
 */
export type NewSubscription = Pick<Subscription, "chatId" | "chatKind" | "language" | "schedule" | "sectors" | "createdBy"> &
  Partial<Pick<Subscription, "script" | "threadId" | "silent">>;
export type SubscriptionChange = Partial<Pick<Subscription, "schedule" | "sectors" | "language" | "script" | "silent">>;

/**
 * Many people read a group or a channel, and a digest with sound in each of them every day is noise; a person who
 * subscribed their own private chat asked for it.
 */
export const silentByDefault = (kind: ChatKind): boolean => kind !== "private";

export type DeliveryStatus = "pending" | "sending" | "sent" | "empty" | "failed" | "dropped";

/** Which delivery: a chat (and forum topic: absent or null is the chat itself) and period, one delivery each. */
export type DeliveryKey = { chatId: number; threadId?: number | null; period: string };
/** The calls of each backend's claim part: taking deliveries from the queue, handing back a stopped job's, and updates seen. */
export type DeliveryClaimNames =
  | "requeueInterrupted"
  | "claimDeliveries"
  | "claimDeliveriesFor"
  | "firstSightOfUpdate"
  | "pendingDeliveries"
  | "heldDeliveries"
  | "releaseHeld";
/** A delivery waiting in the queue, by its key, and the time it has been due since (its next attempt's). */
export type PendingDelivery = Required<DeliveryKey> & { nextAttemptAt: Date };
/** A delivery sending under a queue's job (its holder), by its id and key. */
export type HeldDelivery = Required<DeliveryKey> & { id: number; holder: string };
/** The error of a delivery failed for good because its job stopped at its last attempt (Store.releaseHeld). */
export const HOLDER_STOPPED = "its job stopped at its last attempt";
/** What releaseHeld did with a stopped holder's deliveries: the ids put back in the queue, and those failed for good. */
export type ReleasedHeld = { released: number[]; failed: number[] };

/** A claimed delivery, with what is needed to render and send it. */
export type Delivery = {
  id: number;
  chatId: number;
  /** The forum topic the digest goes to; null for the chat itself. */
  threadId: number | null;
  period: string;
  attempts: number;
  language: Locale;
  script: Script;
  sectors: string[] | null;
  contentMark: string | null;
  /** What kind of chat it goes to: a channel's digest carries link buttons instead of buttons that need a private chat. */
  chatKind: ChatKind;
  /** Sent with disable_notification. */
  silent: boolean;
};

/** The scheduling rule's decision for one subscription (a chat, or one topic of it: absent threadId is null). */
export type ChatDecision = { chatId: number; threadId?: number | null; deliver: Period | undefined; nextCheckAt: Date };

export type Stats = {
  subscribers: { language: Locale; frequency: Schedule["frequency"]; status: SubscriptionStatus; count: number }[];
  /** Deliveries finished since the given instant, by status. */
  deliveries: Record<DeliveryStatus, number>;
  /** Still queued (pending or sending). */
  queued: number;
  /** When the oldest delivery still queued fell due; null when none is queued. */
  oldestQueuedAt: Date | null;
};

/** A small key-value table for plugin state that must survive restarts (conversations). */
export type KeyValueStore = {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
};

/**
 * Reads answered at once, as the asynchronous methods of the same names answer them (keyValue: `keyValue.get`). Only
 * an engine that reads synchronously (SQLite) has them. The steps every update takes (the repeated-update check, the
 * reader's language, the dialogue gate, a screen's digest button) ask them first: there a promise and its turn of the
 * event loop cost more than the read itself.
 */
export type ReadsAtOnce = {
  firstSightOfUpdate(updateId: number): boolean;
  getUser(userId: number): UserRecord | undefined;
  getChat(chatId: number): ChatRecord | undefined;
  getSubscription(chatId: number, threadId?: number | null): Subscription | undefined;
  keyValue(key: string): string | undefined;
};

/**
 * Everything the features persist. Features depend on this interface only, never on the engine behind it; every
 * method is asynchronous so that a networked engine (Redis) can stand where the embedded one (SQLite) does.
 */
export type Store = {
  getUser(userId: number): Promise<UserRecord | undefined>;
  /** Records the user on first contact; returns the stored record. */
  touchUser(userId: number): Promise<UserRecord>;
  /** The person's language and script ("cyrl" when not given); their private chat's digest follows both. */
  setUserLanguage(userId: number, language: Locale, script?: Script): Promise<void>;

  getChat(chatId: number): Promise<ChatRecord | undefined>;
  touchChat(chat: { id: number; kind: ChatKind; title: string | null }): Promise<ChatRecord>;
  /** The group's language and script ("cyrl" when not given); its digest follows both. */
  setChatLanguage(chatId: number, language: Locale, script?: Script): Promise<void>;

  getSubscription(chatId: number, threadId?: number | null): Promise<Subscription | undefined>;
  /** The subscriptions of channels this person set up (createdBy), whatever their status, by chat id. */
  channelSubscriptionsOf(userId: number): Promise<Subscription[]>;
  /** Creates or replaces the subscription of the chat (and topic) and makes it active; it is checked at the next tick. */
  saveSubscription(subscription: NewSubscription): Promise<Subscription>;
  updateSubscription(chatId: number, change: SubscriptionChange, threadId?: number | null): Promise<Subscription | undefined>;
  pauseSubscription(chatId: number, threadId?: number | null): Promise<void>;
  /** Active again from now: periods missed while paused or stopped are not owed. */
  resumeSubscription(chatId: number, threadId?: number | null): Promise<void>;
  stopSubscription(chatId: number, reason: StopReason, threadId?: number | null): Promise<void>;
  /**
   * The bot lost the chat (blocked, removed, gone): every subscription of it stops, the chat's own and each topic's,
   * with their queued deliveries. Returns how many were still running.
   */
  stopChat(chatId: number, reason: StopReason): Promise<number>;
  /** A group became a supergroup: its subscriptions (every topic's), queue and settings follow it. */
  moveChat(fromChatId: number, toChatId: number): Promise<void>;

  /**
   * Takes up to `limit` active subscriptions due for a look at `now`, earliest first, as they are, and makes each due
   * next at `heldUntil`, atomically: ticks of several instances at the same moment share the due subscriptions instead
   * of each deciding every one, and a tick that stops before recording its decisions leaves them due again then.
   * Recording a decision sets the next check for good, so asking again gives the next page (no cursor, which lets an
   * engine serve this from an index by due time).
   */
  takeDueSubscriptions(now: Date, limit: number, heldUntil: Date): Promise<Subscription[]>;
  /**
   * Records the scheduler's decisions (a tick records a page at a time), each atomically: the owed delivery (once per
   * chat, topic and period) and the next check. A new instant delivery finishes the subscription's older instant
   * deliveries still pending as empty: it covers them. Given `heldUntil`, the hold its page was taken with, a next
   * check is written only where the subscription is still held: a change since the take (a new schedule, a resume)
   * asked for a check at once, which stays, so the next tick decides again with it rather than at the old schedule's time.
   */
  recordDecisions(decisions: readonly ChatDecision[], heldUntil?: Date): Promise<void>;

  /** After a crash, deliveries caught "sending" go back to the queue (at most these can be duplicated). */
  requeueInterrupted(): Promise<number>;
  /**
   * Takes up to `limit` queued deliveries that are due, marking them sending. Claimed but unsent deliveries are not
   * duplicated by a crash: requeueInterrupted puts them back, and they were never sent.
   */
  claimDeliveries(now: Date, limit: number): Promise<Delivery[]>;
  /**
   * Takes the deliveries of `keys` (each a chat's or topic's for a period) for `holder`, in one step, when a queue
   * (BullMQ) rather than claimDeliveries decides the order; returns those taken, in the keys' order. A pending delivery
   * is taken; a sending one only by the holder that has it (its job run again after a crash), so that two jobs naming
   * the same digest never both send it; one finished is not, nor one whose subscription is no longer active (dropped).
   */
  claimDeliveriesFor(keys: readonly DeliveryKey[], holder: string, now: Date): Promise<Delivery[]>;
  /**
   * Deliveries due since before `before` and still waiting (a queue re-enqueues them in case a crash lost the job),
   * each with the time it has been due since: put back again, it is due from a new time.
   */
  pendingDeliveries(before: Date, limit: number): Promise<PendingDelivery[]>;
  /**
   * Up to `limit` deliveries sending under a holder (claimDeliveriesFor), with it: the queue asks which holders will
   * never run again, whose deliveries no job would take otherwise.
   */
  heldDeliveries(limit: number): Promise<HeldDelivery[]>;
  /**
   * Those of `deliveryIds` still sending under `holder`, whose job will never run again, in one step: one whose claims
   * have reached `maxAttempts` fails for good (its job stopped at its last attempt), and any other goes back to the
   * queue, due at `at`, any job's to take; its claim stays an attempt (the message may have gone out before the holder
   * stopped), so a digest whose every try crashes still ends.
   */
  releaseHeld(deliveryIds: readonly number[], holder: string, options: { at: Date; maxAttempts: number }): Promise<ReleasedHeld>;
  markSent(deliveryId: number, messageId: number, contentMark: string): Promise<void>;
  /** Nothing new for this chat: no message, and the period counts as done. */
  markEmpty(deliveryId: number): Promise<void>;
  /**
   * Back to the queue, due at `nextAttemptAt`, and its claim is not an attempt: rate limiting (not the chat's fault),
   * or a stop before the message went out. Only a sending delivery goes back (this and markAttemptFailed): a late call
   * (a run whose job another has taken over, a call repeated after its answer was lost) neither brings back a
   * delivery already finished nor takes an attempt back twice.
   */
  putBack(deliveryId: number, nextAttemptAt: Date, error: string): Promise<void>;
  /** An attempt that failed and may pass: back to the queue, due at `retryAt`, the attempt counted. */
  markAttemptFailed(deliveryId: number, retryAt: Date, error: string): Promise<void>;
  markFailed(deliveryId: number, error: string): Promise<void>;
  /**
   * The chat is gone (blocked, kicked, deleted): drop the delivery and stop every subscription of the chat. A topic
   * gone (closed, deleted) stops only the subscription of that topic. True when this stopped a subscription that was
   * still running; false when it had stopped already (a chat event stopped it while the digest was in flight), so that
   * whoever is told of the stop is told once.
   */
  markDropped(deliveryId: number, reason: StopReason, error: string): Promise<boolean>;

  stats(since: Date): Promise<Stats>;
  /** False when this update id was seen before (Telegram resends webhook updates), by this or another instance. */
  firstSightOfUpdate(updateId: number): Promise<boolean>;
  /** True when the store answers a trivial query (health checks). */
  healthy(): Promise<boolean>;
  keyValue: KeyValueStore;
  /** The same reads at once, where the engine can answer so (SQLite); undefined where it cannot (Redis). */
  atOnce?: ReadsAtOnce;

  close(): Promise<void>;
};
