import {
  createDeliverOne,
  keepCrashed,
  keepInOutbox,
  storeThatWaits,
  STOPPED_BEFORE_SENDING,
  type DeliveryOptions,
  type Kept,
  type OutboxKeeping,
} from "./deliver-one.js";
import type { Delivery } from "../store/types.js";
import { realClock, type Clock } from "../telegram/send-budget.js";

export type { DigestFinished } from "./deliver-one.js";

export type SenderOptions = DeliveryOptions & {
  clock?: Clock;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts before a delivery is marked failed (rate limiting does not count). */
  maxAttempts?: number;
  /** Delay before attempt n+1 after n failed attempts. */
  backoffMs?: (attempts: number) => number;
};

export type DrainResult = { sent: number; empty: number; retried: number; failed: number; dropped: number };

const DEFAULT_CONCURRENCY = 3;
/** Deliveries claimed per transaction. A crash leaves them "sending"; they are requeued, and none was sent. */
const CLAIM_BATCH = 20;
const DEFAULT_MAX_ATTEMPTS = 5;
const defaultBackoff = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 60 * 60_000);

/** A delivery's end, counted in the drain's result: finished by its kind, or due again (retried). */
function count(result: DrainResult, kept: Kept): void {
  if (typeof kept === "object") result.retried++;
  else result[kept]++;
}

/**
 * Drains the delivery outbox (one machine, SQLite): a few workers claim due deliveries a batch at a time and hand each
 * to deliverOne (render, slot of the send budget, send, Telegram's answer); the sender only keeps the outcome in the
 * outbox. Each delivery ends sent, empty, failed or dropped, or goes back to the outbox with a later attempt time;
 * nothing is lost when the process stops halfway.
 */
export function createDigestSender(options: SenderOptions) {
  const clock = options.clock ?? realClock;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const store = storeThatWaits(options.store, options.storeWaitMs);
  const stopping = new AbortController();
  const { deliverOne, attemptFailed, crashed } = createDeliverOne({ ...options, store, signal: stopping.signal });
  let running: Promise<DrainResult> | undefined;
  let again = false;
  const at = (afterMs: number) => new Date(clock.now() + afterMs);
  const keeping: OutboxKeeping = {
    store,
    attemptFailed,
    crashed,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoffMs: options.backoffMs ?? defaultBackoff,
    at,
  };

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
        count(result, await keepInOutbox(keeping, delivery, await deliverOne(delivery)));
      } catch (error) {
        // A store or render failure: keep the delivery queued rather than lose it.
        count(result, await keepCrashed(keeping, delivery, error));
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
      await store.putBack(delivery.id, at(0), STOPPED_BEFORE_SENDING);
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
