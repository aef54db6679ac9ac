import type { Interleaving, Op } from "../interleaving/types.js";
import { zeromqModel, actorStatus } from "../model/model.js";
import { Walker } from "../schedule/walker.js";

/**
 * Keeps the order of events when shrinking takes ops away. A schedule is a list of choices
 * relative to the runnable actors, so removing one op shifts what every later choice picks;
 * `retime` derives a new schedule that issues the remaining ops in the order they had.
 * Ops are matched by identity: shrink candidates reuse the op objects they keep.
 */

function walk(x: Interleaving, choose: ((ready: readonly number[], next: (p: number) => Op | undefined) => number) | null): { order: Op[]; schedule: number[] } {
  const state = zeromqModel.initial(x.scenario);
  const order: Op[] = [];
  const schedule: number[] = [];
  const programs = x.programs;
  const issued = programs.map(() => 0);
  const canRun = (p: number) => {
    const prog = programs[p];
    return prog !== undefined && actorStatus(state, prog.actor) === "ready";
  };
  // With a chooser, drive the walker one decision at a time through a live schedule.
  const live: number[] = [];
  const walker = new Walker(programs, choose === null ? x.schedule : live);
  // The walker's current actor: the ready list starts there.
  let lastPicked = 0;
  for (;;) {
    if (choose !== null) {
      const ready: number[] = [];
      const n = programs.length;
      const current = lastPicked;
      for (let k = 0; k < n; k++) {
        const p = (current + k) % n;
        if ((issued[p] ?? 0) < (programs[p]?.ops.length ?? 0) && canRun(p)) ready.push(p);
      }
      if (ready.length > 1) {
        const c = choose(ready, (p) => programs[p]?.ops[issued[p] ?? 0]);
        live.push(c);
        schedule.push(c);
      }
    }
    const pick = walker.next(canRun);
    if (pick === null) break;
    lastPicked = pick.program;
    issued[pick.program] = pick.index + 1;
    order.push(pick.op);
    const actor = programs[pick.program]?.actor;
    if (actor === undefined || zeromqModel.stepInPlace(state, actor, pick.index, pick.op, null) !== null) break;
  }
  return { order, schedule };
}

/** The ops of `x` in the order the model issues them under its schedule (up to a violation). */
export function issueOrder(x: Interleaving): Op[] {
  return walk(x, null).order;
}

/** `x` with a schedule that issues its ops in the relative order they have in `order`. */
export function retime(x: Interleaving, order: readonly Op[]): Interleaving {
  const rank = new Map<Op, number>();
  order.forEach((op, i) => rank.set(op, i));
  const { schedule } = walk(x, (ready, next) => {
    let best = 0;
    let bestRank = Infinity;
    ready.forEach((p, i) => {
      const op = next(p);
      const r = op === undefined ? undefined : rank.get(op);
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    });
    return best;
  });
  let end = schedule.length;
  while (end > 0 && schedule[end - 1] === 0) end--;
  return { scenario: x.scenario, programs: x.programs, schedule: schedule.slice(0, end) };
}
