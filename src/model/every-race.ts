import { InvalidOptionsError } from "../errors.js";
import type { Interleaving, RaceChoices } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { exhaustive } from "../schedule/exhaustive.js";
import { ReplaySelector } from "../schedule/replay.js";
import { seededRandom } from "../schedule/seeded.js";
import type { Selector } from "../schedule/strategy.js";
import { checkInterleaving } from "./check.js";
import type { Model } from "./model.js";
import { racesField } from "./race-choices.js";
import { verdictLabel, type Verdict } from "./verdict.js";

/** Options of `checkEveryRace`. */
export interface EveryRaceOptions {
  /** The model to check against (default: every rule on). */
  readonly model?: Model;
  /** Most model runs (one per combination of race outcomes). Default 4096. */
  readonly budget?: number;
  /** Validate the interleaving first (default true). */
  readonly validate?: boolean;
}

/** One way the races of a run went, and the verdict the model gives it. */
export interface RaceOutcome {
  /** The race choices (replay them as the interleaving's `races`). */
  readonly races: RaceChoices;
  readonly verdict: Verdict;
}

/**
 * The verdicts of an interleaving under every way its races can go. `ok`: every outcome is ok.
 * `fails`: some outcome is not; `counterexample` is the interleaving with the race choices of
 * the failing outcome that needs the fewest races to go against the model's default. `unknown`:
 * the budget ran out first with no failure found, never a pass.
 */
export type RaceCheck =
  | { readonly kind: "ok"; readonly outcomes: readonly RaceOutcome[] }
  | { readonly kind: "fails"; readonly failing: RaceOutcome; readonly counterexample: Interleaving; readonly outcomes: readonly RaceOutcome[] }
  | { readonly kind: "unknown"; readonly reason: "budget"; readonly message: string; readonly outcomes: readonly RaceOutcome[] };

function nonDefault(races: RaceChoices): number {
  return races.reduce((n, c) => n + (c === 0 ? 0 : 1), 0);
}

/**
 * Checks `x` under every combination of race outcomes, for its schedule: the pure check's
 * answer to "can this run end otherwise on real sockets?". Each combination is one model run;
 * the race choices are walked depth first, so every outcome listed replays with
 * `checkInterleaving({ ...x, races })`. The interleaving's own race choices are ignored.
 */
export function checkEveryRace(x: Interleaving, options: EveryRaceOptions = {}): RaceCheck {
  const budget = options.budget ?? 4096;
  if (!Number.isInteger(budget) || budget < 1) throw new InvalidOptionsError(`checkEveryRace: budget must be an integer >= 1, got ${JSON.stringify(options.budget)}`);
  if (options.validate !== false) validateInterleaving(x);
  const model = options.model;
  const plain: Interleaving = { scenario: x.scenario, programs: x.programs, schedule: x.schedule };
  const search = exhaustive({ reduction: false });
  const unused = seededRandom(0);
  const outcomes: RaceOutcome[] = [];
  let failing: RaceOutcome | null = null;
  for (let selector = search.begin(unused); selector !== null; selector = search.begin(unused)) {
    if (outcomes.length >= budget) {
      if (failing !== null) break;
      const message = `the races of this run can go more than ${budget} ways; ${outcomes.length} checked, every one ok`;
      return { kind: "unknown", reason: "budget", message, outcomes };
    }
    // The schedule stays as given: only race points reach the search.
    const r = checkInterleaving(plain, {
      validate: false,
      history: false,
      ...(model === undefined ? {} : { model }),
      selector: replayTasks(x.schedule, selector),
    });
    const outcome = { races: r.trace.races.slice(), verdict: r.verdict };
    outcomes.push(outcome);
    if (r.verdict.kind !== "ok" && (failing === null || nonDefault(outcome.races) < nonDefault(failing.races))) failing = outcome;
  }
  if (failing === null) return { kind: "ok", outcomes };
  return { kind: "fails", failing, counterexample: { ...plain, ...racesField(trimmed(failing.races)) }, outcomes };
}

function trimmed(races: RaceChoices): RaceChoices {
  let end = races.length;
  while (end > 0 && races[end - 1] === 0) end--;
  return races.slice(0, end);
}

/** The distinct verdict labels among `outcomes` (`ok`, `stuck`, a rule...), in first-seen order. */
export function outcomeLabels(outcomes: readonly RaceOutcome[]): string[] {
  return [...new Set(outcomes.map((o) => verdictLabel(o.verdict)))];
}

/** A selector that follows `schedule` at task points and hands race points to `races`. */
function replayTasks(schedule: readonly number[], races: Selector): Selector {
  const tasks = new ReplaySelector(schedule);
  return {
    select: (point) => (point.kind === "task" ? tasks.select(point) : races.select(point)),
    get trace() {
      return { schedule: tasks.trace.schedule, races: races.trace.races };
    },
    get redundant() {
      return races.redundant;
    },
  };
}
