import { createRequire } from "node:module";
import { join } from "node:path";
import { InvalidOptionsError } from "../errors.js";
import { GuardContext } from "../guard/context.js";
import { guard, noteTimeoutOptions } from "../guard/guard.js";
import { FakeTimersSwitch } from "./fake-timers-switch.js";
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
  /**
   * Sockets made between runs (at module load, say): they get a plain guard in this context,
   * which tells the run that uses one (the run then cannot order or check its ops).
   */
  private readonly outside: GuardContext;
  /** Fake-timers on `globalThis`, installed at the first run with virtual time and switched on and off for the next. */
  private readonly fakeTimers = new FakeTimersSwitch();

  /** `target`: the object to give the instrumented exports (default a new one; `instrumentInPlace` passes zeromq's own). */
  constructor(real: ZmqModule, target: Record<string, unknown> = {}) {
    this.real = { ...real } as ZmqModule;
    this.outside = new GuardContext();
    this.outside.outsideUse = (s) => this.current?.usedOutside(s);
    const classes = guardedClasses(this.real, (socket) => {
      const run = this.current;
      const guarded = guard(socket, { context: run === null ? this.outside : run.context });
      if (run !== null) noteTimeoutOptions(guarded);
      return guarded;
    });
    const proxy = guardedProxy(this.real);
    const module = target;
    if (module !== (real as unknown)) Object.assign(module, real);
    for (const [name, cls] of Object.entries(classes)) Object.defineProperty(module, name, { value: cls, writable: true, enumerable: true, configurable: true });
    if (proxy !== undefined) Object.defineProperty(module, "Proxy", { value: proxy, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(module, INSTRUMENTATION_KEY, { value: this, enumerable: false, configurable: true });
    // `import zmq from "zeromq"` takes the default export: the instrumented module itself.
    if (module !== (real as unknown)) module["default"] = module;
    this.module = module as unknown as ZmqModule;
  }

  /** Starts a run: sockets created from now on join it, its tasks are tracked and its timers go virtual. */
  begin(options: GuardRunOptions = {}): GuardRun {
    if (this.current !== null) throw new InvalidOptionsError("an instrumented run is already in progress on this module; end it first (runs of one module cannot overlap)");
    const run = new GuardRun(this.module, options, this.fakeTimers);
    run.context.prototypes = this.outside.prototypes;
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

/**
 * Instruments the `zeromq` package itself, for test runners without `vi.mock` (mocha,
 * `node:test`, a script): its socket classes become the guarded ones in place, so code that
 * imports `zeromq` after this call gets guarded sockets. Call it before the code under test is
 * imported (ES modules take zeromq's exports when they are first imported). `from` is where
 * `zeromq` is resolved from (default: the working directory). Returns the module, for
 * `runInterleaved(fn, { zmq })` and the rest.
 */
export function instrumentInPlace(from: string = join(process.cwd(), "package.json")): ZmqModule {
  const exports = createRequire(from)("zeromq") as ZmqModule & Record<string, unknown>;
  if (instrumentationOf(exports) !== null) return exports;
  return new Instrumentation(exports, exports).module;
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
