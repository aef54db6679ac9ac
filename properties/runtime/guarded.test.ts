import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { guardedProblem, raceProblem } from "./assertions.js";
import { RUNS, SHAPES } from "./configs.js";

// (a) Guarded runs never touch a socket in violation and always agree with the model's verdict;
// the verdict is also among those the pure check lists for every way the run's races can go.
const pool = new WorkerPool();
afterAll(() => pool.close());

describe("guarded runs on real sockets agree with the model", () => {
  for (const shape of SHAPES) {
    const arb = fc.oneof(
      interleavings({ ...shape.constraints, ownership: "any", executable: true }),
      interleavings({ ...shape.constraints, ownership: "violate", executable: true }),
    );
    test.prop([arb], { numRuns: RUNS })(shape.name, async (x) => {
      const r = await runInterleaving(x, { pool });
      const problem = guardedProblem(x, r) ?? raceProblem(x, r);
      // The real history goes with a disagreement: a rare one can only be read off the run that showed it.
      expect(problem === null ? null : `${problem}\n  in ${formatInterleaving(x)}\n  real history: ${JSON.stringify(r.history)}`).toBeNull();
    });
  }
});
