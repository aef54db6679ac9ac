/**
 * How fast each strategy finds each seeded order bug: per seed, the runs until the first
 * failing run (within a budget), and over all seeds the failing runs per run. PCT's bound
 * 1 / (n * k^(d-1)) is worked out with n the tasks that take part and k the most task points
 * a run of the bug has.
 */
import { explore } from "../../src/campaign/explore.js";
import { checkInterleaving } from "../../src/model/check.js";
import { createStrategy, type StrategySpec } from "../../src/schedule/create.js";
import { pctBound } from "../../src/schedule/pct.js";
import { seededRandom } from "../../src/schedule/seeded.js";
import type { OrderBug } from "./order-bugs.js";

/** The strategies the table compares. */
export const STRATEGIES: ReadonlyArray<{ readonly label: string; readonly spec: StrategySpec }> = [
  { label: "random", spec: { strategy: "random" } },
  { label: "random (preemption 0.3)", spec: { strategy: "random", preemptionRate: 0.3 } },
  { label: "pct (depth 3)", spec: { strategy: "pct", depth: 3 } },
  { label: "exhaustive (bound 2)", spec: { strategy: "exhaustive", preemptionBound: 2 } },
];

/** What one strategy did on one bug. */
export interface SearchStats {
  /** Runs until the first failure, per seed (null: not within the budget). */
  readonly runsToFind: readonly (number | null)[];
  /** Failing runs / runs, over `budget` runs per seed without stopping. */
  readonly perRun: number;
  /** Task points of the longest run seen (k). */
  readonly steps: number;
  /** PCT's bound for this bug at the strategy's depth (pct only). */
  readonly bound: number | null;
  readonly ms: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median runs-to-find over the seeds that found it, with misses counted as the budget + 1 (so a majority of misses shows as "> budget"). */
export function medianRuns(stats: SearchStats, budget: number): number {
  return median(stats.runsToFind.map((r) => r ?? budget + 1));
}

/** Searches `bug` with `spec` once per seed. */
export function searchBug(bug: OrderBug, spec: StrategySpec, seeds: readonly number[], budget: number): SearchStats {
  const started = performance.now();
  const runsToFind = seeds.map((seed) => {
    const r = explore(bug.interleaving, { strategy: spec, seed, budget, fails: bug.fails });
    return r.kind === "failed" ? r.failure.run + 1 : null;
  });
  // Success per run: every run of the budget, counted.
  let failing = 0;
  let runs = 0;
  let steps = 0;
  for (const seed of seeds) {
    const strategy = createStrategy(spec);
    const random = seededRandom(seed);
    for (let k = 0; k < budget; k++) {
      const selector = strategy.begin(random);
      if (selector === null) break;
      const r = checkInterleaving(bug.interleaving, { validate: false, selector });
      if (selector.redundant) continue;
      runs++;
      steps = Math.max(steps, r.trace.schedule.length);
      if (bug.fails(r)) failing++;
    }
    if (spec.strategy === "exhaustive") break; // the same runs for every seed
  }
  const bound = spec.strategy === "pct" ? pctBound(bug.tasks, steps, spec.depth ?? 3) : null;
  return { runsToFind, perRun: runs === 0 ? 0 : failing / runs, steps, bound, ms: performance.now() - started };
}
