import type { ActorId, History, Ownership, Schedule } from "../interleaving/types.js";
import { GuardContext } from "../guard/context.js";
import { handoff } from "../guard/guard.js";
import type { OwnershipError } from "../guard/ownership-error.js";
import type { TaskInfo } from "../guard/tasks.js";
import { VirtualClock } from "./clock.js";
import { DeliveryScheduler } from "./delivery.js";
import { EscapedRejections } from "./escaped.js";
import type { ZmqModule } from "./instrument.js";
import { LaneMap } from "./lanes.js";
import { timeLimit } from "../input/options.js";
import { realNow } from "./real-time.js";
import { judge, settle, type GuardVerdict } from "./verdict.js";
import { TrackedTasks } from "./tasks/tracked-tasks.js";

/** Options of one guarded run. */
export interface GuardRunOptions {
  /** Delivery choices for held completions (default: none, the oldest first). */
  readonly schedule?: Schedule;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Busy loop turns before a completion is delivered anyway. Default 8. */
  readonly patience?: number;
  /** Run the program's timers on virtual time (default true): sleeps take no real time and replay exactly. */
  readonly virtualTime?: boolean;
  /** Real ms to wait for the network before a choice while a tcp/ipc op is in flight. Default 2. */
  readonly ioGraceMs?: number;
  /** Explore hazards: ops that completed at once held as zeromq.js holds the 513th in a row (default true). */
  readonly hazards?: boolean;
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
  /** Finds op rejections that escape the code awaiting them (`void serve()` closed under). */
  private readonly escaped: EscapedRejections;
  private started = false;

  constructor(module: ZmqModule, options: GuardRunOptions = {}) {
    this.module = module;
    this.schedule = options.schedule ?? [];
    this.tasks = new TrackedTasks(0);
    // Calls are checked by thread as they happen; task ownership is judged after the run (task-ownership.ts).
    this.context = new GuardContext({ ownership: "thread", history: true, onViolation: () => {}, tasks: this.tasks });
    this.context.ownershipRule = options.ownership ?? "thread";
    const escaped = new EscapedRejections(this.context);
    this.escaped = escaped;
    this.clock = options.virtualTime === false ? null : new VirtualClock(this.tasks.tracker);
    this.scheduler = new DeliveryScheduler({
      schedule: this.schedule,
      clock: this.clock,
      ...(options.patience === undefined ? {} : { patience: options.patience }),
      ...(options.ioGraceMs === undefined ? {} : { ioGraceMs: options.ioGraceMs }),
      ...(options.hazards === undefined ? {} : { hazards: options.hazards }),
      onObservedRejection: (socket, record, reason) => escaped.note(socket, record, reason),
    });
    this.context.gate = this.scheduler;
  }

  /** Turns task tracking and virtual time on (the instrumented module does it when the run begins). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.clock?.install();
    this.tasks.tracker.enable();
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

  /** The run's tasks, numbered as reports show them. */
  lanes(): LaneMap {
    return new LaneMap((a) => this.tasks.node(a), this.history, [{ thread: 0, node: this.tasks.tracker.main }]);
  }

  /**
   * Lets held completions drain and timers fire, then judges the run as `runInterleaved`
   * does (`unknown` after `timeLimitMs` of real time). For runs made with `createInstrumentedZmq`.
   */
  async settle(timeLimitMs = 5_000): Promise<GuardVerdict> {
    const limit = timeLimit("settle: timeLimitMs", timeLimitMs, 5_000);
    const settled = this.violations.length === 0 ? await settle(this.context, this.scheduler, this.clock, realNow() + limit) : null;
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

  /** Stops tracking, puts timers back to real time, closes every socket of the run still open (unchecked) and stops holding completions. */
  dispose(): void {
    if (!this.context.ended) this.escaped.end();
    this.context.ended = true;
    this.scheduler.stop();
    this.clock?.uninstall();
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
