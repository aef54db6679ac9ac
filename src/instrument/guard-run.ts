import { syncBuiltinESMExports } from "node:module";
import type { ActorId, History, Ownership, Schedule } from "../interleaving/types.js";
import { GuardContext, type TimeoutOption } from "../guard/context.js";
import { handoff } from "../guard/guard.js";
import { OwnershipError } from "../guard/ownership-error.js";
import type { PendingOp } from "../model/verdict.js";
import type { TaskInfo } from "../guard/tasks.js";
import { VirtualClock } from "./clock.js";
import type { FakeTimersSwitch } from "./fake-timers-switch.js";
import type { Selector } from "../schedule/strategy.js";
import { DeliveryScheduler, type DeliveryRule } from "./delivery.js";
import { EscapedRejections } from "./escaped.js";
import type { NetworkWait } from "./transit.js";
import type { ZmqModule } from "./socket-classes.js";
import { LaneMap } from "./lanes.js";
import { timeLimit } from "../input/options.js";
import { realNow } from "./real-time.js";
import { judge, settle, type GuardVerdict } from "./verdict.js";
import { TrackedTasks } from "./tasks/tracked-tasks.js";
import { TaskNode } from "./tasks/task-node.js";
import { terminateBreach } from "./worker/terminate.js";
import type { WireError, WorkerSnapshot, WorkerSocket as SocketFacts } from "./worker/protocol.js";
import { RunWorkers } from "./worker/run-workers.js";

/** Options of one guarded run. */
export interface GuardRunOptions {
  /** Delivery choices for held completions (default: none, the oldest first). */
  readonly schedule?: Schedule;
  /** Race choices (odd: an op that completed at once is held as the 513th; a turn's timers start late). */
  readonly races?: Schedule;
  /** A strategy's selector deciding instead of `schedule` and `races` (PCT, say). */
  readonly selector?: Selector;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Busy loop turns before a completion is delivered anyway. Default 8. */
  readonly patience?: number;
  /** Run the program's timers on virtual time (default true): sleeps take no real time and replay exactly. */
  readonly virtualTime?: boolean;
  /** Real ms to wait for the network before a choice while a tcp/ipc op is in flight. Default 2. */
  readonly ioGraceMs?: number;
  /** Virtual ms a held completion may wait for a timer due after it came in (R13). Default 1; 0 never. */
  readonly latencyMs?: number;
  /** Explore hazards: ops that completed at once held as zeromq.js holds the 513th in a row (default true). */
  readonly hazards?: boolean;
  /** Ordering rules to turn off (the ordering property's mutation evidence). */
  readonly relax?: readonly DeliveryRule[];
  /** When the clock waits for the network before it moves (default `"counted"`; the others are for evidence tests). */
  readonly networkWait?: NetworkWait;
  /** Record what happens to every completion in `scheduler.trace`. */
  readonly trace?: boolean;
  /**
   * Observe only: the program runs with the binding's own timing (no completion held, real
   * timers, no hazards) and the run records what happened (history, lanes, violations). For
   * comparing the kit's orders with real ones.
   */
  readonly observe?: boolean;
}

/**
 * One run of user code on the instrumented module: its guard context (history on), the tasks
 * it finds, its virtual clock, its delivery scheduler, and helpers to name tasks and hand
 * sockets over. `start()` turns task tracking and virtual time on; `dispose()` turns them off
 * and closes every socket the run opened.
 */
export class GuardRun {
  readonly context: GuardContext;
  readonly scheduler: DeliveryScheduler;
  readonly clock: VirtualClock | null;
  readonly tasks: TrackedTasks;
  readonly module: ZmqModule;
  readonly schedule: Schedule;
  /** The worker threads the program starts (their sockets are guarded too, on one timeline). */
  readonly workers: RunWorkers;
  /** Exceptions worker threads threw that nobody caught. */
  readonly workerErrors: { readonly thread: number; readonly error: WireError }[] = [];
  /** Exceptions timer callbacks threw (other than calls the run refused): each would have ended the process. */
  readonly timerErrors: { readonly timer: string; readonly error: unknown }[] = [];
  /** Sockets made outside any run (at module load, say) that the run's code used: the run cannot check them. */
  readonly outside: { readonly name: string; readonly createdAt: string }[] = [];
  /**
   * Real-time timeouts the run's sockets got (`receiveTimeout`, `sendTimeout` above 0) while
   * its timers are virtual: zeromq.js times those out in real time, so the run cannot order
   * them against its timers.
   */
  readonly realTimeouts: { readonly socket: string; readonly option: TimeoutOption; readonly value: unknown }[] = [];
  /** Called when something ends the run early (a violation on any thread, a worker's uncaught exception). */
  onStop: (() => void) | null = null;
  /** Finds op rejections that escape the code awaiting them (`void serve()` closed under). */
  private readonly escaped: EscapedRejections;
  private started = false;

