import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";

// 4 actors x 5 ops: 2 threads x 2 tasks, 5 ops each (samples of another shape are left out).
const shape: InterleavingConstraints = { threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5 };

function shaped(c: InterleavingConstraints, count: number, seed: number): Interleaving[] {
  const all = fc.sample(interleavings({ ...shape, ...c }), { numRuns: count * 3, seed });
  return all.filter((x) => x.programs.length === 4 && x.programs.every((p) => p.ops.length === 5)).slice(0, count);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

describe("generated programs walk to their end", () => {
  it('"respect" at 4 actors x 5 ops: at least 70% of samples end ok', () => {
    for (const transport of ["inproc", "tcp"] as const) {
      const xs = shaped({ ownership: "respect", transport }, 1000, 11);
      expect(xs.length).toBe(1000);
      const ok = xs.filter((x) => checkInterleaving(x, { history: false }).verdict.kind === "ok").length;
      expect(ok / xs.length).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('"any" at 4 actors x 5 ops: the median first violation is at step 5 or later', () => {
    const xs = shaped({ ownership: "any" }, 1000, 12);
    const steps = xs.flatMap((x) => {
      const v = checkInterleaving(x, { history: false }).verdict;
      return v.kind === "violation" ? [v.step] : [];
    });
    expect(steps.length).toBeGreaterThan(100);
    expect(median(steps)).toBeGreaterThanOrEqual(5);
  });

  it("violationRate sets how deep the first violation lies", () => {
    const depth = (violationRate: number) =>
      median(
        shaped({ ownership: "any", violationRate }, 500, 13).flatMap((x) => {
          const v = checkInterleaving(x, { history: false }).verdict;
          return v.kind === "violation" ? [v.step] : [];
        }),
      );
    expect(depth(0.03)).toBeGreaterThan(depth(0.5));
    expect(depth(1)).toBeLessThanOrEqual(1);
  });

  it('"violate" still breaks a rule in most runs, and not only at the first step', () => {
    const xs = shaped({ ownership: "violate" }, 500, 14);
    const steps = xs.flatMap((x) => {
      const v = checkInterleaving(x, { history: false }).verdict;
      return v.kind === "violation" ? [v.step] : [];
    });
    expect(steps.length / xs.length).toBeGreaterThan(0.7);
    expect(steps.some((s) => s >= 3)).toBe(true);
  });

  it("rejects a violation rate under \"respect\"", () => {
    expect(() => interleavings({ ownership: "respect", violationRate: 0.1 })).toThrow(/violationRate/);
  });
});
