import { describe, expect, it, vi } from "vitest";
import { tick } from "../src/digest/tick.js";
import type { Logger } from "../src/logger.js";
import type { ChatDecision, Store, Subscription } from "../src/store/types.js";
import { at, daily } from "./support/schedules.js";

// A scheduling rule gone wrong (a fictional fault for this test): every decision's next check is the tick itself.
vi.mock("../src/digest/schedule.js", async (original) => ({
  ...(await original<typeof import("../src/digest/schedule.js")>()),
  decide: (_state: unknown, now: Date) => ({ nextCheckAt: now }),
}));

describe("tick, when a decision's next check is not after it", () => {
  it("checks the subscription again an hour later and says so, rather than taking it again within the tick", async () => {
    const now = at("2025-09-05T05:00:00Z");
    const subscription = { chatId: 1, threadId: null, schedule: daily("09:00", "Asia/Almaty") } as unknown as Subscription;
    const pages = [[subscription], []];
    const recorded: ChatDecision[] = [];
    const store = {
      takeDueSubscriptions: vi.fn(async () => pages.shift() ?? []),
      recordDecisions: vi.fn(async (decisions: readonly ChatDecision[]) => void recorded.push(...decisions)),
    } as unknown as Store;
    const error = vi.fn();
    const result = await tick({ store, now, contentMark: () => "m", pageSize: 1, logger: { error } as unknown as Logger });
    expect(result).toEqual({ checked: 1, queued: 0 });
    expect(recorded).toEqual([{ chatId: 1, threadId: null, deliver: undefined, nextCheckAt: new Date(now.getTime() + 60 * 60 * 1000) }]);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ chat_id: 1 }), "could not schedule a digest");
  });
});