  /** `fakeTimers`: the module's fake-timers on `globalThis`, shared by its runs (default: made for this run). */
  constructor(module: ZmqModule, options: GuardRunOptions = {}, fakeTimers?: FakeTimersSwitch) {
    this.module = module;
    this.schedule = options.schedule ?? [];
    this.tasks = new TrackedTasks(0);
    const steps = new Int32Array(new SharedArrayBuffer(4));
    // Calls are checked by thread as they happen; task ownership is judged after the run (task-ownership.ts).
    this.context = new GuardContext({ ownership: "thread", history: true, onViolation: () => {}, tasks: this.tasks, steps });
    this.context.onAny = () => this.onStop?.();
    this.workers = new RunWorkers(steps, {
      onViolation: (facts) => this.context.report(new OwnershipError(facts), "kept"),
      onThrew: (thread, error) => {
        this.workerErrors.push({ thread, error });
        this.onStop?.();
      },
      onTeardown: (thread, pending, oldest, snapshot) => {
        const error = terminateBreach(this.context, thread, pending, oldest, snapshot);
        this.context.report(error, "thrown");
        return error;
      },
    });
    this.context.ownershipRule = options.ownership ?? "thread";
    const escaped = new EscapedRejections(this.context);
    this.escaped = escaped;
    this.clock = options.virtualTime === false || options.observe === true ? null : new VirtualClock(this.tasks.tracker, fakeTimers);
    if (this.clock !== null) {
      this.context.onTimeoutOption = (socket, option, value) => {
        if (typeof value === "number" && value > 0) this.realTimeouts.push({ socket: socket.name, option, value });
      };
    }
    if (this.clock !== null) {
      this.clock.onThrow = (error, timer) => {
        if ((this.context.violations as readonly unknown[]).includes(error)) return;
        this.timerErrors.push({ timer: `${timer.name}${timer.site() === null ? "" : ` at ${timer.site()}`}`, error });
        this.onStop?.();
      };
    }
    this.scheduler = new DeliveryScheduler({
      schedule: this.schedule,
      races: options.races ?? [],
      ...(options.selector === undefined ? {} : { selector: options.selector }),
      clock: this.clock,
      ...(options.patience === undefined ? {} : { patience: options.patience }),
      ...(options.ioGraceMs === undefined ? {} : { ioGraceMs: options.ioGraceMs }),
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
      ...(options.hazards === undefined ? {} : { hazards: options.hazards }),
      ...(options.relax === undefined ? {} : { relax: options.relax }),
      ...(options.trace === undefined ? {} : { trace: options.trace }),
      onObservedRejection: (socket, record, reason) => escaped.note(socket, record, reason),
      others: () => this.workers.activity(),
      threads: () => this.workers.all.length,
      ...(options.networkWait === undefined ? {} : { networkWait: options.networkWait }),
    });
    // Observing: sockets complete as the binding completes them (the guard's tracked mode, no gate).
    this.context.gate = options.observe === true ? null : this.scheduler;
  }

  /** Turns task tracking and virtual time on (the instrumented module does it when the run begins). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.clock?.install();
    this.workers.install();
    // ES module imports of node:timers and node:worker_threads see both patches (one sync: each costs about 60 µs).
    syncBuiltinESMExports();
    this.tasks.tracker.enable();
  }

  /** The program used `s`, a socket made outside any run (the instrumented module tells). */
  usedOutside(s: { readonly name: string; readonly createdAt: string }): void {
    if (!this.outside.some((o) => o.name === s.name)) this.outside.push({ name: s.name, createdAt: s.createdAt });
  }

  /** Runs `fn` as the run's main task (`main/t0`). */
  main<T>(fn: () => T): T {
    return this.tasks.tracker.runAs(this.tasks.tracker.main, fn);
  }

  /** The run's events so far (actors are tracker nodes; `lanes()` maps them to tasks). */
  get history(): History {
    return this.context.history ?? [];
  }

  /** Every violation so far, thrown or not. */
  get violations(): readonly OwnershipError[] {
    return this.context.violations;
  }

  /** The run's events on every thread, in step order (workers' as of their last snapshot). */
  allHistory(): History {
    const all = [...this.history];
    for (const w of this.workers.all) if (w.snapshot !== null) all.push(...w.snapshot.history);
    // One thread's events are recorded in step order already: the (stable) sort is then needed only for workers'.
    for (let i = 1; i < all.length; i++) if ((all[i]?.step ?? 0) < (all[i - 1]?.step ?? 0)) return all.sort((a, b) => a.step - b.step);
    return all;
  }

