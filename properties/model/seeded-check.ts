import type { HistoryEvent, Interleaving } from "../../src/interleaving/types.js";
import type { CheckResult } from "../../src/model/check.js";
import type { EngineContext } from "../../src/model/decisions.js";
import { kitEngineRules, type Model } from "../../src/model/model.js";
import { followRaces } from "../../src/model/race-choices.js";
import { walkSchedule } from "../../src/model/scheduled-walk.js";
import { initialState, type ModelState } from "../../src/model/state.js";

/**
 * The kit's scheduled check with a bug seeded into its initial state (`seed` breaks one of the
 * state's counts or lists before the walk starts): what the properties that hold the engine to
 * a reference must tell apart from it.
 */
export function seededCheck(seed: (state: ModelState) => void): (x: Interleaving, model: Model) => CheckResult {
  return (x, model) => {
    const rules = kitEngineRules(model);
    if (rules === null) throw new Error("not a kit model");
    const state = initialState(x.scenario);
    seed(state);
    const events: HistoryEvent[] = [];
    const races: number[] = [];
    const choices = x.races ?? [];
    const ctx: EngineContext = { rules, choose: undefined, decide: undefined, race: choices.length === 0 ? undefined : followRaces(choices, races), events };
    const walk = walkSchedule(x, ctx, state);
    return { verdict: model.settle(state), history: events, steps: state.steps, preemptions: walk.preemptions, state, trace: { schedule: walk.taken, races } };
  };
}
