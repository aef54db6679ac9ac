import { describe, expect, it } from "vitest";
import { mainOutcome, summarizeRuns } from "../../bench/rig/aggregate.js";
import type { RoundRun } from "../../bench/rig/aggregate.js";

const measured = (round: number, metrics: Record<string, number>, outcome = "ok"): RoundRun => ({ kind: "measured", round, metrics, outcome, notes: {} });

describe("summarizeRuns", () => {
  it("summarises each metric over the runs that have it and pairs ratios within runs", () => {
    const runs: RoundRun[] = [
      measured(0, { A: 90, C: 100 }),
      measured(1, { A: 180, C: 200 }),
      measured(2, { A: 45, C: 50, extra: 1 }),
      { kind: "failed", round: 3, reason: "child killed" },
    ];
    const s = summarizeRuns(runs, [{ name: "A/raw", numerator: "A", denominator: "C" }]);
    expect(s.metrics["A"]?.median).toBe(90);
    expect(s.metrics["extra"]?.n).toBe(1);
    expect(s.ratios["A/raw"]).toMatchObject({ n: 3, median: 0.9, min: 0.9, max: 0.9 });
    expect(s.failed).toBe(1);
    expect(s.outcomes).toEqual({ ok: 3 });
  });

  it("counts outcomes and names the most common", () => {
    const s = summarizeRuns([measured(0, {}, "hang"), measured(1, {}, "exit"), measured(2, {}, "hang")], []);
    expect(s.outcomes).toEqual({ hang: 2, exit: 1 });
    expect(mainOutcome(s)).toBe("hang");
    expect(mainOutcome(summarizeRuns([], []))).toBeUndefined();
  });
});
