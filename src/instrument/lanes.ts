import { actorName } from "../interleaving/actor.js";
import type { ActorId, History, HistoryEvent, Op } from "../interleaving/types.js";
import type { TaskNode } from "./tasks/task-node.js";

/** One lane of a run's report: a task, its number, its name and where it was started. */
export interface Lane {
  readonly actor: ActorId;
  /** `main`, `serve`, `Broker.start`, `setInterval(beat)`, or the name given to `context.task`. */
  readonly name: string;
  /** Where the task was started (`src/x.ts:12:5`), when known. */
  readonly site: string | null;
}

/** Finds the tracker node behind an actor of a run (any thread), or null. */
export type NodeOf = (actor: ActorId) => TaskNode | null;

/**
 * The lanes of a run: while it runs, an actor's `task` is a tracker node (a call that may
 * later be merged into its caller); once it is over, every node maps to its task, and tasks
 * are numbered per thread in the order they first appear in the history, the thread's main
 * task first (`main/t0`). They are numbered when first asked for (a passing run of a search
 * is never asked), from the nodes as they stand then: make the map once the run's tasks are
 * all known.
 */
export class LaneMap {
  private readonly numbered: Lane[] = [];
  private readonly byNode = new Map<TaskNode, ActorId>();
  private readonly nodeOf: NodeOf;
  private readonly indices = new Map<string, number>();
  private pending: { readonly history: History; readonly mains: readonly { readonly thread: number; readonly node: TaskNode }[] } | null;

  constructor(nodeOf: NodeOf, history: History, mains: readonly { readonly thread: number; readonly node: TaskNode }[]) {
    this.nodeOf = nodeOf;
    this.pending = { history, mains };
  }

  /** Every lane, in the order they are numbered. */
  get lanes(): Lane[] {
    this.number();
    return this.numbered;
  }

  /** The lane actor of a run actor (an actor with no node keeps its id). */
  actor(a: ActorId): ActorId {
    this.number();
    const n = this.nodeOf(a)?.root();
    return n === undefined ? a : this.laneOf(a.thread, n);
  }

  /** The lane's name (`serve`), or the actor's name when it has no lane. */
  name(a: ActorId): string {
    const lane = this.lanes.find((l) => l.actor.thread === a.thread && l.actor.task === a.task);
    return lane?.name ?? actorName(a);
  }

  /**
   * The history with lane actors (and lane actors in handoff targets). Op indices are counted
   * again per lane, since a lane gathers the ops of several calls; `index` maps an old
   * reference to the new one.
   */
  history(h: History): History {
    this.number();
    const counts = new Map<string, number>();
    return h.map((e): HistoryEvent => {
      const actor = this.actor(e.actor);
      if (e.kind === "invoke") {
        const lane = `${actor.thread}/${actor.task}`;
        const index = counts.get(lane) ?? 0;
        counts.set(lane, index + 1);
        this.indices.set(refKey(e.actor, e.index), index);
        return { ...e, actor, index, op: this.op(e.op) };
      }
      return { ...e, actor, index: this.index(e.actor, e.index) };
    });
  }

  /** The lane index of op `index` of run actor `a` (after `history` saw its invoke), else the old index. */
  index(a: ActorId, index: number): number {
    return this.indices.get(refKey(a, index)) ?? index;
  }

  /** Numbers the lanes (once): the mains first, then tasks as they first appear in the history. */
  private number(): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    for (const m of p.mains) this.laneOf(m.thread, m.node);
    for (const e of p.history) this.actor(e.actor);
  }

  /** An op with lane actors. */
  op(op: Op): Op {
    return op.kind === "handoff" ? { ...op, to: this.actor(op.to) } : op;
  }

  private laneOf(thread: number, node: TaskNode): ActorId {
    const known = this.byNode.get(node);
    if (known !== undefined) return known;
    const actor = { thread, task: this.numbered.filter((l) => l.actor.thread === thread).length };
    this.byNode.set(node, actor);
    // Where the task started is written when a report reads it (most runs pass unread).
    this.numbered.push({
      actor,
      name: node.name,
      get site(): string | null {
        return node.site();
      },
    });
    return actor;
  }
}

function refKey(a: ActorId, index: number): string {
  return `${a.thread}/${a.task}/${index}`;
}
