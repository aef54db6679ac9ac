import { promiseHooks } from "node:v8";
import { callSites, functionKey, functionName, isAsyncEntry, siteText, UserFrames } from "../../guard/frames.js";
import { PromiseTasks } from "./promise-tasks.js";
import { TaskNode, type TaskKind } from "./task-node.js";

/** Frames looked at when a promise is made without a parent: the function making it (an async function's entry) and its caller. */
const ENTRY = 2;
/**
 * The same while a call is open: two more to find the running call among
 * (`Array.from(xs, (x) => f(x))` puts a callback and a builtin between a call and its caller).
 */
const ENTRY_OPEN = 4;
/** Frames looked at for a quick "which function runs now". */
const FEW = 8;
/** Frames looked at for an op: the kit's own frames (the guard, `quiet`) come first. */
const OP = 12;
/** Frames looked at when the quick look cannot tell. */
const ALL = 200;

/**
 * Finds the tasks of unmodified code while a run lasts, from V8's promise hooks. The rules,
 * in the order the hooks see them:
 *
 * - An async function call creates its promise first, with the function as the top frame:
 *   a new node starts (`enter`) and the code that runs now is that node's, until the call
 *   suspends at its first `await` or returns. Then the caller runs again (`popOpen`).
 * - If the caller awaits the call's promise in the same synchronous stretch (`await f()`,
 *   `const p = f(); await p`), the call was part of the caller's task: the node is merged
 *   into the caller's. Otherwise (`void f()`, an IIFE, `Promise.all([f(), g()])`,
 *   `f().catch(log)`) it is a task of its own.
 * - A promise carries the task that created it; a reaction (an `await` resuming, a `.then`
 *   callback) runs as the task of its promise.
 * - Timer callbacks and explicitly named tasks run through `runAs`; the first async call made
 *   directly inside is the task itself (`setInterval(async () => ...)` is one task, not two).
 * - Code that runs outside any of these (an event listener called from the event loop) is
 *   a `callback` task named after its outermost user function.
 *
 * Finding out whether a call has suspended needs a look at the stack (frames.ts, about 3 µs,
 * most of the tracker's cost); it is taken only while a call entered in this stretch is open,
 * and only when the promise being made does not already say whose it is. One look serves
 * every question a promise asks (which call runs, whether a caller awaits), and the whole
 * stack is looked at only when the first frames hold none of the open calls nor their caller.
 */
export class TaskTracker {
  /** Every node made, by id. */
  readonly nodes: TaskNode[] = [];
  /** The function under test. */
  readonly main: TaskNode;
  private current: TaskNode | null = null;
  /** Async calls entered in this synchronous stretch and not yet suspended, innermost last. */
  private open: TaskNode[] = [];
  private readonly saved: (TaskNode | null)[] = [];
  /** The node each promise was made by (see `taskOf`). */
  private readonly promiseTasks = new PromiseTasks();
  /** Suspended calls whose caller has not yet shown whether it awaits them at once. */
  private undecided: TaskNode[] = [];
  /** A node run by `runAs`: the first async call made directly in it is the node itself. */
  private adopt: TaskNode | null = null;
  private readonly callbacks = new Map<string, TaskNode>();
  private stop: (() => unknown) | null = null;
  /** Inside `quiet`: the kit's own code runs, for the task `now()` just found. */
  private hushed = 0;
  /** Promises that settled inside the outermost `quiet` call running now (a socket op that completed at once settles there). */
  private readonly settledQuiet: Promise<unknown>[] = [];
  /** Where the innermost `quiet` call's part of `settledQuiet` starts. */
  private quietFrom = 0;
  private readonly user = new UserFrames();
  private readonly isUser = (site: NodeJS.CallSite): boolean => this.user.has(site);

  /** `mainName`: what the code the run starts with is called (`main`, or a worker's file name). */
  constructor(mainName = "main") {
    this.main = this.make("main", mainName, () => null, null);
  }

  /** Starts watching promises (once; `disable` ends it). */
  enable(): void {
    if (this.stop !== null) return;
    this.stop = promiseHooks.createHook({
      init: this.onInit,
      before: this.onBefore,
      after: this.onAfter,
      settled: this.onSettled,
    }) as () => unknown;
  }

  /** Stops watching promises. Node 20 calls every hook on every promise, so a run that is over turns its hooks off. */
  disable(): void {
    this.stop?.();
    this.stop = null;
    this.open = [];
    this.undecided.length = 0;
    this.saved.length = 0;
    this.current = null;
  }

  get enabled(): boolean {
    return this.stop !== null;
  }

