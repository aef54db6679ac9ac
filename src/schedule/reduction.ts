import type { ChoiceKind } from "./strategy.js";

/**
 * Partial-order reduction under a preemption bound, for `exhaustive`.
 *
 * Steps of independent candidates commute, so two schedules that differ only by swapping
 * adjacent independent steps end in the same state and get the same verdict. Plain sleep sets
 * lose verdicts under a preemption bound, because the equivalent schedule they rely on may
 * need more preemptions than the bound allows. The rule here never does: a schedule is
 * skipped only when moving one step y earlier, past a block of steps that are independent of
 * it and during which y could already run, gives a schedule that
 *   - comes first in the order of task keys (y's key is below the key it overtakes), and
 *   - needs no more preemptions, for every way the run can go on.
 * Among the schedules equivalent to any schedule within the bound, the one with the fewest
 * preemptions, and first in key order among those, is never skipped: moving a step of it would
 * give one that is smaller still. So every verdict within the bound is reached.
 *
 * A move is only considered across task points with no forced step between them (`since` is
 * known and empty), so who moved when is known, and preemptions can be counted on the moved
 * schedule from what was recorded: a pick preempts when the task that moved last could go on.
 * Two rules use it: an early one when y is picked (the cost of going on is bounded by one
 * preemption), and an exact one at the next task point, once the pick after the block is known.
 */

/** One choice point of a run, as the search recorded it. */
export interface PathNode {
  readonly kind: ChoiceKind;
  readonly keys: readonly string[];
  /** Per candidate (task points only). */
  readonly resources: readonly (readonly string[] | undefined)[];
  readonly current: number;
  readonly since: readonly string[] | undefined;
  /** Preemptions before this point. */
  readonly before: number;
  chosen: number;
  /** Candidates still to try here, in order. */
  readonly rest: number[];
}

/**
 * A reduction rule: may candidate `i` at the new task point `node` be skipped? `tasks` are the
 * run's task points so far (race points left out), in order.
 */
export type Prune = (tasks: readonly PathNode[], node: PathNode, i: number) => boolean;

/** Independent: both name their resources and share none. */
export function independent(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  for (const r of a) if (b.includes(r)) return false;
  return true;
}

function cost(node: PathNode, i: number): number {
  return node.current >= 0 && i !== node.current ? 1 : 0;
}

function key(node: PathNode, i: number): string {
  return node.keys[i] ?? "";
}

function chosenKey(node: PathNode): string {
  return key(node, node.chosen);
}

function currentKey(node: PathNode): string | null {
  return node.current >= 0 ? key(node, node.current) : null;
}

function noForcedSteps(node: PathNode): boolean {
  return node.since !== undefined && node.since.length === 0;
}

/**
 * The plain rule without the preemption count: skip y whenever it could move before an
 * independent step it overtakes in key order. Sound without a bound; under one it loses
 * verdicts (kept to show that it does).
 */
export const pruneIgnoringBound: Prune = (tasks, node, i) => eachMove(tasks, tasks.length, key(node, i), node.resources[i], node, () => true);

/**
 * Walks back from task node `tasks[last]` (whose pick is y, with resources yRes) over the
 * blocks y could move before; calls `at(k)` for each k where y could be moved before the pick
 * of `tasks[k]` and would come first in key order. `after` is the node right after `tasks[last]`
 * (whose `since` says whether a forced step followed the last pick of the block).
 */
function eachMove(tasks: readonly PathNode[], end: number, y: string, yRes: readonly string[] | undefined, after: PathNode, at: (k: number) => boolean): boolean {
  for (let k = end - 1; k >= 0; k--) {
    const node = tasks[k];
    const next = k + 1 < end ? tasks[k + 1] : after;
    if (node === undefined || next === undefined || !noForcedSteps(next)) return false;
    const x = chosenKey(node);
    if (x === y || !node.keys.includes(y) || !independent(yRes, node.resources[node.chosen])) return false;
    if (y < x && at(k)) return true;
  }
  return false;
}

/** May candidate `i` at the new task point `node` be skipped? (`tasks`: the run's task points before it.) */
export function prunable(tasks: readonly PathNode[], node: PathNode, i: number): boolean {
  const t = tasks.length;
  // Early rule: the pick y = candidate i moved before the block tasks[k..t-1].
  const y = key(node, i);
  const lastX = t > 0 ? tasks[t - 1] : undefined;
  const penalty = lastX !== undefined && node.keys.includes(chosenKey(lastX)) ? 1 : 0;
  const early = eachMove(tasks, t, y, node.resources[i], node, (k) => {
    const n = tasks[k] as PathNode;
    const cur = currentKey(n);
    const movedY = cur !== null && cur !== y ? 1 : 0;
    // After y, the block's first pick preempts y if y could go on: assume it can.
    const diff = movedY + 1 - cost(n, n.chosen) - cost(node, i);
    return diff + penalty <= 0;
  });
  if (early || lastX === undefined || node.since === undefined) return early;
  // Exact rule: the previous pick y = tasks[t-1] moved before the block tasks[k..t-2], now that
  // the pick after it (candidate i here) is known.
  const prevY = chosenKey(lastX);
  const since = node.since;
  const yCouldGoOn = since.length === 0 ? node.keys.includes(prevY) : since[0] === prevY;
  const z = key(node, i);
  return eachMove(tasks, t - 1, prevY, lastX.resources[lastX.chosen], lastX, (k) => {
    const n = tasks[k] as PathNode;
    const cur = currentKey(n);
    const diff = (cur !== null && cur !== prevY ? 1 : 0) + (yCouldGoOn ? 1 : 0) - cost(n, n.chosen) - cost(lastX, lastX.chosen);
    // With a forced step after y, the moved and the original schedule meet in the same state with the same task moving last.
    if (since.length > 0) return diff <= 0;
    const a = chosenKey(tasks[t - 2] as PathNode);
    const moved = z !== a && node.keys.includes(a) ? 1 : 0;
    return diff + moved - cost(node, i) <= 0;
  });
}
