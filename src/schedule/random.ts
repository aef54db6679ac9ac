import { InvalidOptionsError } from "../errors.js";
import { RecordingSelector } from "./recorder.js";
import type { ChoicePoint, RandomSource, Selector, Strategy } from "./strategy.js";

/** Options of `random`. */
export interface RandomOptions {
  /**
   * Chance that a task point switches away from the task that could go on (a preemption).
   * Default: none given, every candidate is equally likely.
   */
  readonly preemptionRate?: number;
}

/** Picks uniformly, or keeps the current task with probability 1 - `rate`. */
class RandomSelector extends RecordingSelector {
  private readonly random: RandomSource;
  private readonly rate: number | undefined;

  constructor(random: RandomSource, rate: number | undefined) {
    super();
    this.random = random;
    this.rate = rate;
  }

  protected choose(point: ChoicePoint): number {
    const n = point.candidates.length;
    if (point.kind === "race" || this.rate === undefined || point.current < 0) return this.random.nextInt(0, n - 1);
    if (this.random.nextDouble() >= this.rate) return point.current;
    const other = this.random.nextInt(0, n - 2);
    return other >= point.current ? other + 1 : other;
  }
}

/** Random search: every run picks at random at every point (races too, uniformly). */
export function random(options: RandomOptions = {}): Strategy {
  const rate = options.preemptionRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new InvalidOptionsError(`random: preemptionRate is a probability from 0 to 1, got ${JSON.stringify(rate)}`);
  return {
    name: "random",
    begin: (source: RandomSource): Selector => new RandomSelector(source, rate),
    exhausted: false,
  };
}
