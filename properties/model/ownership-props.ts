import fc from "fast-check";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import type { Model } from "../../src/model/model.js";

/** The respect property: no step rule broken, whatever the schedule does. */
export function respectNeverViolates(x: Interleaving, model: Model): boolean {
  return checkInterleaving(x, { model, validate: false, history: false }).verdict.kind !== "violation";
}

/** Share of "violate" runs that break a rule, for a fixed seed. */
export function violateRate(constraints: InterleavingConstraints, model: Model, runs: number, seed: number): number {
  const xs = fc.sample(interleavings({ ownership: "violate", ...constraints }), { numRuns: runs, seed });
  return xs.filter((x) => checkInterleaving(x, { model, validate: false, history: false }).verdict.kind === "violation").length / runs;
}
