import { actorName } from "../../interleaving/actor.js";
import type { ActorId } from "../../interleaving/types.js";
import type { TaskInfo, Tasks } from "../../guard/tasks.js";
import { callSites, firstUserFrame, siteText } from "../../guard/frames.js";
import type { TaskNode } from "./task-node.js";
import { TaskTracker } from "./tracker.js";

/**
 * The guard's view of an instrumented run's tasks: every task the code starts is found by the
 * tracker, with no `context.task` needed (which still names a task). An actor's `task` number
 * is its tracker node's id while the run lasts; a report maps nodes to their tasks (merged
 * calls into their callers) and numbers the lanes (lanes.ts).
 */
export class TrackedTasks implements Tasks {
  readonly thread: number;
  readonly tracker: TaskTracker;
  private readonly byName = new Map<string, TaskNode>();

  constructor(thread: number, tracker: TaskTracker = new TaskTracker()) {
    this.thread = thread;
    this.tracker = tracker;
  }

  current(): ActorId {
    return { thread: this.thread, task: this.tracker.now().id };
  }

  quiet<T>(fn: () => T): T {
    return this.tracker.quiet(fn);
  }

  settledInQuiet(promise: Promise<unknown>): boolean | null {
    return this.tracker.settledInQuiet(promise);
  }

  /** The node behind an actor of this thread, or null. */
  node(actor: ActorId): TaskNode | null {
    return actor.thread === this.thread ? (this.tracker.nodes[actor.task] ?? null) : null;
  }

  describe(actor: ActorId): string {
    const n = this.node(actor)?.root();
    if (n === undefined) return actorName(actor);
    const at = { thread: this.thread, task: n.id };
    return n === this.tracker.main ? actorName(at) : `${actorName(at)} (${n.name})`;
  }

  find(ref: string | ActorId): TaskInfo | null {
    const n = typeof ref === "string" ? (this.byName.get(ref) ?? null) : this.node(ref);
    return n === null ? null : { actor: { thread: this.thread, task: n.id }, name: n.name };
  }

  list(): readonly TaskInfo[] {
    return this.tracker.nodes.filter((n) => n.merged === null).map((n) => ({ actor: { thread: this.thread, task: n.id }, name: n.name }));
  }

  run<T>(task: string | TaskInfo, fn: () => T): T {
    const node = typeof task === "string" ? this.named(task) : this.node(task.actor);
    if (node === null) return fn();
    return this.tracker.runAs(node, fn);
  }

  reserve(name: string): TaskInfo {
    const n = this.named(name);
    return { actor: { thread: this.thread, task: n.id }, name };
  }

  dispose(): void {
    this.tracker.disable();
  }

  /** A task started by name (`context.task(name, fn)`), from where it was called. */
  private named(name: string): TaskNode {
    const where = firstUserFrame(callSites(12, TrackedTasks.prototype.named));
    let text: string | null | undefined;
    const caller = this.tracker.enabled ? this.tracker.now() : this.tracker.main;
    const n = this.tracker.make("named", name, () => (text ??= where === undefined ? null : siteText(where)), caller);
    this.byName.set(name, n);
    return n;
  }
}
