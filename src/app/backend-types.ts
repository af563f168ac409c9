import type { DeliveryParts, DigestDelivery } from "../digest/delivery.js";
import type { Store } from "../store/types.js";
import type { SendBudget } from "../telegram/send-budget.js";

/** Where the bot keeps its state, as the operators' alerts name it. */
export type StoreKind = "SQLite" | "Redis";

/**
 * The parts of the bot that depend on where its state is kept. The store and the send budget come first (the bot is
 * built on them); the digest delivery needs the bot's renderer and notices, so it is started from them afterwards.
 */
export type Backend = {
  kind: StoreKind;
  store: Store;
  /** One send budget for replies and digests; in Redis, shared by every instance. */
  sendBudget: SendBudget;
  /** Builds and starts the digest delivery of this backend on the bot's parts (once the bot exists). */
  startDelivery(parts: DeliveryParts): DigestDelivery;
  /** Closes the store and what the send budget holds open, together; rejects with the first failure. */
  close(): Promise<void>;
};
