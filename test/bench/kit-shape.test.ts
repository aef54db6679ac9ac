import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { drawShaped, hasShape, shapeLabel, shapeOf } from "../../bench/kit/shape.js";

const twoByTwo = parseInterleaving(
  'zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull w1/t0 connect e0 | main/t0: send s0 "m0", send s0 "m1" | w1/t0: recv s1, recv s1 | main/t1: | schedule 0 1',
);

describe("sample shape", () => {
  it("counts only actors with ops, and the threads they run on", () => {
    expect(shapeOf(twoByTwo)).toEqual({ actors: 2, ops: [2, 2], threads: 2, idle: 1 });
    expect(hasShape(twoByTwo, { actors: 2, ops: 2 })).toBe(true);
    expect(hasShape(twoByTwo, { actors: 2, ops: 2, threads: 2 })).toBe(true);
    expect(hasShape(twoByTwo, { actors: 2, ops: 2, threads: 1 })).toBe(false);
    expect(hasShape(twoByTwo, { actors: 3, ops: 2 })).toBe(false);
    expect(hasShape(twoByTwo, { actors: 2, ops: 3 })).toBe(false);
    expect(shapeLabel({ actors: 4, ops: 5, threads: 3 })).toBe("4 actors x 5 ops on 3 threads");
  });

  it("draws only shaped samples, the same ones for the same seed", () => {
    const arb = interleavings({ threads: 1, tasksPerThread: 4, minTasksPerThread: 4, maxOps: 5, minOps: 5, ownership: "respect", executable: true });
    const shape = { actors: 4, ops: 5, threads: 1 };
    const a = drawShaped(arb, shape, { count: 5, seed: 42 });
    const b = drawShaped(arb, shape, { count: 5, seed: 42 });
    expect(a.samples).toHaveLength(5);
    expect(a.samples.every((x) => hasShape(x, shape))).toBe(true);
    expect(a.draws).toBeGreaterThanOrEqual(5);
    expect(b.draws).toBe(a.draws);
    expect(b.samples.map((x) => formatInterleaving(x))).toEqual(a.samples.map((x) => formatInterleaving(x)));
  });

  it("gives up with a typed error when the shape is (nearly) never drawn", () => {
    const arb = interleavings({ threads: 1, tasksPerThread: 2, maxOps: 3 });
    expect(() => drawShaped(arb, { actors: 4, ops: 5 }, { count: 1, seed: 1, maxDraws: 50 })).toThrow(/only a few of 50 generated interleavings have 4 actors x 5 ops/);
    expect(drawShaped(arb, { actors: 4, ops: 5 }, { count: 0, seed: 1 })).toEqual({ samples: [], draws: 0 });
  });
});
