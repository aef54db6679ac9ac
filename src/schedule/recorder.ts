import { KitError } from "../errors.js";
import type { ChoicePoint, Selector, Trace } from "./strategy.js";

/**
 * The part every selector shares: checks the driver's point and the strategy's pick, and
 * records the pick in the run's trace (task and race picks apart), so any run replays.
 */
export abstract class RecordingSelector implements Selector {
  private readonly schedulePicks: number[] = [];
  private readonly racePicks: number[] = [];
  redundant = false;

  get trace(): Trace {
    return { schedule: this.schedulePicks, races: this.racePicks };
  }

  /** Task points asked so far. */
  get taskPoints(): number {
    return this.schedulePicks.length;
  }

  select(point: ChoicePoint): number {
    const n = point.candidates.length;
    if (n < 2) throw new KitError("INTERNAL", `a choice point needs two or more candidates, got ${n}: ask the strategy only where something can happen two ways`);
    const i = this.choose(point);
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new KitError("INTERNAL", `strategy picked ${i} of ${n} candidates`);
    (point.kind === "race" ? this.racePicks : this.schedulePicks).push(i);
    return i;
  }

  /** The strategy's pick at `point` (an index into its candidates). */
  protected abstract choose(point: ChoicePoint): number;
}
