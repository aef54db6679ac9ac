import { describe, expect, it } from "vitest";
import { interleave, rotate, rotation } from "../../bench/rig/schedule.js";

describe("interleave", () => {
  it("runs every case of every suite once per round, round by round", () => {
    const runs = interleave([
      { suite: "a", cases: 3, rounds: 5 },
      { suite: "b", cases: 2, rounds: 2 },
    ]);
    expect(runs).toHaveLength(3 * 5 + 2 * 2);
    const keys = runs.map((r) => `${r.suite}/${r.caseIndex}/${r.round}`);
    expect(new Set(keys).size).toBe(keys.length);
    const rounds = runs.map((r) => r.round);
    expect(rounds).toEqual([...rounds].sort((x, y) => x - y));
  });

  it("starts each round at a different case, so no case is always first", () => {
    const runs = interleave([{ suite: "a", cases: 5, rounds: 5 }]);
    const firsts = [0, 1, 2, 3, 4].map((round) => runs.find((r) => r.round === round)?.caseIndex);
    expect(new Set(firsts).size).toBe(5);
  });

  it("has nothing to do for no cases", () => {
    expect(interleave([{ suite: "a", cases: 0, rounds: 3 }])).toEqual([]);
    expect(interleave([])).toEqual([]);
  });
});

describe("rotate", () => {
  it("rotates left and wraps", () => {
    expect(rotate([1, 2, 3], 1)).toEqual([2, 3, 1]);
    expect(rotate([1, 2, 3], 4)).toEqual([2, 3, 1]);
    expect(rotate([1, 2, 3], -1)).toEqual([3, 1, 2]);
    expect(rotate([], 2)).toEqual([]);
  });

  it("spreads round starts over the cases", () => {
    expect([0, 1, 2, 3, 4].map((r) => rotation(r, 10, 5))).toEqual([0, 2, 4, 6, 8]);
  });
});
