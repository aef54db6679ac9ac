import type { Interleaving, Op, Program } from "../interleaving/types.js";
import type { EngineContext } from "./decisions.js";
import { applyAt, endTurn } from "./engine.js";
import { actorKey, indexOfId, type ModelState } from "./state.js";

/** What a walk took: its schedule choices (as given) and its preemptions. */
export interface ScheduledWalk {
  readonly taken: readonly number[];
  readonly preemptions: number;
}

/**
 * Walks `x` under its own schedule, stepping the kit's engine in place from `state` (the
 * initial state of x's scenario): the walk `Walker` makes for a schedule (see there), without
 * its per-step objects. Each op's kind is read once as it is taken (ops come in many object
 * shapes, and a read of a field every kind has is slow) and its socket found by id in the
 * state's topology. Stops at the first violation (left in `state.violation`).
 */
export function walkSchedule(x: Interleaving, ctx: EngineContext, state: ModelState): ScheduledWalk {
  const programs = x.programs;
  const schedule = x.schedule;
  const n = programs.length;
  const topology = state.topology;
  const { blockedKeys: blocked, endedKeys: ended, deadKeys: dead } = state;
  // pcs[p]: index of program p's next op; lens[p]: its op count; keys[p]: `actorKey` of its actor.
  const pcs = new Array<number>(n);
  const lens = new Array<number>(n);
  const keys = new Array<number>(n);
  const ready = new Array<number>(n);
  // runs[p]: 1 when program p has ops left and its actor is neither blocked nor ended, nor its
  // thread dead (actorStatus "ready"), as of `seen` changes to those lists, else 0: the lists
  // are read again only when they change, and a program that takes its last op stops at once.
  const runs = new Array<number>(n);
  // Every actor's key and thread are int32 values (as in any valid interleaving), which
  // `readRuns` compares without a branch; else it compares them as numbers.
  let int32 = true;
  for (let p = 0; p < n; p++) {
    const program = programs[p] as Program;
    pcs[p] = 0;
    lens[p] = program.ops.length;
    const key = actorKey(program.actor);
    keys[p] = key;
    if ((key | 0) !== key || (program.actor.thread | 0) !== program.actor.thread) int32 = false;
  }
  let seen = -1;
  const taken: number[] = [];
  let current = 0;
  let midTurn = false;
  let preemptions = 0;
  for (;;) {
    let changes = blocked.changes + ended.changes + dead.changes;
    if (changes !== seen) {
      seen = changes;
      readRuns(state, programs, pcs, lens, keys, runs, int32);
    }
    let chosen = current;
    if (!midTurn || runs[current] === 0) {
      // A turn starts: the runnable actors from the current one on, in program order, wrapping
      // around. Written without a branch on each program: which ones run is hard to predict
      // (nor where the list wraps: past the last program n - 1 - k is negative, its sign bit 1).
      let count = 0;
      for (let k = current; k < current + n; k++) {
        const p = k - n * ((n - 1 - k) >>> 31);
        ready[count] = p;
        count += runs[p] as number;
      }
      if (count === 0) break;
      const first = ready[0] as number;
      chosen = first;
      if (count > 1) {
        const choice = taken.length < schedule.length ? (schedule[taken.length] as number) : 0;
        taken.push(choice);
        // The remainder only when needed: a division is slow, and choices are mostly in range.
        chosen = ready[choice < count ? choice : choice % count] as number;
        // A preemption: the choice passed over the current actor, first in the list and ready.
        preemptions += differs(chosen, first) & (1 - differs(first, current));
      }
    }
    current = chosen;
    const program = programs[chosen] as Program;
    const at = pcs[chosen] as number;
    pcs[chosen] = at + 1;
    // Its last op: it stops at once.
    runs[chosen] = (runs[chosen] as number) & differs(at + 1, lens[chosen] as number);
    const op = program.ops[at] as Op;
    const kind = op.kind;
    // The op's socket, and whether it ends the turn (`endsTurn`). Each kind's fields are read
    // where the kind narrows the op to it: a read site that sees one or two object shapes is
    // quick, one that sees every kind's shape is not.
    let socket: string | null = null;
    switch (kind) {
      case "send":
        socket = op.socket;
        midTurn = op.nowait;
        break;
      case "recv":
        socket = op.socket;
        midTurn = op.nowait;
        break;
      case "poll":
        socket = op.socket;
        midTurn = true;
        break;
      case "close":
        socket = op.socket;
        midTurn = true;
        break;
      case "exit":
        midTurn = false;
        break;
      default:
        socket = op.socket;
        midTurn = true;
    }
    // -1 for an exit.
    const i = socket === null ? -1 : indexOfId(topology, socket);
    if (applyAt(ctx, state, i, program.actor, at, op, kind) !== null) break;
    if (!midTurn) {
      endTurn(ctx, state);
      continue;
    }
    // Mid-turn: the turn ends here if the actor cannot go on.
    changes = blocked.changes + ended.changes + dead.changes;
    if (changes !== seen) {
      seen = changes;
      readRuns(state, programs, pcs, lens, keys, runs, int32);
    }
    if (runs[chosen] === 0) endTurn(ctx, state);
  }
  return { taken, preemptions };
}

/**
 * Fills `runs` (see `walkSchedule`) from the state's blocked, ended and dead lists. Written
 * without a branch on each program or key (which ones match is hard to predict): a program is
 * struck off by each listed key equal to its own. The lists hold the keys and threads of the
 * programs' actors: when those are all `int32`, `differs` compares them.
 */
function readRuns(state: ModelState, programs: readonly Program[], pcs: readonly number[], lens: readonly number[], keys: readonly number[], runs: number[], int32: boolean): void {
  const { blockedKeys: blocked, endedKeys: ended, deadKeys: dead } = state;
  const n = runs.length;
  if (!int32) {
    for (let p = 0; p < n; p++) {
      const key = keys[p] as number;
      runs[p] = (pcs[p] as number) < (lens[p] as number) && !blocked.has(key) && !ended.has(key) && !dead.has((programs[p] as Program).actor.thread) ? 1 : 0;
    }
    return;
  }
  // 1 while ops are left (pcs[p] < lens[p]): the sign bit of pcs[p] - lens[p].
  for (let p = 0; p < n; p++) runs[p] = ((pcs[p] as number) - (lens[p] as number)) >>> 31;
  for (let k = 0; k < blocked.size; k++) strike(runs, keys, blocked.at(k));
  for (let k = 0; k < ended.size; k++) strike(runs, keys, ended.at(k));
  if (dead.size === 0) return;
  for (let p = 0; p < n; p++) {
    const thread = (programs[p] as Program).actor.thread;
    for (let k = 0; k < dead.size; k++) runs[p] = (runs[p] as number) & differs(thread, dead.at(k));
  }
}

/** Sets `runs[p]` to 0 where `keys[p]` is `key`. */
function strike(runs: number[], keys: readonly number[], key: number): void {
  for (let p = 0; p < runs.length; p++) runs[p] = (runs[p] as number) & differs(keys[p] as number, key);
}

/** 1 when the int32 values `a` and `b` differ, else 0, without a branch: the sign bit of x or -x is set for any x but 0. */
function differs(a: number, b: number): number {
  const x = a ^ b;
  return (x | -x) >>> 31;
}
