/**
 * The pure check as it stood before the engine kept counts (commit 6740627), frozen as a
 * reference: the files beside this one are that commit's engine, messaging, completion,
 * socket ops, state, prepared form and scheduled walk, copied unchanged but for their import
 * paths. Do not edit them to follow the kit: they are what the kit is compared against.
 */
import type { HistoryEvent, Interleaving } from "../../../src/interleaving/types.js";
import type { EngineContext } from "../../../src/model/decisions.js";
import { settleState } from "../../../src/model/model.js";
import { followRaces } from "../../../src/model/race-choices.js";
import type { ModelState as KitState } from "../../../src/model/state.js";
import type { ModelRule, Verdict } from "../../../src/model/verdict.js";
import { prepareInterleaving } from "./prepared.js";
import { walkSchedule } from "./scheduled-walk.js";
import { initialState, type ModelState } from "./state.js";
import type { Trace } from "../../../src/schedule/strategy.js";

/** What the frozen check gives: the fields of a `CheckResult`. */
export interface FrozenResult {
  readonly verdict: Verdict;
  readonly history: readonly HistoryEvent[];
  readonly steps: number;
  readonly preemptions: number;
  readonly state: ModelState;
  readonly trace: Trace;
}

/** `checkInterleaving(x, { model })` as it was, for a model with `rules` enabled, under x's own schedule and race choices. */
export function frozenCheck(x: Interleaving, rules: ReadonlySet<ModelRule>): FrozenResult {
  const state = initialState(x.scenario);
  const events: HistoryEvent[] = [];
  const choices = x.races ?? [];
  const races: number[] = [];
  const ctx: EngineContext = { rules, choose: undefined, decide: undefined, race: choices.length === 0 ? undefined : followRaces(choices, races), events };
  const walk = walkSchedule(prepareInterleaving(x), x.schedule, ctx, state);
  // settleState reads only what both states have (pending ops, orphaned messages, threads, steps).
  const verdict = settleState(rules, state as unknown as KitState);
  return { verdict, history: events, steps: state.steps, preemptions: walk.preemptions, state, trace: { schedule: walk.taken, races } };
}
