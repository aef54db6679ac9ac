import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { checkInterleaving } from "../../src/model/check.js";
import { zeromqModel } from "../../src/model/model.js";
import { STEP_RULES } from "../../src/model/verdict.js";
import { respectNeverViolates, violateRate } from "./ownership-props.js";

describe('ownership: "respect"', () => {
  test.prop([interleavings({ ownership: "respect", threads: 3, tasksPerThread: 3, maxOps: 6, owner: "any", transport: "any" })], { numRuns: 2000 })(
    "never breaks a step rule, under any schedule",
    (x) => {
      expect(respectNeverViolates(x, zeromqModel)).toBe(true);
    },
  );
  it("runs its programs to their end (it is not vacuous)", () => {
    const xs = fc.sample(interleavings({ ownership: "respect" }), { numRuns: 500, seed: 1 });
    const whole = xs.filter((x) => {
      const r = checkInterleaving(x);
      return r.verdict.kind === "ok" && r.steps === x.programs.reduce((n, p) => n + p.ops.length, 0);
    });
    expect(whole.length).toBeGreaterThanOrEqual(0.9 * xs.length);
    expect(whole.some((x) => x.programs.filter((p) => p.ops.length > 1).length > 1)).toBe(true);
  });
});

describe('ownership: "violate"', () => {
  it("breaks a rule in most runs (fixed seeds, 2,000 runs each)", () => {
    for (const [constraints, atLeast] of [
      [{}, 0.55],
      [{ threads: 2 }, 0.7],
      [{ owner: "task" as const }, 0.9],
    ] as const) {
      expect(violateRate(constraints, zeromqModel, 2000, 7)).toBeGreaterThanOrEqual(atLeast);
    }
  });
  it("reaches every step rule", () => {
    const seen = new Set<string>();
    for (const x of fc.sample(interleavings({ ownership: "violate", threads: 2, weights: { handoff: 2, exit: 2 } }), { numRuns: 5000, seed: 3 })) {
      const v = checkInterleaving(x).verdict;
      if (v.kind === "violation") seen.add(v.rule);
    }
    expect([...seen].sort()).toEqual([...STEP_RULES].sort());
  });
});
