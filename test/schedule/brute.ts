import { checkInterleaving } from "../../src/model/check.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import type { ChoiceKind, ChoicePoint, Selector } from "../../src/schedule/strategy.js";
import { verdictLabel } from "../../src/model/verdict.js";

/** A point met past the prefix being followed. */
class Branch {
  readonly point: ChoicePoint;
  constructor(point: ChoicePoint) {
    this.point = point;
  }
}

/** Follows `prefix`, then stops the run at the next point. */
function prefixSelector(prefix: readonly number[]): Selector {
  const schedule: number[] = [];
  const races: number[] = [];
  let at = 0;
  return {
    select(point) {
      const pick = prefix[at++];
      if (pick === undefined) throw new Branch(point);
      (point.kind === "race" ? races : schedule).push(pick);
      return pick;
    },
    get trace() {
      return { schedule, races };
    },
    redundant: false,
  };
}

/** One leaf of the brute-force tree. */
export interface Leaf {
  readonly picks: readonly number[];
  readonly kinds: readonly ChoiceKind[];
  readonly verdict: string;
}

/**
 * Every run of `x` with at most `bound` preemptions, by brute force: at each point every
 * candidate is tried (a pick preempts when it is not the point's current candidate).
 */
export function bruteForce(x: Interleaving, bound: number): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (prefix: number[], kinds: ChoiceKind[], used: number): void => {
    try {
      const r = checkInterleaving(x, { validate: false, history: false, selector: prefixSelector(prefix) });
      leaves.push({ picks: prefix, kinds, verdict: verdictLabel(r.verdict) });
    } catch (err) {
      if (!(err instanceof Branch)) throw err;
      const p = err.point;
      p.candidates.forEach((_, i) => {
        const cost = p.kind === "task" && p.current >= 0 && i !== p.current ? 1 : 0;
        if (used + cost <= bound) walk([...prefix, i], [...kinds, p.kind], used + cost);
      });
    }
  };
  walk([], [], 0);
  return leaves;
}
