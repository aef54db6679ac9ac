import { describe, expect, it } from "vitest";
import { issue, Journal, outcomeOf, settledNow, timingOf, watch } from "./probe.js";

// The instrument itself, on promises whose timing is known: it must tell an op that settles
// inside the call from one that settles from a later macrotask, and report the order
// continuations ran in, or the binding measurements could not see a wrong order.

describe("probe", () => {
  it("classifies a promise settled inside the call as atOnce, and its rejection with the code", async () => {
    const ok = issue(new Journal(), "op", () => Promise.resolve(1));
    expect(outcomeOf(ok.settledAtReturn, await ok.resumed)).toBe("atOnce");
    const refused = issue(new Journal(), "op", () => Promise.reject(Object.assign(new Error("no"), { code: "EAGAIN" })));
    expect(outcomeOf(refused.settledAtReturn, await refused.resumed)).toBe("atOnce:EAGAIN");
  });

  it("classifies a promise settled from a later macrotask as later, and sees the markers queued before the call", async () => {
    const fromImmediate = issue(new Journal(), "op", () => new Promise<void>((resolve) => setImmediate(resolve)));
    const r = await fromImmediate.resumed;
    expect([fromImmediate.settledAtReturn, timingOf(fromImmediate.settledAtReturn, r), r.immediateRan]).toEqual([false, "later", true]);
    const fromTimer = issue(new Journal(), "op", () => new Promise<void>((resolve) => setTimeout(resolve, 5)));
    const t = await fromTimer.resumed;
    expect([timingOf(fromTimer.settledAtReturn, t), t.immediateRan, t.timeoutRan]).toEqual(["later", true, true]);
  });

  it("reports a synchronous throw with its code", () => {
    const w = watch(new Journal(), "op", () => {
      throw Object.assign(new Error("busy"), { code: "EBUSY" });
    });
    expect(w).toEqual({ kind: "threw", code: "EBUSY" });
  });

  it("records continuations in the order they ran, including a later op resuming before an earlier one", async () => {
    const journal = new Journal();
    const slow = issue(journal, "slow", () => new Promise<void>((resolve) => setTimeout(resolve, 5)));
    const fast = issue(journal, "fast", () => new Promise<void>((resolve) => setImmediate(resolve)));
    await Promise.all([slow.resumed, fast.resumed]);
    expect(journal.order).toEqual(["fast", "slow"]);
  });

  it("sees a promise settled by a later call in the same synchronous block (as a send completing a pending receive)", async () => {
    const box: { settle?: () => void } = {};
    const pending = issue(new Journal(), "receive", () => new Promise<void>((resolve) => (box.settle = resolve)));
    expect(settledNow(pending.promise)).toBe(false);
    box.settle?.();
    expect(settledNow(pending.promise)).toBe(true);
    await pending.resumed;
  });
});
