import type { Interleaving, Op } from "../interleaving/types.js";
import { actorStatus, zeromqModel } from "../model/model.js";
import { followRaces, racesField } from "../model/race-choices.js";
import { Walker, type Chooser } from "../schedule/walker.js";

/**
 * Keeps the order of events when shrinking takes ops away. A schedule is a list of choices
 * relative to the runnable actors, so removing one op shifts what every later choice picks;
 * `retime` derives a new schedule that issues the remaining ops in the order they had.
 * Ops are matched by identity: shrink candidates reuse the op objects they keep.
 */

function walk(x: Interleaving, chooser: ((walker: Walker) => Chooser) | undefined): { order: Op[]; schedule: number[] } {
  const state = zeromqModel.initial(x.scenario);
  const programs = x.programs;
  const order: Op[] = [];
  const walker = new Walker(programs, x.schedule);
  const choose = chooser?.(walker);
  const resolve = x.races === undefined || x.races.length === 0 ? {} : { race: followRaces(x.races) };
  const canRun = (p: number) => {
    const prog = programs[p];
    return prog !== undefined && actorStatus(state, prog.actor) === "ready";
  };
  for (let pick = walker.next(canRun, choose); pick !== null; pick = walker.next(canRun, choose)) {
    order.push(pick.op);
    const actor = programs[pick.program]?.actor;
    if (actor === undefined || zeromqModel.stepInPlace(state, actor, pick.index, pick.op, null, resolve) !== null) break;
    if (!walker.turnContinues(canRun)) zeromqModel.endTurnInPlace(state, null, resolve);
  }
  return { order, schedule: walker.taken };
}

/** The ops of `x` in the order the model issues them under its schedule (up to a violation). */
export function issueOrder(x: Interleaving): Op[] {
  return walk(x, undefined).order;
}

/** `x` with a schedule that issues its ops in the relative order they have in `order`. */
export function retime(x: Interleaving, order: readonly Op[]): Interleaving {
  const rank = new Map<Op, number>();
  order.forEach((op, i) => rank.set(op, i));
  const { schedule } = walk(x, (walker) => (ready) => {
    let best = 0;
    let bestRank = Infinity;
    ready.forEach((p, i) => {
      const op = x.programs[p]?.ops[walker.issued(p)];
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
  return { scenario: x.scenario, programs: x.programs, schedule: schedule.slice(0, end), ...racesField(x.races) };
}
