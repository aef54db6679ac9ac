import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";

// When an interval starts again on the real event loop (R22 in docs/binding-timing.md). Node
// runs an interval's callback, then starts the interval again: a timer the callback starts
// itself was started first, and of two timers due at one millisecond the one started first
// fires first. So a timeout started inside a beat, with the beat's own period, fires before
// the next beat. (fake-timers starts the interval again before it calls the callback; the
// virtual clock must not: test/instrument/clock.test.ts holds the kit to it.)

const TRIALS = 200;

/** Runs `trial` `TRIALS` times and counts the orders it returns. */
async function orders(trial: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < TRIALS; i++) {
    const order = await trial();
    counts[order] = (counts[order] ?? 0) + 1;
  }
  return counts;
}

describe("R22: an interval starts again when its callback has returned", () => {
  it("a 1 ms interval whose second beat starts a 1 ms timeout: the timeout fires before the third beat, every trial", async () => {
    const counts = await orders(
      () =>
        new Promise<string>((resolve) => {
          const seen: string[] = [];
          let beats = 0;
          const beat = setInterval(() => {
            beats++;
            if (beats === 2) setTimeout(() => seen.push("timeout"), 1);
            if (beats === 3) {
              seen.push("third beat");
              clearInterval(beat);
              setTimeout(() => resolve(seen.join(", ")), 3);
            }
          }, 1);
        }),
    );
    expect(counts).toEqual({ "timeout, third beat": TRIALS });
  });

  it("a heartbeat's shape: a 2 ms interval that arms a 2 ms liveness check at each beat; each check fires before the next beat", async () => {
    const counts = await orders(async () => {
      const seen: string[] = [];
      let beats = 0;
      await new Promise<void>((resolve) => {
        const beat = setInterval(() => {
          beats++;
          seen.push(`beat ${beats}`);
          if (beats === 4) {
            clearInterval(beat);
            resolve();
            return;
          }
          const n = beats;
          setTimeout(() => seen.push(`check ${n}`), 2);
        }, 2);
      });
      await sleep(3);
      return seen.join(", ");
    });
    expect(counts).toEqual({ "beat 1, check 1, beat 2, check 2, beat 3, check 3, beat 4": TRIALS });
  });
});
