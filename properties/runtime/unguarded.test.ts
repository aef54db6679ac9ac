import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { RUNS, SHAPES } from "./configs.js";
import { consequenceProblem, unguardedProblem } from "./consequences.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { HistoryEvent } from "../../src/interleaving/types.js";
import { it } from "vitest";

// (c) Unguarded runs really issue the violating step; each rule's consequence in the binding
// must be the one DESIGN.md's table gives. Here, in this process (every op handled, teardown
// closes everything): the synchronous errors and rejections. The consequences for the process
// itself (abort, exit on an unhandled rejection, hangs) are in isolated.test.ts.
const pool = new WorkerPool();
afterAll(() => pool.close());

describe("unguarded runs meet the binding's real consequences", () => {
  for (const shape of SHAPES) {
    const arb = fc.oneof(
      interleavings({ ...shape.constraints, ownership: "violate", executable: true }),
      interleavings({ ...shape.constraints, ownership: "violate", owner: "task", executable: true }),
    );
    test.prop([arb], { numRuns: RUNS })(shape.name, async (x) => {
      const r = await runInterleaving(x, { pool, mode: "unguarded", isolate: "never" });
      const problem = unguardedProblem(x, r);
      expect(problem === null ? null : `${problem}\n  in ${formatInterleaving(x)}`).toBeNull();
    });
  }
});

describe("the consequence check is not vacuous: a wrong real result is caught", () => {
  const cases: Array<[string, string]> = [
    ["busy-send", 'zi1 thread inproc | s0 push main/t0 bind e0 | main/t0: send s0 "a" | main/t1: send s0 "b" | schedule'],
    ["busy-recv", "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule"],
    ["use-after-close", 'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: close s1, send s1 "x" | schedule'],
    ["unobserved-rejection", "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: void recv s0, close s0 | schedule"],
  ];
  for (const [rule, text] of cases) {
    it(rule, async () => {
      const x = parseInterleaving(text);
      const r = await runInterleaving(x, { pool, mode: "unguarded", isolate: "never" });
      const v = r.violations.find((w) => w.rule === rule);
      expect(v, `the run breaks ${rule}`).toBeDefined();
      if (v === undefined) return;
      expect(consequenceProblem(x, r, v)).toBeNull();
      // The same run with the op's real result replaced by a plain success must fail the check.
      const target = rule === "unobserved-rejection" && v.other !== null ? v.other : v;
      const doctored: HistoryEvent[] = r.history.map((e) => (e.kind === "return" && e.actor.thread === target.actor.thread && e.actor.task === target.actor.task && e.index === target.index ? { ...e, result: { kind: "poll", value: true } } : e));
      expect(consequenceProblem(x, { ...r, history: doctored }, v)).not.toBeNull();
      expect(unguardedProblem(x, { ...r, history: doctored })).not.toBeNull();
    });
  }
});
