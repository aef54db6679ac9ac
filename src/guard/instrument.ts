import type * as Zmq from "zeromq";
import { InvalidOptionsError } from "../errors.js";
import type { ActorId, History, Ownership, Schedule } from "../interleaving/types.js";
import { GuardContext } from "./context.js";
import { guard, handoff } from "./guard.js";
import { EscapedRejections } from "./escaped.js";
import { CompletionScheduler } from "./scheduler.js";
import type { OwnershipError } from "./ownership-error.js";
import type { TaskInfo } from "./tasks.js";
import { settleRun, type GuardVerdict } from "./verdict.js";

/** The `zeromq` module, as `import * as zmq from "zeromq"` gives it. */
export type ZmqModule = typeof Zmq;

/** Key of the controller inside an instrumented module (a string, so it survives `vi.mock` namespaces). */
export const INSTRUMENTATION_KEY = "__zmqInterleave";

/** The socket classes the instrumented module replaces. */
export const SOCKET_CLASSES = ["Pair", "Publisher", "Subscriber", "XPublisher", "XSubscriber", "Push", "Pull", "Request", "Reply", "Dealer", "Router", "Stream"] as const;

/** Options of one guarded run. */
export interface GuardRunOptions {
  /** Delivery choices for held completions (default: none, the order they finished in). */
  readonly schedule?: Schedule;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Busy loop turns before a completion is delivered anyway. Default 8. */
  readonly patience?: number;
}

/**
 * One run of user code on the instrumented module: its guard context (history on), its
 * completion scheduler, and helpers to start tasks and hand sockets over.
 */
export class GuardRun {
  readonly context: GuardContext;
  readonly scheduler: CompletionScheduler;
  readonly module: ZmqModule;
  readonly schedule: Schedule;
  /** Finds op rejections that escape the code awaiting them (`void serve()` closed under). */
  private readonly escaped: EscapedRejections;

  constructor(module: ZmqModule, options: GuardRunOptions) {
    this.module = module;
    this.schedule = options.schedule ?? [];
    this.context = new GuardContext({ ownership: options.ownership ?? "thread", history: true, onViolation: () => {} });
    const escaped = new EscapedRejections(this.context);
    this.escaped = escaped;
    this.scheduler = new CompletionScheduler({
      schedule: this.schedule,
      ...(options.patience === undefined ? {} : { patience: options.patience }),
      onObservedRejection: (socket, record, reason) => escaped.note(socket, record, reason),
    });
    this.context.gate = this.scheduler;
  }

  /** The run's events so far. */
  get history(): History {
    return this.context.history ?? [];
  }

  /** Every violation so far, thrown or not. */
  get violations(): readonly OwnershipError[] {
    return this.context.violations;
  }

  /** Lets held completions drain, then judges the end state (`unknown` after `timeLimitMs`). */
  settle(timeLimitMs = 5_000): Promise<GuardVerdict> {
    return settleRun(this.context, this.scheduler, performance.now() + timeLimitMs);
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

  /** Closes every socket of the run that is still open (through the real socket, unchecked) and stops holding completions. */
  dispose(): void {
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

/** The controller behind an instrumented module: which run new sockets join. */
export class Instrumentation {
  readonly real: ZmqModule;
  readonly module: ZmqModule;
  /** The run sockets join; `null` between runs (sockets then get a plain guard). */
  current: GuardRun | null = null;

  constructor(real: ZmqModule) {
    this.real = real;
    const classes: Record<string, unknown> = {};
    for (const name of SOCKET_CLASSES) {
      const Real = (real as unknown as Record<string, (new (options?: object) => object) | undefined>)[name];
      if (typeof Real !== "function") continue;
      const adopt = (socket: object): object => {
        const run = this.current;
        return run === null ? guard(socket) : guard(socket, { context: run.context });
      };
      const Guarded = function (this: unknown, options?: object): object {
        if (new.target === undefined) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`);
        return adopt(new Real(options));
      };
      Object.defineProperty(Guarded, "name", { value: name });
      Object.defineProperty(Guarded, "prototype", { value: Real.prototype });
      Object.defineProperty(Guarded, Symbol.hasInstance, { value: (x: unknown) => x instanceof Real });
      classes[name] = Guarded;
    }
    this.module = { ...real, ...classes, [INSTRUMENTATION_KEY]: this } as unknown as ZmqModule;
  }

  /** Starts a run: sockets created from now on join it. */
  begin(options: GuardRunOptions = {}): GuardRun {
    if (this.current !== null) throw new InvalidOptionsError("an instrumented run is already in progress on this module; end it first (runs of one module cannot overlap)");
    const run = new GuardRun(this.module, options);
    this.current = run;
    return run;
  }

  /** Ends the current run (idempotent). */
  end(run: GuardRun): void {
    if (this.current === run) this.current = null;
  }
}

/** The controller of an instrumented module, or null for any other value (the real `zeromq`, say). */
export function instrumentationOf(module: unknown): Instrumentation | null {
  if (typeof module !== "object" || module === null) return null;
  const c = (module as Record<string, unknown>)[INSTRUMENTATION_KEY];
  return c instanceof Instrumentation ? c : null;
}

/**
 * An instrumented copy of the `zeromq` module: the same exports, but every socket class
 * returns guarded sockets whose sends and receives complete through the kit's scheduler.
 * For `vi.mock("zeromq", async (orig) => instrument(await orig()))`. Instrumenting an
 * instrumented module returns it unchanged.
 */
export function instrument(real: ZmqModule): ZmqModule {
  if (instrumentationOf(real) !== null) return real;
  return new Instrumentation(real).module;
}

/** Options of `createInstrumentedZmq`. */
export interface InstrumentedZmqOptions extends GuardRunOptions {
  /** The real `zeromq` module (`await import("zeromq")`). */
  readonly zmq: ZmqModule;
}

/**
 * A one-run instrumented `zeromq`: `{ module, history, violations, settle() }` and the rest of
 * `GuardRun`. Pass `module` to code that takes the zeromq module, or use `instrument` with `vi.mock`.
 */
export function createInstrumentedZmq(options: InstrumentedZmqOptions): GuardRun {
  const inst = instrumentationOf(options.zmq) ?? new Instrumentation(options.zmq);
  return inst.begin(options);
}
