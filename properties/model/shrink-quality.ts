import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { Model } from "../../src/model/model.js";
import { measureShrinking, seedRange, type ShrinkMeasure } from "../shrink-measure.js";
import { isMinimalSize, sizeOf, type RuleCase, type Size } from "./catalog.js";

/** How often, over `seeds` seeds, the kit finds `c.rule` under `model` and shrinks it to the known minimum. */
export function shrinkQuality(c: RuleCase, model: Model, seeds = 100, numRuns = 2000): ShrinkMeasure<Size> {
  return measureShrinking({
    arbitrary: interleavings(c.constraints),
    happens: (x) => c.happens(x, model),
    size: (x) => sizeOf(x, model),
    isMinimal: (s) => isMinimalSize(s, c.minimum),
    seeds: seedRange(seeds),
    numRuns,
  });
}
