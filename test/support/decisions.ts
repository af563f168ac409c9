import type { ChatDecision, Delivery, DeliveryKey, Store } from "../../src/store/types.js";

/**
 * One scheduling decision recorded on its own, for tests that set up a single delivery: the store records decisions a
 * page at a time (Store.recordDecisions), and this is one such page of one.
 */
export function recordDecision(
  store: Pick<Store, "recordDecisions">,
  chatId: number,
  deliver: ChatDecision["deliver"],
  nextCheckAt: Date,
  threadId?: number | null,
): Promise<void> {
  return store.recordDecisions([{ chatId, threadId, deliver, nextCheckAt }]);
}

/** One delivery claimed on its own for `holder`, as a digest's job claims it: a step of one (Store.claimDeliveriesFor). */
export async function claimOne(
  store: Pick<Store, "claimDeliveriesFor">,
  key: DeliveryKey,
  holder: string,
  now: Date,
): Promise<Delivery | undefined> {
  return (await store.claimDeliveriesFor([key], holder, now))[0];
}
