import { InvalidOptionsError } from "../errors.js";
import { RecordingSelector } from "./recorder.js";
import { prunable, type PathNode, type Prune } from "./reduction.js";
import type { ChoicePoint, RandomSource, Selector, Strategy } from "./strategy.js";

/**
 * Bounded exhaustive search: a depth-first walk of the tree of runs, one run per leaf, over
 * every schedule with at most `preemptionBound` preemptions (Musuvathi and Qadeer, "Iterative
 * context bounding for systematic testing of multithreaded programs", PLDI 2007) and every race
 * outcome. With `reduction`, a schedule is skipped when moving one of its steps earlier, past
 * steps independent of it, gives an equivalent schedule that comes first and needs no more
 * preemptions (see reduction.ts): that one is run instead, so no verdict is lost.
 *
 * The tree is learnt as it is walked: each run replays the path to the deepest point with an
 * untried candidate, takes that candidate, and goes on with the first allowed candidate at
 * every new point (the current task first, so the first run has no preemption).
 */

/** Options of `exhaustive`. */
export interface ExhaustiveOptions {
  /** Most preemptions in a schedule. Default 2. */
  readonly preemptionBound?: number;
  /** Skip schedules that only reorder independent steps (see `Candidate.resources`). Default true. */
  readonly reduction?: boolean;
}

/** What an exhaustive search has done so far. */
export interface ExhaustiveProgress {
  /** Runs begun. */
  readonly runs: number;
  /** Runs that turned out to repeat others (a driver may have stopped them early). */
  readonly redundant: number;
  /** Times a replayed prefix met a different point than before (a driver that is not deterministic). */
  readonly mismatches: number;
}

class ExhaustiveSelector extends RecordingSelector {
  private readonly path: PathNode[];
  private readonly prefix: number;
  private readonly bound: number;
  private readonly reduce: Prune | null;
  private readonly onMismatch: () => void;
  private depth = 0;
  /** The task points of `path` (what the reduction looks back over). */
  private tasks: PathNode[];

  constructor(path: PathNode[], bound: number, reduce: Prune | null, onMismatch: () => void) {
    super();
    this.path = path;
    this.tasks = path.filter((n) => n.kind === "task");
    this.prefix = path.length;
    this.bound = bound;
    this.reduce = reduce;
    this.onMismatch = onMismatch;
  }

  /** The nodes of this run, for the next one to backtrack on. */
  get nodes(): PathNode[] {
    return this.path;
  }

  protected choose(point: ChoicePoint): number {
    const fallback = point.current >= 0 ? point.current : 0;
    if (this.redundant) return fallback;
    const at = this.depth++;
    if (at < this.prefix) {
      const node = this.path[at];
      if (node !== undefined && samePoint(node, point)) return node.chosen;
      // The driver showed another point than the run this one replays: start the tree anew from here.
      this.path.length = at;
      this.tasks = this.path.filter((n) => n.kind === "task");
      this.onMismatch();
    }
    const before = costBefore(this.path);
    const node = newNode(point, before);
    const allowed = order(point).filter((i) => before + pickCost(node, i) <= this.bound && !(this.reduce !== null && point.kind === "task" && this.reduce(this.tasks, node, i)));
    const first = allowed[0];
    if (first === undefined) {
      this.redundant = true;
      return fallback;
    }
    node.chosen = first;
    node.rest.push(...allowed.slice(1));
    this.path.push(node);
    if (node.kind === "task") this.tasks.push(node);
    return first;
  }
}

function samePoint(node: PathNode, point: ChoicePoint): boolean {
  return node.kind === point.kind && node.keys.length === point.candidates.length && point.candidates.every((c, i) => c.key === node.keys[i]);
}

/** Candidates in the order they are tried: the current task first (no preemption), then the others. */
function order(point: ChoicePoint): number[] {
  const all = point.candidates.map((_, i) => i);
  if (point.current <= 0) return all;
  return [point.current, ...all.filter((i) => i !== point.current)];
}

function newNode(point: ChoicePoint, before: number): PathNode {
  return {
    kind: point.kind,
    keys: point.candidates.map((c) => c.key),
    resources: point.kind === "task" ? point.candidates.map((c) => c.resources) : [],
    current: point.current,
    since: point.since,
    before,
    chosen: 0,
    rest: [],
  };
}

/** 1 when picking candidate `i` at `node` is a preemption. */
export function pickCost(node: Pick<PathNode, "kind" | "current">, i: number): number {
  return node.kind === "task" && node.current >= 0 && i !== node.current ? 1 : 0;
}

function costBefore(path: readonly PathNode[]): number {
  const last = path[path.length - 1];
  return last === undefined ? 0 : last.before + pickCost(last, last.chosen);
}

/** An exhaustive search and how far it got. */
export type ExhaustiveStrategy = Strategy & { readonly progress: ExhaustiveProgress };

/** Exhaustive search (see the file's comment); `progress` says how far it got. */
export function exhaustive(options: ExhaustiveOptions = {}): ExhaustiveStrategy {
  return exhaustiveWith(options, prunable);
}

/** `exhaustive` with another reduction rule (to show what a wrong one loses). */
export function exhaustiveWith(options: ExhaustiveOptions, prune: Prune): ExhaustiveStrategy {
  const bound = options.preemptionBound ?? 2;
  if (!Number.isInteger(bound) || bound < 0) throw new InvalidOptionsError(`exhaustive: preemptionBound must be an integer >= 0, got ${JSON.stringify(options.preemptionBound)}`);
  const reduce = (options.reduction ?? true) ? prune : null;
  let last: ExhaustiveSelector | null = null;
  let done = false;
  const counts = { runs: 0, redundant: 0, mismatches: 0 };
  const onMismatch = () => {
    counts.mismatches++;
  };
  return {
    name: "exhaustive",
    begin(_random: RandomSource): Selector | null {
      if (done) return null;
      let path: PathNode[] = [];
      if (last !== null) {
        if (last.redundant) counts.redundant++;
        path = last.nodes;
        // Backtrack to the deepest point with an untried candidate.
        while (path.length > 0 && (path[path.length - 1]?.rest.length ?? 0) === 0) path.pop();
        const node = path[path.length - 1];
        if (node === undefined) {
          done = true;
          last = null;
          return null;
        }
        node.chosen = node.rest.shift() ?? node.chosen;
      }
      counts.runs++;
      last = new ExhaustiveSelector(path, bound, reduce, onMismatch);
      return last;
    },
    get exhausted() {
      return done;
    },
    get progress(): ExhaustiveProgress {
      return { ...counts, redundant: counts.redundant + (last?.redundant === true ? 1 : 0) };
    },
  };
}
