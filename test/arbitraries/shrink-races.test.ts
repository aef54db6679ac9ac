import { describe, expect, it } from "vitest";
import { shrinkInterleaving } from "../../src/arbitraries/shrink.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving } from "../../src/model/check.js";
import { checkEveryRace } from "../../src/model/every-race.js";

describe("shrinking race choices", () => {
  const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 linger=0 | main/t0: recv s0, recv s0, recv s0 | main/t1: close s0, send s1 "m0" | schedule 0 0 | races 0 2 1');

  it("offers the default outcome everywhere first, then each choice lowered, keeping the schedule", () => {
    const candidates = [...shrinkInterleaving(x)].filter((c) => c.programs === x.programs && c.schedule === x.schedule);
    expect(candidates[0]).not.toHaveProperty("races");
    const races = candidates.map((c) => c.races ?? []);
    expect(races).toContainEqual([0, 0, 1]);
    expect(races).toContainEqual([0, 1, 1]);
  });

  it("keeps the race choices through structural shrinks", () => {
    const structural = [...shrinkInterleaving(x)].filter((c) => c.programs !== x.programs);
    expect(structural.length).toBeGreaterThan(0);
    expect(structural.every((c) => JSON.stringify(c.races) === JSON.stringify(x.races))).toBe(true);
  });

  it("the failing outcome checkEveryRace reports needs the fewest races against the default", () => {
    const every = checkEveryRace(x);
    expect(every.kind).toBe("fails");
    if (every.kind !== "fails") return;
    expect((every.counterexample.races ?? []).filter((c) => c !== 0)).toHaveLength(1);
    expect(checkInterleaving(every.counterexample).verdict.kind).toBe("stuck");
  });
});
