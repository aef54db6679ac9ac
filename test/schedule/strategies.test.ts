import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { strategyDraws } from "../../src/arbitraries/strategy-draws.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving } from "../../src/model/check.js";
import { racesField } from "../../src/model/race-choices.js";
import { exhaustive } from "../../src/schedule/exhaustive.js";
import { pct, pctBound } from "../../src/schedule/pct.js";
import { random } from "../../src/schedule/random.js";
import { replaySchedule, ReplaySelector } from "../../src/schedule/replay.js";
import { seededRandom } from "../../src/schedule/seeded.js";
import type { ChoicePoint, Strategy } from "../../src/schedule/strategy.js";

const point = (n: number, current = 0, kind: "task" | "race" = "task"): ChoicePoint => ({
  kind,
  candidates: Array.from({ length: n }, (_, i) => ({ key: `k${i}` })),
  current,
});

describe("replay", () => {
  it("picks schedule[k] mod n at task points and races[k] mod n at race points, 0 past the end", () => {
    const s = new ReplaySelector({ schedule: [1, 5], races: [3] });
    expect([s.select(point(3)), s.select(point(2, 0, "race")), s.select(point(3)), s.select(point(3)), s.select(point(2, 0, "race"))]).toEqual([1, 1, 2, 0, 0]);
    expect(s.trace).toEqual({ schedule: [1, 2, 0], races: [1, 0] });
  });
  it("is a strategy of one run", () => {
    const r = replaySchedule([1]);
    expect(r.begin(seededRandom(0))).not.toBeNull();
    expect(r.begin(seededRandom(0))).toBeNull();
    expect(r.exhausted).toBe(true);
  });
});

describe("random", () => {
  it("keeps the current task with probability 1 - preemptionRate", () => {
    const s = random({ preemptionRate: 0 }).begin(seededRandom(3));
    for (let k = 0; k < 50; k++) expect(s?.select(point(4, 2))).toBe(2);
    const t = random({ preemptionRate: 1 }).begin(seededRandom(3));
    for (let k = 0; k < 50; k++) expect(t?.select(point(4, 2))).not.toBe(2);
  });
  it("picks every candidate uniformly by default", () => {
    const s = random().begin(seededRandom(9));
    const seen = new Set<number>();
    for (let k = 0; k < 200; k++) seen.add(s?.select(point(4)) ?? -1);
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
  it("rejects a rate that is not a probability", () => {
    expect(() => random({ preemptionRate: 2 })).toThrow(/preemptionRate/);
  });
});

describe("pct", () => {
  it("with depth 1 (no change point) always runs the highest-priority task", () => {
    const s = pct({ depth: 1 }).begin(seededRandom(5));
    const first = s?.select(point(3));
    for (let k = 0; k < 20; k++) expect(s?.select(point(3))).toBe(first);
  });
  it("with a change point, the task that was about to move drops below every other", () => {
    // steps: 1, so the only change point is the first task point.
    const s = pct({ depth: 2, steps: 1 }).begin(seededRandom(11));
    const first = s?.select(point(3)) ?? -1;
    const second = s?.select(point(3)) ?? -1;
    expect(second).toBe(first);
    const u = pct({ depth: 1 }).begin(seededRandom(11));
    expect(u?.select(point(3))).not.toBe(first);
  });
  it("states its bound", () => {
    expect(pctBound(3, 10, 3)).toBeCloseTo(1 / 300);
    expect(pctBound(2, 5, 1)).toBe(0.5);
  });
  it("rejects a bad depth", () => {
    expect(() => pct({ depth: 0 })).toThrow(/depth/);
  });
});

// Every strategy's trace replays the run it made, exactly: that is how any failure is
// reported as a plain schedule.
const small = interleavings({ threads: 2, tasksPerThread: 2, maxOps: 4, transport: "any", ownership: "any" });
const strategies: Array<[string, () => Strategy]> = [
  ["random", () => random()],
  ["pct", () => pct({ depth: 3 })],
  ["exhaustive", () => exhaustive({ preemptionBound: 2 })],
];

describe("a strategy's trace replays its run", () => {
  for (const [name, make] of strategies) {
    test.prop([small, fc.integer()], { numRuns: 150 })(name, (x, seed) => {
      const strategy = make();
      for (let k = 0; k < 3; k++) {
        const s = strategy.begin(seededRandom(seed + k));
        if (s === null) break;
        const r = checkInterleaving(x, { selector: s });
        const again = checkInterleaving({ ...x, schedule: r.trace.schedule, ...racesField(r.trace.races) });
        expect(again.verdict).toEqual(r.verdict);
        expect(again.history).toEqual(r.history);
      }
    });
  }
});

it("a check without a selector reports the choices it consumed", () => {
  const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "a" | schedule 1 7 7');
  expect(checkInterleaving(x).trace).toEqual({ schedule: [1], races: [] });
});

describe("strategyDraws", () => {
  it("draws a seed from fast-check's random source; the same draw makes the same picks every time", () => {
    const [d] = fc.sample(strategyDraws({ strategy: "pct", depth: 2 }), { seed: 4, numRuns: 1 });
    if (d === undefined) throw new Error("no draw");
    const picks = (s: ReturnType<typeof d.selector>) => Array.from({ length: 10 }, () => s.select(point(3)));
    expect(picks(d.selector())).toEqual(picks(d.selector()));
    expect(String(d.spec.strategy)).toBe("pct");
    expect(() => strategyDraws("exhaustive" as never)).toThrow(/random" or "pct/);
    expect(() => strategyDraws({ strategy: "pct", depth: 0 })).toThrow(/depth/);
  });
});
