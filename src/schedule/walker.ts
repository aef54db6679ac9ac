import { actorName } from "../interleaving/actor.js";
import type { Op, Program, Scenario, Schedule } from "../interleaving/types.js";
import type { Candidate, ChoicePoint, Selector } from "./strategy.js";

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

/** Options of a `Walker`. */
export interface WalkerOptions {
  /**
   * The scenario the programs run in. Given, each candidate names the links (endpoints) its
   * turn uses as its `resources`, so `exhaustive` can skip reorderings of independent turns.
   */
  readonly scenario?: Scenario;
}

/**
 * An awaited op (`await send`, `await receive`) or a worker exit ends the actor's turn; a
 * synchronous op (poll, close, subscribe, handoff) or a fire-and-forget op does not, since
 * JavaScript only switches tasks at an `await`.
 */
export function endsTurn(op: Op): boolean {
  return op.kind === "exit" || ((op.kind === "send" || op.kind === "recv") && !op.nowait);
}

function isSelector(source: Schedule | Selector): source is Selector {
  return typeof (source as Partial<Selector>).select === "function";
}

/**
 * Walks programs one turn at a time. An actor keeps running until its turn ends (an awaited
 * op, or it cannot go on); then the walker lists the actors that can run, starting from the
 * current one (or the next one in program order if the current one cannot run). Where two or
 * more can run, the schedule's next choice picks one (modulo their count), or, given a
 * `Selector`, the strategy does: a task point whose candidates are the actors, keyed by name,
 * the current one first when it can go on. A choice is consumed only where two or more actors
 * can run, so a schedule holds exactly the decisions that mattered, and a selector's trace is
 * a schedule that replays the same walk. The model check and the real executor share this
 * walker; only `canRun` differs.
 */
export class Walker {
  private readonly programs: readonly Program[];
  private readonly schedule: Schedule;
  private readonly selector: Selector | null;
  private readonly pcs: Int32Array;
  private readonly lens: Int32Array;
  private readonly links: ReadonlyMap<string, string> | null;
  private current = 0;
  private cursor = 0;
  private midTurn = false;
  /** The runnable actors at a turn's start (the first `count` entries). */
  private readonly ready: Int32Array;
  /** Actors that started a turn without a choice since the last task point. */
  private forced: string[] = [];
  private keys: string[] | null = null;
  /** Preemptions taken so far. */
  preemptions = 0;
  /** Choices made at branching points (from the schedule, a selector or a chooser). */
  readonly taken: number[] = [];

  constructor(programs: readonly Program[], source: Schedule | Selector = [], options: WalkerOptions = {}) {
    this.programs = programs;
    this.selector = isSelector(source) ? source : null;
    this.schedule = isSelector(source) ? [] : source;
    const n = programs.length;
    this.pcs = new Int32Array(n);
    this.lens = new Int32Array(n);
    for (let p = 0; p < n; p++) this.lens[p] = (programs[p] as Program).ops.length;
    this.ready = new Int32Array(n);
    this.links = options.scenario === undefined ? null : new Map(options.scenario.sockets.map((s) => [s.id, s.endpoint] as const));
  }

  /** Schedule entries consumed so far. */
  get consumed(): number {
    return this.cursor;
  }

  private hasOps(p: number): boolean {
    return (this.pcs[p] as number) < (this.lens[p] as number);
  }

  private key(p: number): string {
    this.keys ??= this.programs.map((prog) => actorName(prog.actor));
    return this.keys[p] ?? `#${p}`;
  }

  /** The links program p's next turn uses (undefined when it exits, or without a scenario). */
  private turnResources(p: number, pc: number): readonly string[] | undefined {
    const links = this.links;
    const ops = this.programs[p]?.ops;
    if (links === null || ops === undefined) return undefined;
    const out: string[] = [];
    for (let k = pc; k < ops.length; k++) {
      const op = ops[k] as Op;
      if (op.kind === "exit") return undefined;
      for (const id of op.kind === "send" && op.to !== undefined ? [op.socket, op.to] : [op.socket]) {
        const link = links.get(id) ?? id;
        if (!out.includes(link)) out.push(link);
      }
      if (endsTurn(op)) break;
    }
    return out;
  }

  private point(ready: readonly number[]): ChoicePoint {
    const candidates: Candidate[] = ready.map((p: number) => {
      // Worked out only if the strategy asks (exhaustive with reduction), from the turn as it stands now.
      let resources: readonly string[] | undefined | null = null;
      const pc = this.pcs[p] ?? 0;
      const turn = () => this.turnResources(p, pc);
      return {
        key: this.key(p),
        get resources() {
          if (resources === null) resources = turn();
          return resources;
        },
      };
    });
    const since = this.forced;
    this.forced = [];
    return { kind: "task", candidates, current: ready[0] === this.current ? 0 : -1, since };
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
      const pcs = this.pcs;
      const lens = this.lens;
      let count = 0;
      // Runnable actors from the current one, in program order, wrapping around.
      for (let k = 0, p = this.current; k < n; k++) {
        if ((pcs[p] as number) < (lens[p] as number) && canRun(p)) ready[count++] = p;
        if (++p === n) p = 0;
      }
      if (count === 0) return null;
      const first = ready[0] as number;
      chosen = first;
      if (count > 1) {
        const choice =
          choose !== undefined
            ? choose(Array.from(ready.subarray(0, count)))
            : this.selector !== null
              ? this.selector.select(this.point(Array.from(ready.subarray(0, count))))
              : this.cursor < this.schedule.length
                ? (this.schedule[this.cursor] as number)
                : 0;
        this.cursor++;
        this.taken.push(choice);
        chosen = ready[choice % count] as number;
        preempted = chosen !== first && first === this.current;
      } else if (this.selector !== null) this.forced.push(this.key(first));
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
