import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { actorName } from "../../src/interleaving/actor.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import type { Verdict } from "../../src/model/verdict.js";
import { exhaustiveWith } from "../../src/schedule/exhaustive.js";
import { prunable, pruneIgnoringBound, type Prune } from "../../src/schedule/reduction.js";
import { seededRandom } from "../../src/schedule/seeded.js";

/** A verdict without its step numbers and wording: what reordering independent turns keeps. */
function verdictKey(v: Verdict): string {
  switch (v.kind) {
    case "ok":
      return "ok";
    case "violation":
      return `${v.rule} ${actorName(v.actor)}#${v.index} ${v.socket ?? "-"}`;
    case "stuck":
      return `stuck ${v.pending.map((p) => `${actorName(p.actor)}#${p.index}`).join(",")}`;
    case "exit-hang":
      return `exit-hang ${v.sockets.join(",")}`;
  }
}

/** Most runs of one full search: a space with many races (tcp) grows past it, and is left out. */
const BUDGET = 3000;

function verdicts(x: Interleaving, reduction: boolean, bound: number, prune: Prune = prunable): { keys: Set<string>; runs: number } | null {
  const search = exhaustiveWith({ preemptionBound: bound, reduction }, prune);
  const keys = new Set<string>();
  let runs = 0;
  for (let s = search.begin(seededRandom(0)); s !== null; s = search.begin(seededRandom(0))) {
    const r = checkInterleaving(x, { validate: false, history: false, selector: s });
    if (s.redundant) continue;
    runs++;
    keys.add(verdictKey(r.verdict));
    if (runs > BUDGET) return null;
  }
  return { keys, runs };
}

function keepsVerdicts(prune: Prune) {
  return (x: Interleaving, bound: number): void => {
    const full = verdicts(x, false, bound);
    fc.pre(full !== null);
    const reduced = verdicts(x, true, bound, prune);
    if (full === null || reduced === null) throw new Error("the reduced search ran more schedules than the full one");
    expect([...reduced.keys].sort()).toEqual([...full.keys].sort());
    expect(reduced.runs).toBeLessThanOrEqual(full.runs);
  };
}

const shape = { maxOps: 3, maxLinks: 2, transport: "any", owner: "any" } as const;
const small = fc.oneof(
  interleavings({ ...shape, threads: 2, tasksPerThread: 2, ownership: "respect" }),
  interleavings({ ...shape, threads: 2, tasksPerThread: 2, ownership: "any", nowait: 0.1 }),
  interleavings({ ...shape, threads: 1, tasksPerThread: 3, ownership: "any", nowait: 0 }),
);
const bounds = fc.integer({ min: 0, max: 3 });

// Partial-order reduction under a preemption bound never loses a verdict: the reduced search
// reaches every verdict the full one does (and no other, since it runs a subset).
describe("exhaustive's reduction keeps every verdict", () => {
  test.prop([small, bounds], { numRuns: 1000 })("on small interleavings, bounds 0 to 3", keepsVerdicts(prunable));

  // Evidence the property can fail: the plain rule, which ignores what a reordering costs in
  // preemptions, skips the only schedules within bound 1 that leave main/t2's receive stuck.
  const lossy = parseInterleaving(
    'zi1 thread inproc | s0 pair main/t0 bind e0 | s1 pair main/t2 connect e0 | s2 push main/t2 bind e1 | s3 pull main/t1 connect e1 | main/t0: send s0 "m0", close s3 | main/t1: close s2, recv s3 | main/t2: send s2 "m1", recv s0 | schedule',
  );
  test("a reduction that ignores the preemption bound loses a verdict the property sees", () => {
    expect(() => keepsVerdicts(pruneIgnoringBound)(lossy, 1)).toThrow();
    keepsVerdicts(prunable)(lossy, 1);
  });
});
