import { describe, expect, it } from "vitest";
import { livenessPerBeat, orders, timeoutInBeat } from "./timer-shapes.js";

// When an interval starts again on the real event loop (R22 in docs/binding-timing.md). Node
// runs an interval's callback, then starts the interval again: a timer the callback starts
// itself was started first, and of two timers due at one millisecond the one started first
// fires first. So a timeout started inside a beat, with the beat's own period, fires before
// the next beat. (fake-timers starts the interval again before it calls the callback; the
// virtual clock must not: test/instrument/clock.test.ts holds the kit to it.)

const TRIALS = 200;

/** One trial of `shape`: the order its timers fired in. */
function trialOf(shape: (seen: string[]) => Promise<void>): () => Promise<string> {
  return async () => {
    const seen: string[] = [];
    await shape(seen);
    return seen.join(", ");
  };
}

describe("R22: an interval starts again when its callback has returned", () => {
  it("a 1 ms interval whose second beat starts a 1 ms timeout: the timeout fires before the third beat, every trial", async () => {
    expect(await orders(TRIALS, trialOf(timeoutInBeat))).toEqual({ "timeout, third beat": TRIALS });
  });

  it("a heartbeat's shape: a 2 ms interval that arms a 2 ms liveness check at each beat; each check fires before the next beat", async () => {
    expect(await orders(TRIALS, trialOf(livenessPerBeat))).toEqual({ "beat 1, check 1, beat 2, check 2, beat 3, check 3, beat 4": TRIALS });
  });
});
