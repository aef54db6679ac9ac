import { test } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkDelivery } from "../../src/model/delivery.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import type { RunResult } from "../../src/runtime/result.js";
import { RUNS, SHAPES } from "./configs.js";

// (b) Legal interleavings (each socket used by its owner task only, every op awaited, close
// last) complete on real sockets with no error, the delivery invariants hold on the real
// history, and nothing is left pending: an `ok` run returned every op; a `stuck` run's pending
// ops are exactly the model's.
const pool = new WorkerPool();
afterAll(() => pool.close());

function legalProblem(x: Interleaving, r: RunResult): string | null {
  if (r.verdict.kind !== "ok" && r.verdict.kind !== "stuck" && r.verdict.kind !== "exit-hang") return `verdict ${r.verdict.kind}: ${"message" in r.verdict ? r.verdict.message : ""}`;
  const errors = r.history.filter((e) => e.kind === "return" && e.result.kind === "error");
  if (errors.length > 0) return `${errors.length} op(s) failed`;
  const delivery = checkDelivery(x.scenario, r.history);
  if (delivery.kind !== "ok") return delivery.problems.map((p) => p.message).join("; ");
  const invoked = r.history.filter((e) => e.kind === "invoke").length;
  const returned = r.history.filter((e) => e.kind === "return").length;
  const pending = r.verdict.kind === "stuck" ? r.verdict.pending.length : 0;
  if (invoked - returned !== pending) return `${invoked - returned} op(s) left pending, the verdict names ${pending}`;
  return null;
}

describe("legal runs on real sockets complete and deliver", () => {
  for (const shape of SHAPES) {
    test.prop([interleavings({ ...shape.constraints, ownership: "respect", executable: true, maxOps: 6 })], { numRuns: RUNS })(shape.name, async (x) => {
      const r = await runInterleaving(x, { pool });
      const problem = legalProblem(x, r);
      expect(problem === null ? null : `${problem}\n  in ${formatInterleaving(x)}`).toBeNull();
    });
  }
});