  /** A new node (not started). */
  make(kind: TaskKind, name: string, site: () => string | null, caller: TaskNode | null, fnKey: string | null = null, promise: Promise<unknown> | null = null): TaskNode {
    const node = new TaskNode(this.nodes.length, kind, name, site, caller, fnKey, promise);
    this.nodes.push(node);
    return node;
  }

  /** The node of the code running now (for an op). */
  now(): TaskNode {
    if (this.open.length > 0) {
      const sites = callSites(OP, TaskTracker.prototype.now);
      this.sync(sites, sites.length < OP);
    }
    return this.current ?? this.callbackNode();
  }

  /**
   * Runs the kit's own code for an op, right after `now()`: no user code runs inside `fn`, so
   * the promises it makes (the binding's, the kit's) belong to the current node and need no
   * look at the stack (about 3 µs each, most of the tracker's cost).
   */
  quiet<T>(fn: () => T): T {
    const from = this.quietFrom;
    this.quietFrom = this.settledQuiet.length;
    this.hushed++;
    try {
      return fn();
    } finally {
      this.quietFrom = from;
      if (--this.hushed === 0 && this.settledQuiet.length > 0) this.settledQuiet.length = 0;
    }
  }

  /**
   * Did `promise` settle while the innermost `quiet` call runs? The settle hook sees every
   * promise settle, the binding's too, so while the hooks are on this is exact and costs a look
   * through the few promises an op settles; null when they are off or outside `quiet`.
   */
  settledInQuiet(promise: Promise<unknown>): boolean | null {
    return this.stop === null || this.hushed === 0 ? null : this.settledQuiet.indexOf(promise, this.quietFrom) >= 0;
  }

  /** Runs `fn` as task `node`; the first async call made directly in `fn` is `node` itself. */
  runAs<T>(node: TaskNode, fn: () => T): T {
    const current = this.current;
    const open = this.open;
    const adopt = this.adopt;
    this.current = node;
    this.open = [];
    this.adopt = node;
    try {
      return fn();
    } finally {
      while (this.open.length > 0) this.popOpen();
      this.current = current;
      this.open = open;
      this.adopt = adopt;
    }
  }

  private readonly onInit = (promise: Promise<unknown>, parent: Promise<unknown> | undefined): void => {
    if (parent === undefined && this.hushed === 0) {
      const limit = this.open.length > 0 ? ENTRY_OPEN : ENTRY;
      const sites = callSites(limit, this.onInit);
      const top = sites[0];
      const entry = isAsyncEntry(top, this.isUser);
      // For an entry the running function is the caller (the second frame).
      if (this.open.length > 0) this.sync(entry ? sites.slice(1) : sites, sites.length < limit, entry);
      if (entry) {
        this.enter(promise, top, sites[1]);
        return;
      }
    } else if (parent !== undefined && this.hushed === 0) {
      let sites: NodeJS.CallSite[] | null = null;
      if (this.open.length > 0 && !this.madeInside(parent)) {
        sites = callSites(FEW, this.onInit);
        this.sync(sites, sites.length < FEW);
      }
      if (this.undecided.length > 0) this.decide(parent, sites);
    }
    if (this.current !== null) this.promiseTasks.set(promise, this.current.id);
  };

  // Lists are emptied only when they hold something (most reactions leave them empty; setting `length` is a runtime call).
  private readonly onBefore = (promise: Promise<unknown>): void => {
    if (this.undecided.length > 0) this.undecided = [];
    this.saved.push(this.current);
    this.current = this.taskOf(promise);
    if (this.open.length > 0) this.open = [];
    this.adopt = null;
  };

  private readonly onAfter = (): void => {
    if (this.undecided.length > 0) this.undecided = [];
    this.current = this.saved.pop() ?? null;
    if (this.open.length > 0) this.open = [];
  };

  private readonly onSettled = (promise: Promise<unknown>): void => {
    if (this.hushed > 0) this.settledQuiet.push(promise);
    const top = this.open[this.open.length - 1];
    if (top !== undefined && top.promise === promise) this.popOpen();
  };

  /** An async function was called (its promise is `promise`): its node runs now. */
  private enter(promise: Promise<unknown>, top: NodeJS.CallSite, callerSite: NodeJS.CallSite | undefined): void {
    const site = callerSite !== undefined && this.user.has(callerSite) ? callerSite : top;
    let text: string | null | undefined;
    const node = this.make("async", functionName(top), () => (text ??= siteText(site)), this.current, functionKey(top), promise);
    if (this.adopt !== null && this.current === this.adopt && this.open.length === 0) {
      node.merged = this.adopt;
      this.adopt = null;
    }
    this.promiseTasks.set(promise, node.id);
    this.open.push(node);
    this.current = node;
  }

