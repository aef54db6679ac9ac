import { describe, expect, it } from "vitest";
import { fc } from "@fast-check/vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { explore } from "../../src/campaign/explore.js";
import { formatCoverage, mergeCoverage, readCoverage } from "../../src/campaign/coverage.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { checkInterleaving } from "../../src/model/check.js";
import { verdictLabel } from "../../src/model/verdict.js";

// The receive of main/t0 is legal only if it runs before main/t1 closes the socket's peer...
// here: main/t1 polls the socket main/t0 waits on (a lost wakeup) only under a preemption.
const x = parseInterleaving(
  'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t2 connect e0 | main/t0: recv s0 | main/t1: poll s0 readable | main/t2: send s1 "a" | schedule',
);

describe("explore", () => {
  it("exhaustive finds the failing schedule and reports it as a plain schedule that replays", () => {
    const r = explore(x, { strategy: { strategy: "exhaustive", preemptionBound: 2 } });
    expect(r.kind).toBe("failed");
    if (r.kind !== "failed") return;
    const again = checkInterleaving(r.failure.interleaving);
    expect(verdictLabel(again.verdict)).toBe(verdictLabel(r.failure.verdict));
    expect(parseInterleaving(formatInterleaving(r.failure.interleaving))).toEqual(r.failure.interleaving);
  });
  it("exhaustive without failure ends ok once the tree is walked; the budget makes it unknown", () => {
    const fine = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "a" | schedule');
    expect(explore(fine, { strategy: "exhaustive" }).kind).toBe("ok");
    const big = parseInterleaving(
      'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0, recv s0, recv s0 | main/t1: send s1 "a", send s1 "b", send s1 "c" | main/t2: | schedule',
    );
    const r = explore(big, { strategy: { strategy: "exhaustive", preemptionBound: 3 }, budget: 2 });
    expect(r.kind).toBe("unknown");
  });
  it("random and pct never claim ok: no failure in the budget is unknown", () => {
    const fine = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "a" | schedule');
    for (const strategy of ["random", "pct"] as const) expect(explore(fine, { strategy, budget: 20 }).kind).toBe("unknown");
  });
  it("the same seed makes the same search", () => {
    const a = explore(x, { strategy: "pct", seed: 7, budget: 50, stopAtFailure: false });
    const b = explore(x, { strategy: "pct", seed: 7, budget: 50, stopAtFailure: false });
    expect(a).toEqual(b);
  });
  it("counts coverage: verdicts, violation depth, histories, preemptions; merges and reads back", () => {
    const a = explore(x, { strategy: "random", seed: 1, budget: 40, stopAtFailure: false }).coverage;
    const b = explore(x, { strategy: "random", seed: 2, budget: 40, stopAtFailure: false }).coverage;
    expect(a.runs).toBe(40);
    expect(Object.values(a.verdicts).reduce((s, n) => s + n, 0)).toBe(40);
    const m = mergeCoverage([a, b]);
    expect(m.runs).toBe(80);
    expect(m.histories.length).toBeGreaterThanOrEqual(Math.max(a.histories.length, b.histories.length));
    expect(readCoverage(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(() => readCoverage({ version: 2 })).toThrow(/version/);
    expect(formatCoverage(m)).toMatch(/^runs: 80\nverdicts: /);
  });
  it("rejects a bad budget and an unknown strategy", () => {
    expect(() => explore(x, { budget: 0 })).toThrow(/budget/);
    expect(() => explore(x, { strategy: "dfs" as never })).toThrow(/unknown strategy/);
  });
});

describe("interleavings({ strategy })", () => {
  it("draws a schedule by walking the model with the strategy; the value replays as drawn", () => {
    for (const strategy of ["random", "pct", { strategy: "pct", depth: 2 }] as const) {
      const xs = fc.sample(interleavings({ threads: 2, tasksPerThread: 2, strategy, transport: "any" }), { seed: 3, numRuns: 50 });
      for (const y of xs) expect(parseInterleaving(formatInterleaving(y))).toEqual(y);
    }
  });
  it("refuses exhaustive, which searches one interleaving", () => {
    expect(() => interleavings({ strategy: "exhaustive" as never })).toThrow(/explore/);
  });
});
