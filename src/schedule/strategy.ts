/**
 * The contract between a search strategy and whatever it steers: the model walk (`Walker`,
 * shared by the pure check and the real executor) and the completion scheduler of user code.
 * The driver owns the run; the strategy never touches it. At every point where two or more
 * things can happen next, the driver lists them as candidates and asks the run's `Selector`
 * which one happens. A strategy is a factory of selectors, one per run (shuttle's `Scheduler`,
 * fast-check's `TaskSelector`).
 *
 * Strategies: `random`, `pct` (Burckhardt et al., ASPLOS 2010), `exhaustive` (bounded
 * preemptions, partial-order reduction) and `replaySchedule` (a plain list of choices), one
 * per file (random.ts, pct.ts, exhaustive.ts, replay.ts).
 */

/**
 * Where a randomised strategy draws from. fast-check's `Random` (the `mrng` an arbitrary's
 * `generate` receives) is one; `seededRandom(seed)` is another, for a seed an arbitrary drew,
 * so a failure replays by fast-check's seed and path.
 */
export interface RandomSource {
  /** An integer from `min` to `max`, both included. */
  nextInt(min: number, max: number): number;
  /** A number from 0 (included) to 1 (excluded). */
  nextDouble(): number;
}

/**
 * What a choice point decides: `"task"`, which task moves next (the schedule); `"race"`, how
 * a race inside the binding goes (which message fair queuing hands over, whether a peer
 * noticed a close...). Drivers of user code only ever ask `"task"` points.
 */
export type ChoiceKind = "task" | "race";

/** One thing that can happen next at a choice point. */
export interface Candidate {
  /**
   * A stable name of the task this candidate moves: the same task gets the same key at every
   * point of a run and in every run of a search (the model walk uses the actor's name,
   * `main/t0`; a completion scheduler the lane of the task whose completion is held). At a
   * race point, the outcome's name. PCT gives priorities per key.
   */
  readonly key: string;
  /**
   * Independence: what this candidate's step touches (for the model walk, the links its turn
   * uses; for held completions, the sockets or links of the op). Two candidates are
   * independent when both list resources and no resource is in both; leave it undefined when
   * the step may touch anything. Independent candidates promise that their steps (from this
   * pick up to the next choice point) commute: run in either order they lead to the same
   * state, and neither enables nor disables the other. Only `exhaustive` reads it, to run
   * once the schedules that differ only in the order of independent steps.
   */
  readonly resources?: readonly string[] | undefined;
}

/** A point where two or more things can happen next. */
export interface ChoicePoint {
  readonly kind: ChoiceKind;
  // invariant: at least two candidates, keys distinct
  readonly candidates: readonly Candidate[];
  /**
   * The index of the candidate that lets the task that moved last go on, or -1 when that task
   * cannot go on. Picking another candidate where `current >= 0` is a preemption: the bound of
   * `exhaustive` counts them. At a race point, -1 (candidate 0 is the default outcome).
   */
  readonly current: number;
  /**
   * The keys of the tasks that moved without a choice (only one could) since the previous task
   * point, or since the run began, in order; undefined when the driver cannot tell. With
   * `current`, this lets `exhaustive` know who moved when; its reduction only reorders steps
   * between points where it knows. `current`, where it is >= 0, must name the task that moved
   * last (the last of `since`, or the pick at the previous task point).
   */
  readonly since?: readonly string[] | undefined;
}

/**
 * The picks of one run, each an index into its point's candidates: `schedule` at task points
 * and `races` at race points, in the order they were asked. A `ReplaySelector` of the trace
 * (`replaySchedule(trace)`) makes the same picks, so a run found by any strategy is reported
 * as plain data that shrinks like any other.
 */
export interface Trace {
  readonly schedule: readonly number[];
  readonly races: readonly number[];
}

/**
 * One run's decision maker. The driver calls `select` at each choice point, in the run's order,
 * and must present the same points in the same order whenever the same picks were made (that
 * is what makes a run replayable, and what lets `exhaustive` walk a tree of runs).
 */
export interface Selector {
  /** Picks one of `point.candidates`: an integer from 0 to `candidates.length - 1`. */
  select(point: ChoicePoint): number;
  /** The picks made so far. */
  readonly trace: Trace;
  /**
   * True once every way this run can go on is known to repeat a run the search made already
   * (exhaustive's reduction); a driver that can stop a run early may stop it and ignore it.
   */
  readonly redundant: boolean;
}

/** The strategies the kit ships. */
export type StrategyName = "random" | "pct" | "exhaustive" | "replay";

/**
 * A search: a factory of selectors, one per run, in order. A strategy may keep what it learnt
 * from earlier runs (`exhaustive` walks its tree; `pct` sizes its change points on the runs it
 * saw), so create one per search and call `begin` once per run.
 */
export interface Strategy {
  readonly name: StrategyName;
  /**
   * The selector of the next run, drawing randomness (if it needs any) from `random`; null
   * when the strategy has nothing left to run (see `exhausted`).
   */
  begin(random: RandomSource): Selector | null;
  /** True once the strategy has made every run it can (only `exhaustive` and `replay` get there). */
  readonly exhausted: boolean;
}
