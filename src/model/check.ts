import type { ActorId, History, HistoryEvent, Interleaving, Op, Program } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import type { Selector, Trace } from "../schedule/strategy.js";
import { endsTurn, Walker } from "../schedule/walker.js";
import { InvalidOptionsError } from "../errors.js";
import { flag, optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { EngineContext, RaceChooser } from "./decisions.js";
import { apply, endTurn } from "./engine.js";
import { checkModel, zeromqModel, type Model, type StepOptions } from "./model.js";
import { Observations, RACED_AHEAD } from "./observations.js";
import { followRaces } from "./race-choices.js";
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
 * checks every way they can go.
 */
export function checkInterleaving(interleaving: Interleaving, options: CheckOptions = zeroOptions): CheckResult {
  checkOptions(options);
  if (options.validate !== false) validateInterleaving(interleaving);
  const model = options.model ?? zeromqModel;
  const state = model.initial(interleaving.scenario);
  const events: HistoryEvent[] | null = options.history === false ? null : [];
  if (options.selector === undefined && options.observed === undefined) return fastCheck(interleaving, model, state, events);
  const seen = options.observed === undefined ? null : Observations.fromHistory(options.observed);
  const { walker, resolve, races } = source(interleaving, options, seen);
  const programs = interleaving.programs;
  const keys = programs.map((p) => actorKey(p.actor));
  const threads = programs.map((p) => p.actor.thread);
  // actorStatus(state, actor) === "ready", for the actor of program p.
  const canRun = (p: number) => {
    const key = keys[p] as number;
    return !state.blocked.has(key) && !state.ended.has(key) && !state.deadThreads.has(threads[p] as number);
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

function fastCheck(x: Interleaving, model: Model, state: ModelState, events: HistoryEvent[] | null): CheckResult {
  const programs = x.programs;
  const n = programs.length;
  const keys: number[] = [];
  const threads: number[] = [];
  const pcs: number[] = [];
  const ready: number[] = [];
  for (let p = 0; p < n; p++) {
    const a = (programs[p] as Program).actor;
    keys.push(actorKey(a));
    threads.push(a.thread);
    pcs.push(0);
    ready.push(0);
  }
  const races = x.races ?? [];
  const racesTaken: number[] = [];
  const resolve: StepOptions = races.length === 0 ? {} : { race: followRaces(races, racesTaken) };
  const schedule = x.schedule;
  const ctx: EngineContext = { rules: model.rules, choose: undefined, decide: undefined, race: resolve.race, events };
  const taken: number[] = [];
  const blocked = state.blocked;
  const ended = state.ended;
  const dead = state.deadThreads;
  const canRun = (p: number): boolean => (blocked.size === 0 || !blocked.has(keys[p] as number)) && (ended.size === 0 || !ended.has(keys[p] as number)) && (dead.size === 0 || !dead.has(threads[p] as number));
  let current = 0;
  let midTurn = false;
  let preemptions = 0;
  for (;;) {
    let chosen: number;
    const cp = current;
    if (midTurn && (pcs[cp] as number) < (programs[cp] as Program).ops.length && canRun(cp)) chosen = cp;
    else {
      let count = 0;
      for (let k = 0, p = current; k < n; k++) {
        if ((pcs[p] as number) < (programs[p] as Program).ops.length && canRun(p)) ready[count++] = p;
        if (++p === n) p = 0;
      }
      if (count === 0) break;
      const first = ready[0] as number;
      chosen = first;
      if (count > 1) {
        const choice = taken.length < schedule.length ? (schedule[taken.length] as number) : 0;
        taken.push(choice);
        chosen = ready[choice % count] as number;
        if (chosen !== first && first === current) preemptions++;
      }
    }
    current = chosen;
    const index = pcs[chosen] as number;
    pcs[chosen] = index + 1;
    const program = programs[chosen] as Program;
    const op = program.ops[index] as Op;
    midTurn = !endsTurn(op);
    if (apply(ctx, state, program.actor, index, op) !== null) break;
    if (!(midTurn && (pcs[chosen] as number) < program.ops.length && canRun(chosen))) endTurn(ctx, state);
  }
  return { verdict: model.settle(state), history: events ?? [], steps: state.steps, preemptions, state, trace: { schedule: taken, races: racesTaken } };
}
