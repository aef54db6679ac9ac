import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { orders } from "./timer-shapes.js";

// A 0 ms timer on the real event loop (R20 in docs/binding-timing.md). Node gives a timeout
// below 1 ms a delay of 1 ms and keeps it in the 1 ms list, in the order the timers were started:
// a `setTimeout(…, 0)` never fires before a 1 ms timer started earlier. The virtual clock must
// not either (test/instrument/clock.test.ts holds the kit to it).

const TRIALS = 200;

describe("R20: a 0 ms timer is a 1 ms timer", () => {
  it("setTimeout(a, 1) then setTimeout(b, 0) in one turn: a fires first, every trial", async () => {
    const counts = await orders(
      TRIALS,
      () =>
        new Promise<string>((resolve) => {
          const seen: string[] = [];
          setTimeout(() => seen.push("a"), 1);
          setTimeout(() => seen.push("b"), 0);
          setTimeout(() => resolve(seen.join("")), 5);
        }),
    );
    expect(counts).toEqual({ ab: TRIALS });
  });

  it("two tasks: sleep(1) started a turn before sleep(0) (a pipeline worker's shape): the 1 ms sleep ends first, every trial", async () => {
    const counts = await orders(TRIALS, async () => {
      const seen: string[] = [];
      const first = (async () => {
        await sleep(1);
        seen.push("one");
      })();
      await new Promise<void>((r) => setImmediate(r));
      const second = (async () => {
        await sleep(0);
        seen.push("zero");
      })();
      await Promise.all([first, second]);
      return seen.join(",");
    });
    expect(counts).toEqual({ "one,zero": TRIALS });
  });
});
