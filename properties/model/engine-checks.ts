import { fc } from "@fast-check/vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { HistoryEvent, Interleaving } from "../../src/interleaving/types.js";
import type { CheckResult } from "../../src/model/check.js";
import type { EngineContext } from "../../src/model/decisions.js";
import { kitEngineRules, type Model } from "../../src/model/model.js";
import { followRaces, racesField } from "../../src/model/race-choices.js";
import { walkSchedule } from "../../src/model/scheduled-walk.js";
import { initialState, type ModelState } from "../../src/model/state.js";
import { MODEL_RULES, type ModelRule } from "../../src/model/verdict.js";

// What the properties holding the kit's engine to a reference share: the interleavings they
// draw, the rules they switch off, and the check with a seeded bug each must tell apart.

const shape = { threads: 2, tasksPerThread: 3, maxLinks: 3, maxPeers: 3, maxOps: 6, owner: "any", transport: "any" } as const;

/** Every ownership mode of the arbitraries, under thread and task ownership, inproc and tcp, with race choices. */
export const anyInterleaving = fc
  .tuple(
    fc.oneof(
      interleavings({ ...shape, ownership: "respect" }),
      interleavings({ ...shape, ownership: "any", nowait: 0.2 }),
      interleavings({ ...shape, ownership: "violate", nowait: 0.3, weights: { handoff: 2, exit: 2 } }),
      interleavings({ threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5, ownership: "respect" }),
    ),
    fc.array(fc.nat(4), { maxLength: 8 }),
  )
  .map(([x, races]): Interleaving => ({ ...x, ...racesField(races) }));

/** No rule switched off (3 in 4), or one to three of them. */
export const disabledRules = fc.oneof({ weight: 3, arbitrary: fc.constant([] as ModelRule[]) }, { weight: 1, arbitrary: fc.subarray([...MODEL_RULES], { minLength: 1, maxLength: 3 }) });

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
