import { InvalidOptionsError } from "../errors.js";
import { guard } from "../guard/guard.js";
import { GuardRun, type GuardRunOptions } from "./guard-run.js";
import { guardedProxy } from "./proxy.js";
import { guardedClasses, type ZmqModule } from "./socket-classes.js";

export { SOCKET_CLASSES, type ZmqModule } from "./socket-classes.js";

/** Key of the controller inside an instrumented module (a string, so it survives `vi.mock` namespaces). */
export const INSTRUMENTATION_KEY = "__zmqInterleave";

/** The controller behind an instrumented module: which run new sockets join. */
export class Instrumentation {
  readonly real: ZmqModule;
  readonly module: ZmqModule;
  /** The run sockets join; `null` between runs (sockets then get a plain guard). */
  current: GuardRun | null = null;
  private waiters: (() => void)[] = [];

  constructor(real: ZmqModule) {
    this.real = real;
    const classes = guardedClasses(real, (socket) => {
      const run = this.current;
      return run === null ? guard(socket) : guard(socket, { context: run.context });
    });
    const module: Record<string, unknown> = { ...real, ...classes, [INSTRUMENTATION_KEY]: this };
    const proxy = guardedProxy(real);
    if (proxy !== undefined) module["Proxy"] = proxy;
    // `import zmq from "zeromq"` takes the default export: the instrumented module itself.
    module["default"] = module;
    this.module = module as unknown as ZmqModule;
  }

  /** Starts a run: sockets created from now on join it, its tasks are tracked and its timers go virtual. */
  begin(options: GuardRunOptions = {}): GuardRun {
    if (this.current !== null) throw new InvalidOptionsError("an instrumented run is already in progress on this module; end it first (runs of one module cannot overlap)");
    const run = new GuardRun(this.module, options);
    this.current = run;
    try {
      run.start();
    } catch (err) {
      this.current = null;
      run.dispose();
      throw err;
    }
    return run;
  }

  /** Ends the current run (idempotent). */
  end(run: GuardRun): void {
    if (this.current !== run) return;
    this.current = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * Resolves when no run is in progress: a search that gave up waiting on a run (fast-check's
   * time limit) leaves it to finish within its own time limit, and the next run waits for it.
   */
  idle(): Promise<void> {
    if (this.current === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
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
 * End it with `dispose()` (virtual time and task tracking stay on until then).
 */
export function createInstrumentedZmq(options: InstrumentedZmqOptions): GuardRun {
  const inst = instrumentationOf(options.zmq) ?? new Instrumentation(options.zmq);
  return inst.begin(options);
}
