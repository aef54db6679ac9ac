import fc from "fast-check";
import { InvalidOptionsError } from "../errors.js";
import { createStrategy } from "../schedule/create.js";
import { seededRandom } from "../schedule/seeded.js";
import type { Selector } from "../schedule/strategy.js";
import type { DrawStrategy } from "./constraints.js";

/**
 * One run's strategy as plain data: the strategy and its options, and a seed drawn from
 * fast-check's random source. `selector()` makes a fresh selector for the run from it, the same
 * every time, so a failing run replays by fast-check's seed and path; its `trace` is the plain
 * schedule to report and shrink.
 */
export interface StrategyDraw {
  readonly spec: Exclude<DrawStrategy, string>;
  readonly seed: number;
  selector(): Selector;
}

function draw(spec: Exclude<DrawStrategy, string>, seed: number): StrategyDraw {
  return {
    spec,
    seed,
    selector(): Selector {
      const selector = createStrategy(spec).begin(seededRandom(seed));
      if (selector === null) throw new Error("strategy-draws: a random or pct strategy always begins a run");
      return selector;
    },
    [fc.toStringMethod]: () => `${JSON.stringify(spec)} seed ${seed}`,
  } as StrategyDraw;
}

/**
 * Draws per-run strategies for a driver that is not the model walk (the completion scheduler of
 * user code): `"random"`, or `"pct"` with its depth and steps. PCT needs `steps`, the number of
 * task points a run has (default 20): a seed must give the same run whatever ran before it, so
 * it cannot learn it from earlier runs. The value does not shrink: shrink the failing run's
 * trace, which is a plain schedule.
 */
export function strategyDraws(strategy: DrawStrategy): fc.Arbitrary<StrategyDraw> {
  const spec = typeof strategy === "string" ? { strategy } : strategy;
  if (spec.strategy !== "random" && spec.strategy !== "pct") throw new InvalidOptionsError(`strategyDraws: use "random" or "pct", got ${JSON.stringify((spec as { strategy: unknown }).strategy)}`);
  const fixed = spec.strategy === "pct" ? { steps: 20, ...spec } : spec;
  createStrategy(fixed); // checks the options now, not in the middle of a property
  return fc.noShrink(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map((seed) => draw(fixed, seed));
}
