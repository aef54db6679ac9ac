import type { ActorId, History, HistoryEvent, Interleaving, Op } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { Observations, RACED_AHEAD } from "./observations.js";
import { Walker } from "../schedule/walker.js";
import { InvalidOptionsError } from "../errors.js";
import { flag, optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import { actorStatus, checkModel, zeromqModel, type Model } from "./model.js";
import type { ModelState } from "./state.js";
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

const CHECK_OPTIONS: readonly string[] = ["model", "history", "validate", "observed"];

/** Throws `InvalidOptionsError` for options `checkInterleaving` cannot use; cheap, as it runs on every check. */
function checkOptions(options: CheckOptions): void {
  if (options === zeroOptions) return;
  const o = optionsRecord("checkInterleaving", options, CHECK_OPTIONS);
  if (o.model !== undefined && o.model !== zeromqModel) checkModel("checkInterleaving: model", o.model);
  if (o.history !== undefined) flag("checkInterleaving: history", o.history, true);
  if (o.validate !== undefined) flag("checkInterleaving: validate", o.validate, true);
  if (o.observed !== undefined && !Array.isArray(o.observed)) throw new InvalidOptionsError(`checkInterleaving: observed must be a real run's history (an array of events), got ${showValue(o.observed)}`);
}

const zeroOptions: CheckOptions = Object.freeze({});

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
}

/**
 * Runs one interleaving through the model, without sockets: walks the schedule, steps the
 * model, stops at the first violation, and settles the end verdict.
 */
export function checkInterleaving(interleaving: Interleaving, options: CheckOptions = zeroOptions): CheckResult {
  checkOptions(options);
  if (options.validate !== false) validateInterleaving(interleaving);
  const model = options.model ?? zeromqModel;
  const state = model.initial(interleaving.scenario);
  const events: HistoryEvent[] | null = options.history === false ? null : [];
  const seen = options.observed === undefined ? null : Observations.fromHistory(options.observed);
  const resolve = seen === null ? {} : { choose: seen.choose(), decide: seen.decisions() };
  const programs = interleaving.programs;
  const walker = new Walker(programs, interleaving.schedule);
  const canRun = (p: number) => {
    const prog = programs[p];
    return prog !== undefined && actorStatus(state, prog.actor) === "ready";
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
  return { verdict: model.settle(state), history: events ?? [], steps: state.steps, preemptions: walker.preemptions, state };
}