  /**
   * Names the ops behind refused `terminate()` calls, now that the workers' snapshots are in
   * (at the call the parent knew only how many ops waited and the oldest one's step).
   */
  refreshTeardowns(): void {
    const list = this.context.violations;
    list.forEach((e, i) => {
      const t = e.terminated;
      if (t === null || e.other !== null) return;
      const snapshot = this.workers.all.find((w) => w.thread === t.thread)?.snapshot ?? null;
      list[i] = terminateBreach(this.context, t.thread, t.pending, t.oldest, snapshot, e.step, e.caller);
    });
  }

  /** Every socket of the run, main thread first, then each worker's (as of its last snapshot). */
  socketFacts(): SocketFacts[] {
    const main = this.context.sockets.map((s) => ({ name: s.name, type: s.type, creator: s.creator, createdAt: s.createdAt, joined: s.joined }));
    return [...main, ...this.workers.all.flatMap((w) => w.snapshot?.sockets ?? [])];
  }

  /** Ops still waiting in worker threads when they were last asked. */
  workerPending(): PendingOp[] {
    return this.workers.all.flatMap((w) => w.snapshot?.pending ?? []);
  }

  /** The run's tasks on every thread, numbered as reports show them. */
  lanes(): LaneMap {
    const mains = [{ thread: 0, node: this.tasks.tracker.main }];
    const nodes = new Map<number, TaskNode[]>();
    for (const w of this.workers.all) {
      if (w.snapshot === null) continue;
      const list = snapshotNodes(w.snapshot);
      nodes.set(w.thread, list);
      const main = list[w.snapshot.main];
      if (main !== undefined) mains.push({ thread: w.thread, node: main });
    }
    const nodeOf = (a: ActorId): TaskNode | null => (a.thread === 0 ? this.tasks.node(a) : (nodes.get(a.thread)?.[a.task] ?? null));
    return new LaneMap(nodeOf, this.allHistory(), mains);
  }

  /**
   * Lets held completions drain and timers fire, then judges the run as `runInterleaved`
   * does (`unknown` after `timeLimitMs` of real time). For runs made with `createInstrumentedZmq`.
   */
  async settle(timeLimitMs = 5_000): Promise<GuardVerdict> {
    const limit = timeLimit("settle: timeLimitMs", timeLimitMs, 5_000);
    const settled = this.violations.length === 0 ? await settle(this.context, this.scheduler, this.clock, realNow() + limit, {}, 5, () => this.workers.activity()) : null;
    await this.workers.collect();
    this.refreshTeardowns();
    return judge(this, this.lanes(), { kind: "done" }, settled, limit);
  }

  /** Runs `fn` as a new task named `name` (or a task reserved with `reserve`). */
  task<T>(name: string | TaskInfo, fn: () => T): T {
    return this.context.task(name, fn);
  }

  /** A task identity to hand a socket to before the task starts. */
  reserve(name: string): TaskInfo {
    return this.context.tasks.reserve(name);
  }

  /** Moves a socket to another task of this thread (checked like any op). */
  handoff(socket: object, to: TaskInfo | ActorId | string): void {
    handoff(socket, to);
  }

  /** `dispose()`, after the workers' sockets are closed and the workers that can end safely are terminated. */
  async close(): Promise<void> {
    // The run is judged: stop finding tasks first (the kit's own promises from here on need no look at the stack).
    this.context.tasks.dispose();
    await this.workers.dispose();
    this.dispose();
  }

  /**
   * Stops tracking, puts timers back to real time, closes every socket of the run still open
   * (unchecked) and stops holding completions. Workers are closed in the background (`close`
   * waits for them).
   */
  dispose(): void {
    this.workers.uninstall();
    this.clock?.uninstall();
    syncBuiltinESMExports();
    void this.workers.dispose();
    if (!this.context.ended) this.escaped.end();
    this.context.ended = true;
    this.scheduler.stop();
    this.context.tasks.dispose();
    for (const s of this.context.sockets) {
      if (s.raw.closed) continue;
      try {
        (s.raw as unknown as { linger: number }).linger = 0;
      } catch {
        // Some sockets refuse options in some states; closing is what matters.
      }
      s.raw.close();
    }
  }
}

/** A worker's task nodes, rebuilt from its snapshot (each merged into its root). */
function snapshotNodes(s: WorkerSnapshot): TaskNode[] {
  const nodes = s.tasks.map((t) => new TaskNode(t.id, "async", t.name, () => t.site, null));
  s.tasks.forEach((t, i) => {
    const node = nodes[i];
    const root = nodes[t.root];
    if (node !== undefined && root !== undefined && t.root !== t.id) node.merged = root;
  });
  return nodes;
}
