import type { Op, Program, Schedule } from "../interleaving/types.js";

/** The step a walker picked. */
export interface Pick {
  /** Index of the program (actor) in `programs`. */
  readonly program: number;
  /** Index of the op in that program. */
  readonly index: number;
  readonly op: Op;
  /** The current actor could have run and another was picked. */
  readonly preempted: boolean;
}

/** Picks an entry of `ready` (program indices, current actor first) at a branching point. */
export type Chooser = (ready: readonly number[]) => number;

/**
 * An awaited op (`await send`, `await receive`) or a worker exit ends the actor's turn; a
 * synchronous op (poll, close, subscribe, handoff) or a fire-and-forget op does not, since
 * JavaScript only switches tasks at an `await`.
 */
export function endsTurn(op: Op): boolean {
  return op.kind === "exit" || ((op.kind === "send" || op.kind === "recv") && !op.nowait);
}

/**
 * Walks a schedule over programs, one turn at a time. An actor keeps running until its turn
 * ends (an awaited op, or it cannot go on); then the walker lists the actors that can run,
 * starting from the current one (or the next one in program order if the current one cannot
 * run), and takes the schedule's next choice modulo that count. A choice is consumed only
 * where two or more actors can run, so a schedule holds exactly the decisions that mattered.
 * The model check and the real executor share this walker; only `canRun` differs.
 */
export class Walker {
  private readonly programs: readonly Program[];
  private readonly schedule: Schedule;
  private readonly pcs: number[];
  private current = 0;
  private cursor = 0;
  private midTurn = false;
  private readonly ready: number[] = [];
  /** Preemptions taken so far. */
  preemptions = 0;
  /** Choices made at branching points (from the schedule, or from a chooser). */
  readonly taken: number[] = [];

  constructor(programs: readonly Program[], schedule: Schedule) {
    this.programs = programs;
    this.schedule = schedule;
    this.pcs = programs.map(() => 0);
  }

  /** Schedule entries consumed so far. */
  get consumed(): number {
    return this.cursor;
  }

  private hasOps(p: number): boolean {
    return (this.pcs[p] ?? 0) < (this.programs[p]?.ops.length ?? 0);
  }

  /** After a step: does the current actor's turn go on (it issued no await and can still run)? */
  turnContinues(canRun: (program: number) => boolean): boolean {
    return this.midTurn && this.hasOps(this.current) && canRun(this.current);
  }

  /**
   * The next op to issue, or null when no actor can run. `canRun(p)` says whether program p's
   * actor may issue now; `choose`, when given, replaces the schedule at branching points.
   */
  next(canRun: (program: number) => boolean, choose?: Chooser): Pick | null {
    let chosen: number;
    let preempted = false;
    if (this.turnContinues(canRun)) chosen = this.current;
    else {
      const n = this.programs.length;
      const ready = this.ready;
      ready.length = 0;
      // Runnable actors from the current one, in program order, wrapping around.
      for (let k = 0; k < n; k++) {
        const p = (this.current + k) % n;
        if (this.hasOps(p) && canRun(p)) ready.push(p);
      }
      const first = ready[0];
      if (first === undefined) return null;
      chosen = first;
      if (ready.length > 1) {
        const choice = choose === undefined ? (this.schedule[this.cursor] ?? 0) : choose(ready);
        this.cursor++;
        this.taken.push(choice);
        chosen = ready[choice % ready.length] ?? first;
        preempted = chosen !== first && first === this.current;
      }
    }
    if (preempted) this.preemptions++;
    this.current = chosen;
    const index = this.pcs[chosen] ?? 0;
    this.pcs[chosen] = index + 1;
    const op = this.programs[chosen]?.ops[index];
    if (op === undefined) throw new Error("walker: no op at the program counter");
    this.midTurn = !endsTurn(op);
    return { program: chosen, index, op, preempted };
  }

  /** How many ops of program `p` were issued. */
  issued(p: number): number {
    return this.pcs[p] ?? 0;
  }
}
