import { InvalidOptionsError } from "../errors.js";
import type { Interleaving } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { checkInterleaving, type CheckResult } from "../model/check.js";
import type { Model } from "../model/model.js";
import { racesField } from "../model/race-choices.js";
import type { Verdict } from "../model/verdict.js";
import { createStrategy, type StrategyChoice } from "../schedule/create.js";
import { seededRandom } from "../schedule/seeded.js";
import type { Selector, Strategy } from "../schedule/strategy.js";
import { CoverageTally, type Coverage } from "./coverage.js";

/** Options of `explore` (and `exploreOnSockets`). */
export interface ExploreOptions {
  /** How to pick schedules (and, on the model, race outcomes). Default `"random"`. */
  readonly strategy?: StrategyChoice;
  /** Most runs. Default 1,000. */
  readonly budget?: number;
  /** Seed of randomised strategies; the same seed makes the same runs. Default 0. */
  readonly seed?: number;
  /** Stop at the first run that is not ok (default true); false runs the whole budget for coverage. */
  readonly stopAtFailure?: boolean;
}

/** A run that did not end ok: the interleaving with the picks that replay it, and its verdict. */
export interface ExploreFailure<V> {
  /** The explored interleaving with the schedule (and race choices) of the failing run. */
  readonly interleaving: Interleaving;
  readonly verdict: V;
  /** Which run it was (from 0). */
  readonly run: number;
}

/**
 * The outcome of a search. `ok`: the strategy ran every run it can (exhaustive within its bound,
 * or a replay) and every one was ok. `failed`: a run was not ok. `unknown`: the budget ran out
 * (or, with random and pct, every run of the budget was ok): never a pass.
 */
export type ExploreResult<V = Verdict> =
  | { readonly kind: "ok"; readonly runs: number; readonly coverage: Coverage }
  | { readonly kind: "failed"; readonly failure: ExploreFailure<V>; readonly runs: number; readonly coverage: Coverage }
  | { readonly kind: "unknown"; readonly reason: "budget"; readonly message: string; readonly runs: number; readonly coverage: Coverage };

/** Options resolved; shared by the model and the socket search. */
export interface ResolvedExplore {
  readonly strategy: Strategy;
  readonly budget: number;
  readonly seed: number;
  readonly stopAtFailure: boolean;
  readonly source: string;
}

/** Checks options; throws `InvalidOptionsError`. */
export function resolveExplore(options: ExploreOptions): ResolvedExplore {
  const budget = options.budget ?? 1000;
  if (!Number.isInteger(budget) || budget < 1) throw new InvalidOptionsError(`explore: budget must be an integer >= 1, got ${JSON.stringify(options.budget)}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InvalidOptionsError(`explore: seed must be an integer, got ${JSON.stringify(options.seed)}`);
  const strategy = createStrategy(options.strategy ?? "random");
  return { strategy, budget, seed, stopAtFailure: options.stopAtFailure ?? true, source: `explore ${strategy.name} seed ${seed} budget ${budget}` };
}

/** The search loop: `run` runs one selector and says how it went; stops as the options say. */
export function searchLoop<V>(
  o: ResolvedExplore,
  run: (selector: Selector, k: number) => { readonly failed: boolean; readonly verdict: V; readonly replay: Interleaving } | null,
  tally: CoverageTally,
): ExploreResult<V> {
  const random = seededRandom(o.seed);
  let runs = 0;
  let failure: ExploreFailure<V> | null = null;
  for (;;) {
    if (runs >= o.budget) break;
    const selector = o.strategy.begin(random);
    if (selector === null) break;
    const r = run(selector, runs);
    runs++;
    if (r === null) continue;
    if (r.failed && failure === null) {
      failure = { interleaving: r.replay, verdict: r.verdict, run: runs - 1 };
      if (o.stopAtFailure) break;
    }
  }
  return finish(o, runs, failure, tally);
}

/** The result once the loop stopped. */
export function finish<V>(o: ResolvedExplore, runs: number, failure: ExploreFailure<V> | null, tally: CoverageTally): ExploreResult<V> {
  const coverage = tally.coverage();
  if (failure !== null) return { kind: "failed", failure, runs, coverage };
  if (o.strategy.exhausted) return { kind: "ok", runs, coverage };
  const message =
    o.strategy.name === "exhaustive"
      ? `the budget of ${o.budget} runs ran out before every schedule within the bound was run; every run so far was ok`
      : `${runs} runs of ${o.strategy.name} search found no failure; a search that can miss a schedule never proves there is none`;
  return { kind: "unknown", reason: "budget", message, runs, coverage };
}

/** Options of `explore` on the model. */
export interface ModelExploreOptions extends ExploreOptions {
  /** The model to check against (default: every rule on). */
  readonly model?: Model;
  /**
   * Which runs count as failures (default: a verdict other than ok). A property over the
   * history, say a delivery order the program must never see, makes an order bug findable.
   */
  readonly fails?: (result: CheckResult) => boolean;
}

/**
 * Searches the schedules (and race outcomes) of one interleaving's programs on the model,
 * with a strategy: `exhaustive` to cover every schedule within a preemption bound, `pct` to
 * reach bugs that need a few specific orderings, `random`. Each failure comes back as the
 * interleaving with a plain schedule and race choices that replay it, ready to shrink.
 * Runs that exhaustive's reduction shows to repeat others are not counted in coverage.
 */
export function explore(x: Interleaving, options: ModelExploreOptions = {}): ExploreResult {
  validateInterleaving(x);
  const o = resolveExplore(options);
  const tally = new CoverageTally(o.source);
  const model = options.model;
  const fails = options.fails;
  return searchLoop(
    o,
    (selector) => {
      const r = checkInterleaving(x, { validate: false, selector, ...(model === undefined ? {} : { model }) });
      if (selector.redundant) return null;
      tally.add(r);
      const failed = fails === undefined ? r.verdict.kind !== "ok" : fails(r);
      return { failed, verdict: r.verdict, replay: { scenario: x.scenario, programs: x.programs, schedule: r.trace.schedule.slice(), ...racesField(r.trace.races.slice()) } };
    },
    tally,
  );
}
