/** How a task came to be. */
export type TaskKind =
  /** The function under test. */
  | "main"
  /** An async function whose promise its caller did not await at once (`void f()`, `Promise.all` members...). */
  | "async"
  /** Started or reserved by name (`context.task(name, fn)`). */
  | "named"
  /** A timer's callback (`setTimeout`, `setInterval`), run on the kit's clock. */
  | "timer"
  /** Code run by an event of the event loop outside any task (an event listener, say). */
  | "callback";

/**
 * One task of a run, or a call that may turn out to be part of its caller's task. An async
 * function call starts a node at once; when the caller awaits its promise in the same
 * synchronous stretch, the node is merged into the caller's (`merged`), so its ops belong to
 * the caller's lane. `root()` is the task an op belongs to.
 */
export class TaskNode {
  readonly id: number;
  readonly kind: TaskKind;
  /** `serve`, `Broker.start`, `anonymous`, the name given to `context.task`, `setInterval(beat)`. */
  readonly name: string;
  /** Where it was started (`file:line:column`), computed when a report needs it. */
  readonly site: () => string | null;
  /** The task that was running when this one started. */
  readonly caller: TaskNode | null;
  /** For an async call: the function's key (frames.ts `functionKey`) and its promise. */
  readonly fnKey: string | null;
  readonly promise: Promise<unknown> | null;
  // invariant: merged is null or a node created before this one (merges point back in time, so root() ends)
  /** The node this one turned out to be part of (its caller awaited it at once). */
  merged: TaskNode | null = null;

  constructor(id: number, kind: TaskKind, name: string, site: () => string | null, caller: TaskNode | null, fnKey: string | null = null, promise: Promise<unknown> | null = null) {
    this.id = id;
    this.kind = kind;
    this.name = name;
    this.site = site;
    this.caller = caller;
    this.fnKey = fnKey;
    this.promise = promise;
  }

  /** The task this node belongs to. */
  root(): TaskNode {
    let n: TaskNode = this;
    while (n.merged !== null) n = n.merged;
    return n;
  }
}
