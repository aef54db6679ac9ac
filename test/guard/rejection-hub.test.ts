import { describe, expect, it } from "vitest";
import { RejectionHub, type RejectionClaimer } from "../../src/guard/rejection-hub.js";
import { turn } from "./helpers.js";

const EVENT = "unhandledRejection";

/** A listener that notes each call and how many listeners were attached while it ran. */
function recorder() {
  const calls: { reason: unknown; promise: Promise<unknown>; listeners: number }[] = [];
  const listener = (reason: unknown, promise: Promise<unknown>): void => {
    calls.push({ reason, promise, listeners: process.listenerCount(EVENT) });
  };
  return { calls, listener };
}

/** A claimer that claims one promise, as a guard context claims its ops. */
function claimer(mine: { promise: Promise<unknown> | null }, typed: Error): RejectionClaimer & { claimed: unknown[] } {
  const claimed: unknown[] = [];
  return {
    claimed,
    needsHub: true,
    claim(reason, promise) {
      if (promise !== mine.promise) return null;
      claimed.push(reason);
      return typed;
    },
  };
}

/**
 * The hub on its own (a fresh instance, not the thread's shared one). This file's process has
 * vitest's listener, which reports a rejection only when it is the only listener; the
 * recorders below stand for a user's handler and show what any other listener sees.
 */
describe("rejection hub", () => {
  it("a rejection nobody claims reaches the other listeners as if the kit were not listening, once", async () => {
    const other = recorder();
    process.on(EVENT, other.listener);
    const without = process.listenerCount(EVENT);
    const hub = new RejectionHub();
    const c = claimer({ promise: null }, new Error("typed"));
    hub.join(c);
    try {
      expect(process.listenerCount(EVENT)).toBe(without + 2);
      const foreign = Promise.reject(new Error("not the kit's"));
      await turn();
      expect(other.calls).toHaveLength(1);
      expect(other.calls[0]?.promise).toBe(foreign);
      expect((other.calls[0]?.reason as Error).message).toBe("not the kit's");
      // The pair was detached while the others ran, and is back afterwards.
      expect(other.calls[0]?.listeners).toBe(without);
      expect(process.listenerCount(EVENT)).toBe(without + 2);
    } finally {
      hub.leave(c);
      process.off(EVENT, other.listener);
    }
    expect(process.listenerCount(EVENT)).toBe(without - 1);
  });

  it("a claimed rejection reaches the others as the typed error first, with the pair detached; the raw one follows with the pair attached", async () => {
    const other = recorder();
    process.on(EVENT, other.listener);
    const without = process.listenerCount(EVENT);
    const hub = new RejectionHub();
    const mine: { promise: Promise<unknown> | null } = { promise: null };
    const typed = new Error("typed");
    const c = claimer(mine, typed);
    hub.join(c);
    try {
      const raw = new Error("raw");
      mine.promise = Promise.reject(raw);
      await turn();
      expect(c.claimed).toEqual([raw]);
      expect(other.calls.map((x) => x.reason)).toEqual([typed, raw]);
      expect(other.calls.map((x) => x.promise)).toEqual([mine.promise, mine.promise]);
      // A listener that reports only when it is alone (vitest) reports the typed error and leaves the raw one.
      expect(other.calls.map((x) => x.listeners)).toEqual([without, without + 2]);
    } finally {
      hub.leave(c);
      process.off(EVENT, other.listener);
    }
  });

  it("the pair is attached only while a claimer needs it", async () => {
    const before = process.listenerCount(EVENT);
    const hub = new RejectionHub();
    const done = { needsHub: true, claim: () => null };
    hub.join(done);
    expect(process.listenerCount(EVENT)).toBe(before + 2);
    // A claimer that no longer needs the hub is dropped at the next rejection.
    done.needsHub = false;
    const other = recorder();
    process.on(EVENT, other.listener);
    try {
      void Promise.reject(new Error("late"));
      await turn();
      expect(other.calls).toHaveLength(1);
      expect(process.listenerCount(EVENT)).toBe(before + 1);
    } finally {
      process.off(EVENT, other.listener);
    }
    hub.leave(done);
    expect(process.listenerCount(EVENT)).toBe(before);
  });
});
