import { InvalidOptionsError } from "../errors.js";
import { RecordingSelector } from "./recorder.js";
import type { ChoicePoint, RandomSource, Selector, Strategy } from "./strategy.js";

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
 * Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010). Each task
 * gets a random priority of at least `depth`; `depth - 1` change points are drawn among the
 * run's first `steps` task points, and at the i-th of them the task about to move drops to
 * priority i. At every point the highest-priority candidate moves. A bug that needs `depth`
 * ordering constraints is found by one run with probability at least 1 / (n * k^(depth-1)) for
 * n tasks and k task points, because a low priority holds a task back for as long as the bug
 * needs, which a uniform random walk almost never does.
 */

/** Options of `pct`. */
export interface PctOptions {
  /** The depth of the bugs to aim at: `depth - 1` priority change points per run. Default 3. */
  readonly depth?: number;
  /**
   * k, the number of task points a run has, where change points are drawn. Default: the most
   * any earlier run of this strategy had (20 before the first run). An overestimate only
   * lowers the odds; an underestimate leaves the run's tail without change points.
   */
  readonly steps?: number;
}

/** The lower bound PCT guarantees for one run on a bug of `depth` among `tasks` tasks and `steps` task points. */
export function pctBound(tasks: number, steps: number, depth: number): number {
  return 1 / (tasks * Math.max(1, steps) ** (depth - 1));
}

class PctSelector extends RecordingSelector {
  private readonly random: RandomSource;
  private readonly depth: number;
  /** Task point number (from 1) to the priority the task about to move drops to. */
  private readonly changes: ReadonlyMap<number, number>;
  private readonly priorities = new Map<string, number>();

  constructor(random: RandomSource, depth: number, changes: ReadonlyMap<number, number>) {
    super();
    this.random = random;
    this.depth = depth;
    this.changes = changes;
  }

  private priority(key: string): number {
    let p = this.priorities.get(key);
    if (p === undefined) {
      // A uniform random order of the tasks, drawn as they show up; every one above the change priorities.
      p = this.depth + this.random.nextDouble();
      this.priorities.set(key, p);
    }
    return p;
  }

  private highest(point: ChoicePoint): number {
    let best = 0;
    let top = -Infinity;
    point.candidates.forEach((c, i) => {
      const p = this.priority(c.key);
      if (p > top) {
        top = p;
        best = i;
      }
    });
    return best;
  }

  protected choose(point: ChoicePoint): number {
    if (point.kind === "race") return this.random.nextInt(0, point.candidates.length - 1);
    const best = this.highest(point);
    const low = this.changes.get(this.taskPoints + 1);
    if (low === undefined) return best;
    this.priorities.set(point.candidates[best]?.key ?? "", low);
    return this.highest(point);
  }
}

/**
 * Draws `count` distinct task points from 1 to `steps`, uniformly, the i-th drawn lowering to
 * priority i (the draw order of a uniform sample is a uniform order, as the bound needs).
 */
function changePoints(random: RandomSource, steps: number, count: number): Map<number, number> {
  const out = new Map<number, number>();
  const n = Math.min(count, steps);
  // A partial Fisher-Yates shuffle of 1..steps, stored sparsely.
  const swapped = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const j = random.nextInt(i, steps - 1);
    const at = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.set(at + 1, i + 1);
  }
  return out;
}

/** PCT search (see the file's comment). */
export function pct(options: PctOptions = {}): Strategy {
  const depth = options.depth ?? 3;
  if (!Number.isInteger(depth) || depth < 1 || depth > 64) throw new InvalidOptionsError(`pct: depth must be an integer from 1 to 64, got ${JSON.stringify(options.depth)}`);
  const fixed = options.steps;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1)) throw new InvalidOptionsError(`pct: steps must be an integer >= 1, got ${JSON.stringify(fixed)}`);
  let last: PctSelector | null = null;
  let seen = 0;
  return {
    name: "pct",
    begin(random: RandomSource): Selector {
      if (last !== null) seen = Math.max(seen, last.taskPoints);
      const steps = fixed ?? (seen > 0 ? seen : 20);
      last = new PctSelector(random, depth, changePoints(random, steps, depth - 1));
      return last;
    },
    exhausted: false,
  };
}