  /** The node that made `promise` (a reaction on it runs as that node), or null. */
  private taskOf(promise: Promise<unknown>): TaskNode | null {
    const id = this.promiseTasks.get(promise);
    return id < 0 ? null : (this.nodes[id] ?? null);
  }

  /** The innermost open call suspended or returned: its caller runs again, and may still await it at once. */
  private popOpen(): void {
    const node = this.open.pop();
    if (node === undefined) return;
    this.current = node.caller;
    if (node.merged === null) this.undecided.push(node);
  }

  /**
   * Can a promise with this parent be taken as made by the innermost open call, without a
   * look at the stack? Yes when the parent is a promise that call made (its own await of its
   * own op, say). Not when the parent is the call's own promise: that is either the call
   * awaiting a plain value (V8 makes the wrapper with that parent) or its caller awaiting it.
   */
  private madeInside(parent: Promise<unknown>): boolean {
    const top = this.open[this.open.length - 1];
    return top !== undefined && parent !== top.promise && this.taskOf(parent) === top;
  }

  /**
   * Closes every open call that is no longer on the stack (`sites`: a short capture, the top
   * first; `whole`: it holds the whole stack, as a capture shorter than its limit does;
   * `entered`: the stack's top user frame, left out of `sites`, is an async call not yet entered).
   */
  private sync(sites: readonly NodeJS.CallSite[], whole: boolean, entered = false): void {
    const at = sites.findIndex(this.isUser);
    const first = sites[at];
    if (first !== undefined) {
      const key = functionKey(first);
      // Quick: the running function is an open call (pop the ones above it) or the caller of the innermost one.
      for (let i = this.open.length - 1; i >= 0; i--) {
        if (this.open[i]?.fnKey !== key) continue;
        while (this.open.length > i + 1) this.popOpen();
        return;
      }
      if (this.open[0]?.caller?.fnKey === key) {
        while (this.open.length > 0) this.popOpen();
        return;
      }
      // Further down the captured frames (sync functions and callbacks the running call made run above it).
      const keys = [key];
      for (const s of sites.slice(at + 1)) if (this.user.has(s)) keys.push(functionKey(s));
      const innermost = this.innermostOf(keys);
      if (innermost >= 0) {
        while (this.open.length > innermost + 1) this.popOpen();
        return;
      }
      // The caller of the outermost open call runs below the top: none of them is on the stack. (A
      // callback task's function is not an async function, so code an open call runs may call it again.)
      const caller = this.open[0]?.caller;
      if (caller?.kind === "async" && caller.fnKey !== null && keys.includes(caller.fnKey)) {
        while (this.open.length > 0) this.popOpen();
        return;
      }
    }
    // Slow: which open calls are still on the whole stack? (A capture that held it all is enough.)
    let innermost = -1;
    if (!whole) {
      const all = callSites(ALL, TaskTracker.prototype.sync).filter(this.isUser);
      if (entered) all.shift();
      innermost = this.innermostOf(all.map(functionKey));
    }
    while (this.open.length > innermost + 1) this.popOpen();
  }

  /** The index of the innermost open call whose function is among `keys`, or -1. */
  private innermostOf(keys: readonly string[]): number {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const fnKey = this.open[i]?.fnKey;
      if (fnKey !== null && fnKey !== undefined && keys.includes(fnKey)) return i;
    }
    return -1;
  }

  /**
   * A promise subscribes to `parent`: if that is a suspended call's, did its caller `await` it
   * (merge) or not (a task of its own)? `sites`: the stack's top, if this promise looked already.
   */
  private decide(parent: Promise<unknown>, sites: readonly NodeJS.CallSite[] | null): void {
    const i = this.undecided.findIndex((n) => n.promise === parent);
    if (i < 0) return;
    const node = this.undecided[i];
    if (node === undefined) return;
    this.undecided.splice(i, 1);
    const top = (sites ?? callSites(1, this.onInit))[0];
    // `await p` has the awaiting function as the top frame; `.then`, `Promise.all` and the like have a builtin there.
    if (top !== undefined && this.user.has(top) && functionKey(top) !== node.fnKey && node.caller !== null) node.merged = node.caller;
  }

  /** The task of code running outside any task: named after its outermost user function. */
  private callbackNode(): TaskNode {
    const user = callSites(ALL, TaskTracker.prototype.callbackNode).filter(this.isUser);
    const outer = user[user.length - 1];
    if (outer === undefined) return this.main;
    const key = functionKey(outer);
    let node = this.callbacks.get(key);
    if (node === undefined) {
      let text: string | undefined;
      node = this.make("callback", functionName(outer), () => (text ??= siteText(outer)), null, key);
      this.callbacks.set(key, node);
    }
    return node;
  }
}
