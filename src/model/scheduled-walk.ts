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
  const { actors, keys, threads, starts, ops, kinds, sockets, ends } = prepared;
  const n = actors.length;
  const { blockedKeys: blocked, endedKeys: ended, deadKeys: dead } = state;
  // pcs[p]: position of program p's next op in the prepared lists; it has ops while pcs[p] < starts[p + 1].
  const pcs = starts.slice(0, n);
  const ready = pcs.slice();
  // free[p]: program p's actor is neither blocked nor ended, nor its thread dead (actorStatus
  // "ready"), as of `seen` changes to those lists: read again only when they change.
  const free = new Array<boolean>(n);
  let seen = -1;
  const taken: number[] = [];
  let current = 0;
  let midTurn = false;
  let preemptions = 0;
  for (;;) {
    const changes = blocked.changes + ended.changes + dead.changes;
    if (changes !== seen) {
      seen = changes;
      for (let p = 0; p < n; p++) {
        const key = keys[p] as number;
        free[p] = !blocked.has(key) && (ended.size === 0 || !ended.has(key)) && (dead.size === 0 || !dead.has(threads[p] as number));
      }
    }
    let chosen = current;
    if (!midTurn || !free[current] || (pcs[current] as number) >= (starts[current + 1] as number)) {
      // A turn starts: the runnable actors from the current one on, in program order, wrapping around.
      let count = 0;
      for (let k = 0, p = current; k < n; k++) {
        if (free[p] === true && (pcs[p] as number) < (starts[p + 1] as number)) ready[count++] = p;
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
    if (applyAt(ctx, state, sockets[at] as number, actors[chosen] as ActorId, at - (starts[chosen] as number), ops[at] as Op, kinds[at] as Op["kind"]) !== null) break;
    if (!midTurn) {
      endTurn(ctx, state);
      continue;
    }
    // Mid-turn: the turn ends here if the actor cannot go on.
    const key = keys[chosen] as number;
    const goesOn = at + 1 < (starts[chosen + 1] as number) && !blocked.has(key) && !ended.has(key) && !dead.has(threads[chosen] as number);
    if (!goesOn) endTurn(ctx, state);
  }
  return { taken, preemptions };
}
