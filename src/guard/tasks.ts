import { AsyncLocalStorage } from "node:async_hooks";
import { threadId } from "node:worker_threads";
import { actorName } from "../interleaving/actor.js";
import type { ActorId } from "../interleaving/types.js";

/** A task the guard knows: its actor id and the name it was started with. */
export interface TaskInfo {
  readonly actor: ActorId;
  readonly name: string;
}

/** Where the guard learns which task is calling: named tasks (`TaskRegistry`), or the tasks an instrumented run finds by itself. */
export interface Tasks {
  /** This thread's id: 0 on the main thread. */
  readonly thread: number;
  /** The calling actor. */
  current(): ActorId;
  /** `main/t1 (listener)`: the actor and, when known, its task name. */
  describe(actor: ActorId): string;
  /** The task with this actor id or (most recent) name, or null. */
  find(ref: string | ActorId): TaskInfo | null;
  /** Every task seen so far, task 0 first. */
  list(): readonly TaskInfo[];
  /** Runs `fn` as task `task` (a name starts a new task; a reserved `TaskInfo` starts that one). */
  run<T>(task: string | TaskInfo, fn: () => T): T;
  /** A new task identity, not started yet. */
  reserve(name: string): TaskInfo;
  /** Stops tracking tasks. */
  dispose(): void;
  /**
   * Runs the guard's own code for an op, right after `current()` named its caller: no user code
   * runs inside it, so what it makes belongs to that caller without another look (optional:
   * only sources that look at the stack need it).
   */
  quiet?<T>(fn: () => T): T;
  /**
   * Whether `promise` settled while the innermost `quiet` call ran (a socket op that completed
   * at once), or null when this source cannot tell (then the guard reads the promise itself,
   * which costs a formatted inspection).
   */
  settledInQuiet?(promise: Promise<unknown>): boolean | null;
}

/**
 * Task identities of one thread: an `AsyncLocalStorage` carries the current task through
 * awaits, timers and callbacks. Code outside any `run` is task 0 of the thread (`main/t0`).
 */
export class TaskRegistry implements Tasks {
  /** This thread's id (`worker_threads.threadId`): 0 on the main thread. */
  readonly thread: number;
  /** Task 0: code not started with `run`. */
  readonly root: TaskInfo;
  private readonly storage = new AsyncLocalStorage<TaskInfo>();
  private readonly byName = new Map<string, TaskInfo>();
  private readonly all: TaskInfo[] = [];
  private next = 1;

  constructor(thread: number = threadId) {
    this.thread = thread;
    this.root = { actor: { thread, task: 0 }, name: "main" };
    this.all.push(this.root);
  }

  /** The calling actor. Cheap: one `AsyncLocalStorage` lookup. */
  current(): ActorId {
    const t = this.storage.getStore();
    return t === undefined ? this.root.actor : t.actor;
  }

  /** The calling task. */
  currentTask(): TaskInfo {
    return this.storage.getStore() ?? this.root;
  }

  /** A new task identity, not started yet (start it with `run(info, fn)`); lets a socket be handed to it first. */
  reserve(name: string): TaskInfo {
    const info: TaskInfo = { actor: { thread: this.thread, task: this.next++ }, name };
    this.byName.set(name, info);
    this.all.push(info);
    return info;
  }

  /** Runs `fn` as task `task` (a name starts a new task; a reserved `TaskInfo` starts that one). */
  run<T>(task: string | TaskInfo, fn: () => T): T {
    const info = typeof task === "string" ? this.reserve(task) : task;
    return this.storage.run(info, fn);
  }

  /** The task with this actor id or (most recent) name, or null. */
  find(ref: string | ActorId): TaskInfo | null {
    if (typeof ref === "string") return this.byName.get(ref) ?? null;
    return this.all.find((t) => t.actor.thread === ref.thread && t.actor.task === ref.task) ?? null;
  }

  /** `main/t1 (listener)`: the actor and, when known, its task name. */
  describe(actor: ActorId): string {
    const t = this.find(actor);
    return t === null || t === this.root ? actorName(actor) : `${actorName(actor)} (${t.name})`;
  }

  /** Every task seen so far, task 0 first. */
  list(): readonly TaskInfo[] {
    return this.all;
  }

  /**
   * Stops tracking tasks (`current()` is task 0 from now on). Node 20 visits every enabled
   * `AsyncLocalStorage` on each promise it creates, so a registry left enabled makes every
   * later promise of the process slower; a run that is over disables its own.
   */
  dispose(): void {
    this.storage.disable();
  }
}
