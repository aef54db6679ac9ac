import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { createModel, zeromqModel } from "../../src/model/model.js";
import { MODEL_RULES } from "../../src/model/verdict.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { RULE_CASES } from "../model/catalog.js";
import { guardedProblem } from "./assertions.js";

// No conformance property is vacuous: give the executor a model with one rule switched off
// and property (a) fails — the guarded run touches a socket in violation, or its verdict
// parts from the full model's, or it diverges from the binding.
const pool = new WorkerPool();
afterAll(() => pool.close());

describe("mutation check: guarded runs with a rule switched off fail property (a)", () => {
  it("covers every rule", () => {
    expect(RULE_CASES.map((c) => c.rule).sort()).toEqual([...MODEL_RULES].sort());
  });
  for (const c of RULE_CASES) {
    it(`${c.rule} off`, async () => {
      const broken = createModel({ disabled: [c.rule] });
      // Only interleavings where the full model finds the rule go to real sockets.
      const arb = interleavings({ ...c.constraints, executable: true }).filter((x) => c.happens(x, zeromqModel));
      const r = await fc.check(
        fc.asyncProperty(arb, async (x) => guardedProblem(x, await runInterleaving(x, { pool, model: broken, stepTimeoutMs: 500 })) === null),
        { seed: 1, numRuns: 50, endOnFailure: true },
      );
      expect(r.failed, `no counterexample found for ${c.rule} off`).toBe(true);
      const x = r.counterexample?.[0];
      if (x !== undefined) {
        // The same interleaving passes with the full model.
        expect(guardedProblem(x, await runInterleaving(x, { pool })), formatInterleaving(x)).toBeNull();
      }
    });
  }
});
