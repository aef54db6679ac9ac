import type { ActorId, History, HistoryEvent, Interleaving, Op } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import type { Selector, Trace } from "../schedule/strategy.js";
import { Walker } from "../schedule/walker.js";
import { InvalidOptionsError, KitError } from "../errors.js";
import { flag, optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { EngineContext, RaceChooser } from "./decisions.js";
import { checkModel, kitEngineRules, zeromqModel, type Model, type StepOptions } from "./model.js";
import { Observations, RACED_AHEAD } from "./observations.js";
import { followRaces } from "./race-choices.js";
import { walkSchedule } from "./scheduled-walk.js";
import { actorKey, type ModelState } from "./state.js";
import type { Verdict, Violation } from "./verdict.js";

/** Copies of the state at a turn's start, one per way its races can go. */
export interface TurnShadows {
  readonly plain: ModelState;
  readonly ahead: ModelState;
}

/** The shadows of a turn starting in `state`. */
export function turnShadows(state: ModelState): TurnShadows {
  return { plain: state.clone(), ahead: state.clone() };
}

/**
 * Checks `op` where the turn's races went either way, then steps both shadows; returns the
 * violation if one of them breaks a rule.
 */
export function shadowCheck(model: Model, shadows: TurnShadows, actor: ActorId, index: number, op: Op): Violation | null {
  const v = model.check(shadows.plain, actor, index, op) ?? model.check(shadows.ahead, actor, index, op);
  if (v !== null) return v;
  model.stepInPlace(shadows.plain, actor, index, op, null);
  model.stepInPlace(shadows.ahead, actor, index, op, null, { decide: RACED_AHEAD });
  return null;
}

const CHECK_OPTIONS: readonly string[] = ["model", "history", "validate", "observed", "selector"];

/** Throws `InvalidOptionsError` for options `checkInterleaving` cannot use; cheap, as it runs on every check. */
function checkOptions(options: CheckOptions): void {
  if (options === zeroOptions) return;
  const o = optionsRecord("checkInterleaving", options, CHECK_OPTIONS);
  if (o.model !== undefined && o.model !== zeromqModel) checkModel("checkInterleaving: model", o.model);
  if (o.history !== undefined) flag("checkInterleaving: history", o.history, true);
  if (o.validate !== undefined) flag("checkInterleaving: validate", o.validate, true);
  if (o.observed !== undefined && !Array.isArray(o.observed)) throw new InvalidOptionsError(`checkInterleaving: observed must be a real run's history (an array of events), got ${showValue(o.observed)}`);
  const selector = o.selector as Partial<Selector> | undefined;
  if (selector !== undefined && (typeof selector !== "object" || selector === null || typeof selector.select !== "function")) {
    throw new InvalidOptionsError(`checkInterleaving: selector must be a strategy's Selector (an object with select), got ${showValue(o.selector)}`);
  }
  if (selector !== undefined && o.observed !== undefined) throw new InvalidOptionsError("checkInterleaving: give a selector or an observed history, not both: a real run's history already says how it went");
}

const zeroOptions: CheckOptions = Object.freeze({});

/** An empty list, shared by the results that hold one (they are read-only). */
const NONE: readonly never[] = Object.freeze([]);

/** Options of `checkInterleaving`. */
export interface CheckOptions {
  /** The model to check against (default: every rule on). */
  readonly model?: Model;
  /** Record the history (default true). Turn off for speed when only the verdict matters. */
  readonly history?: boolean;
  /** Validate the interleaving first (default true). Values from the kit's arbitraries are valid already. */
  readonly validate?: boolean;
  /**
   * A real run's history to follow where the binding is not fixed (which message fair queuing
   * hands over, races with libzmq's threads): the verdict the model gives that real run.
   */
  readonly observed?: History;
  /**
   * A strategy's selector, to pick at every task point and race point instead of the
   * interleaving's schedule and races. The result's `trace` holds its picks: with them as
   * schedule and races the interleaving replays this check.
   */
  readonly selector?: Selector;
}

/** The model's account of one interleaving. */
export interface CheckResult {
  readonly verdict: Verdict;
  /** Invoke and return events in order (empty when `history: false`). */
  readonly history: History;
  /** Steps taken. */
  readonly steps: number;
  /** Steps where the schedule switched away from an actor that could have gone on. */
  readonly preemptions: number;
  /** The model state at the end (after the refused step, for a violation). */
  readonly state: ModelState;
  /** The choices this check consumed: its schedule choices, and the race choices it followed. */
  readonly trace: Trace;
}

/** What one walk of the model follows at its choice points. */
interface WalkSource {
  readonly walker: Walker;
  readonly resolve: StepOptions;
  readonly races: () => readonly number[];
}

function source(x: Interleaving, options: CheckOptions, seen: Observations | null): WalkSource {
  if (seen !== null) return { walker: new Walker(x.programs, x.schedule), resolve: { choose: seen.choose(), decide: seen.decisions() }, races: () => [] };
  const selector = options.selector;
  if (selector !== undefined) {
    const race: RaceChooser = (p) => selector.select({ kind: "race", candidates: p.outcomes.map((key) => ({ key })), current: -1 });
    return { walker: new Walker(x.programs, selector, { scenario: x.scenario }), resolve: { race }, races: () => selector.trace.races };
  }
  const races = x.races ?? [];
  if (races.length === 0) return { walker: new Walker(x.programs, x.schedule), resolve: {}, races: () => [] };
  const taken: number[] = [];
  return { walker: new Walker(x.programs, x.schedule), resolve: { race: followRaces(races, taken) }, races: () => taken };
}

/**
 * Runs one interleaving through the model, without sockets: walks the schedule, steps the
 * model, stops at the first violation, and settles the end verdict. Races go the way the
 * interleaving's race choices say (the model's default where it has none); `checkEveryRace`
 * checks every way they can go. Under the interleaving's own schedule, with a model
 * `createModel` made, the walk steps the engine directly (`checkScheduled`);
 * with a selector, an observed history or a model record of other make, through `Walker` and
 * the model's functions. Both give the same result.
 */
export function checkInterleaving(interleaving: Interleaving, options: CheckOptions = zeroOptions): CheckResult {
  checkOptions(options);
  if (options.validate !== false) validateInterleaving(interleaving);
  const model = options.model ?? zeromqModel;
  const events: HistoryEvent[] | null = options.history === false ? null : [];
  if (options.selector === undefined && options.observed === undefined && kitEngineRules(model) !== null) {
    return checkScheduled(interleaving, model, events);
  }
  const state = model.initial(interleaving.scenario);
  const seen = options.observed === undefined ? null : Observations.fromHistory(options.observed);
  const { walker, resolve, races } = source(interleaving, options, seen);
  const programs = interleaving.programs;
  const keys = programs.map((p) => actorKey(p.actor));
  const threads = programs.map((p) => p.actor.thread);
  // actorStatus(state, actor) === "ready", for the actor of program p.
  const canRun = (p: number) => {
    const key = keys[p] as number;
    return !state.blockedKeys.has(key) && !state.endedKeys.has(key) && !state.deadKeys.has(threads[p] as number);
  };
  // Following a real run, a turn is also checked where its races went either way (the hazard
  // a runner refuses before it issues the turn).
  let shadows = seen === null ? null : turnShadows(state);
  for (let pick = walker.next(canRun); pick !== null; pick = walker.next(canRun)) {
    const actor = programs[pick.program]?.actor;
    if (actor === undefined) break;
    const hazard = shadows === null ? null : shadowCheck(model, shadows, actor, pick.index, pick.op);
    if (hazard !== null) {
      state.violation = hazard;
      break;
    }
    if (model.stepInPlace(state, actor, pick.index, pick.op, events, resolve) !== null) break;
    if (!walker.turnContinues(canRun)) {
      model.endTurnInPlace(state, events, resolve);
      if (shadows !== null) shadows = turnShadows(state);
    }
  }
  const trace = { schedule: walker.taken, races: races() };
  return { verdict: model.settle(state), history: events ?? [], steps: state.steps, preemptions: walker.preemptions, state, trace };
}

/**
 * `checkInterleaving` of `x` under its own schedule and race choices with the kit's engine,
 * walked by `walkSchedule`: the same verdict, steps, history and trace as the walk through
 * `Walker` and the model's functions. `model` must be one `createModel` made.
 */
export function checkScheduled(x: Interleaving, model: Model, events: HistoryEvent[] | null): CheckResult {
  const rules = kitEngineRules(model);
  if (rules === null) throw new KitError("INTERNAL", "checkScheduled steps the kit's engine directly: give it a model from createModel(), or check through checkInterleaving");
  const state = model.initial(x.scenario);
  const choices = x.races ?? NONE;
  // Without race choices no race is followed: the trace's races are the shared empty list.
  const races: number[] | null = choices.length === 0 ? null : [];
  const ctx: EngineContext = { rules, choose: undefined, decide: undefined, race: races === null ? undefined : followRaces(choices, races), events };
  const walk = walkSchedule(x, ctx, state);
  return { verdict: model.settle(state), history: events ?? NONE, steps: state.steps, preemptions: walk.preemptions, state, trace: { schedule: walk.taken, races: races ?? NONE } };
}
