import type { ActorId, Op, Schedule } from "../interleaving/types.js";
import type { EngineContext } from "./decisions.js";
import { applyAt, endTurn } from "./engine.js";
import type { PreparedInterleaving } from "./prepared.js";
import type { ModelState } from "./state.js";

/** What a walk took: its schedule choices (as given) and its preemptions. */
export interface ScheduledWalk {
  readonly taken: readonly number[];
  readonly preemptions: number;
}

/**
 * Walks a prepared interleaving under a plain schedule, stepping the kit's engine in place:
 * the walk `Walker` makes for a schedule (see there), over the prepared lists, so a step
 * looks up no socket id and reads no op field that the preparation already read. Stops at
 * the first violation (left in `state.violation`).
 */
export function walkSchedule(prepared: PreparedInterleaving, schedule: Schedule, ctx: EngineContext, state: ModelState): ScheduledWalk {
  const { actors, keys, threads, starts, ops, sockets, ends } = prepared;
  const n = actors.length;
  const { blockedKeys: blocked, endedKeys: ended, deadKeys: deadThreads } = state;
  // pcs[p]: position of program p's next op in the prepared lists; it has ops while pcs[p] < starts[p + 1].
  const pcs = starts.slice(0, n);
  const ready = pcs.slice();
  // actorStatus(state, actor) === "ready" with ops left, for the actor of program p.
  const canRun = (p: number): boolean =>
    (pcs[p] as number) < (starts[p + 1] as number) &&
    (blocked.size === 0 || !blocked.has(keys[p] as number)) &&
    (ended.size === 0 || !ended.has(keys[p] as number)) &&
    (deadThreads.size === 0 || !deadThreads.has(threads[p] as number));
  const taken: number[] = [];
  let current = 0;
  let midTurn = false;
  let preemptions = 0;
  for (;;) {
    let chosen = current;
    if (!midTurn || !canRun(current)) {
      // A turn starts: the runnable actors from the current one on, in program order, wrapping around.
      let count = 0;
      for (let k = 0, p = current; k < n; k++) {
        if (canRun(p)) ready[count++] = p;
        if (++p === n) p = 0;
      }
      if (count === 0) break;
      const first = ready[0] as number;
      chosen = first;
      if (count > 1) {
        const choice = taken.length < schedule.length ? (schedule[taken.length] as number) : 0;
        taken.push(choice);
        chosen = ready[choice % count] as number;
        if (chosen !== first && first === current) preemptions++;
      }
    }
    current = chosen;
    const at = pcs[chosen] as number;
    pcs[chosen] = at + 1;
    midTurn = !ends[at];
    if (applyAt(ctx, state, sockets[at] as number, actors[chosen] as ActorId, at - (starts[chosen] as number), ops[at] as Op) !== null) break;
    if (!midTurn || !canRun(chosen)) endTurn(ctx, state);
  }
  return { taken, preemptions };
}
