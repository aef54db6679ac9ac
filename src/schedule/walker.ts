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

/**
 * Walks a schedule over programs: at each step it lists the actors that can run, starting
 * from the current one (or the next one in program order if the current one cannot run),
 * and takes the schedule's next choice modulo that count. A choice is consumed only where
 * two or more actors can run, so a schedule holds exactly the decisions that mattered.
 * The model check and the real executor share this walker; only `canRun` differs.
 */
export class Walker {
  private readonly programs: readonly Program[];
  private readonly schedule: Schedule;
  private readonly pcs: number[];
  private current = 0;
  private cursor = 0;
  private readonly ready: number[] = [];
  /** Preemptions taken so far. */
  preemptions = 0;
  /** Schedule entries consumed so far. */
  get consumed(): number {
    return this.cursor;
  }

  constructor(programs: readonly Program[], schedule: Schedule) {
    this.programs = programs;
    this.schedule = schedule;
    this.pcs = programs.map(() => 0);
  }

  /** The next op to issue, or null when no actor can run. `canRun(p)` says whether program p's actor may issue now. */
  next(canRun: (program: number) => boolean): Pick | null {
    const n = this.programs.length;
    const ready = this.ready;
    ready.length = 0;
    // List runnable actors starting at the current one, in program order, wrapping around.
    for (let k = 0; k < n; k++) {
      const p = (this.current + k) % n;
      const prog = this.programs[p];
      if (prog !== undefined && (this.pcs[p] ?? 0) < prog.ops.length && canRun(p)) ready.push(p);
    }
    const first = ready[0];
    if (first === undefined) return null;
    let chosen = first;
    let preempted = false;
    if (ready.length > 1) {
      const choice = this.schedule[this.cursor] ?? 0;
      this.cursor++;
      chosen = ready[choice % ready.length] ?? first;
      preempted = chosen !== first && first === this.current;
    }
    if (preempted) this.preemptions++;
    this.current = chosen;
    const index = this.pcs[chosen] ?? 0;
    this.pcs[chosen] = index + 1;
    const op = this.programs[chosen]?.ops[index];
    if (op === undefined) throw new Error("walker: no op at the program counter");
    return { program: chosen, index, op, preempted };
  }

  /** How many ops of program `p` were issued. */
  issued(p: number): number {
    return this.pcs[p] ?? 0;
  }
}
