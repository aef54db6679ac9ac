import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, type Worker, type WorkerOptions } from "node:worker_threads";
import type { OwnershipFacts } from "../../guard/ownership-error.js";
import { realSetTimeout } from "../real-time.js";
import { fromRunWorker, RUN_WORKER_KEY, STATE, STATE_SLOTS, type RunWorkerData, type WireError, type WorkerEntry, type WorkerSnapshot } from "./protocol.js";

/** The `node:worker_threads` module object (its `Worker` export is what a run replaces). */
const WORKER_THREADS = createRequire(import.meta.url)("node:worker_threads") as { Worker: unknown };

/** What the run learns from its workers as it happens. */
export interface RunWorkersHooks {
  /** A worker's guard refused a call. */
  onViolation(facts: OwnershipFacts): void;
  /** A worker threw an exception nobody caught (its sockets were closed before it ended). */
  onThrew(thread: number, error: WireError): void;
  /**
   * The program called `terminate()` on worker `thread` while `pending` of its ops waited
   * (the oldest at step `oldest`): what to reject `terminate()` with (the run records it).
   */
  onTeardown(thread: number, pending: number, oldest: number, snapshot: WorkerSnapshot | null): Error;
}

/** One worker the run started. */
interface RunWorker {
  readonly thread: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly state: Int32Array;
  snapshot: WorkerSnapshot | null;
  /** The tag of the last message from the worker since a request (what `ask` waits for). */
  last: string | null;
  /** The worker's answer to the last `terminate()` it refused. */
  refusal: { readonly pending: number; readonly oldest: number } | null;
  alive: boolean;
  disposed: boolean;
  /** Called on every message and on exit (collect and dispose wait with them). */
  readonly wake: Set<() => void>;
}

/** How long to wait for a worker to answer (it may be busy in a long synchronous stretch). */
const ANSWER_MS = 2_000;

/** The kit's file a run worker starts with (built `.js`, or the `.ts` source through tsx). */
function bootstrap(): { readonly file: string | URL; readonly evalBoot: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { file: new URL("./bootstrap.js", here), evalBoot: false };
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./bootstrap.ts", here).href;
  return { file: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, evalBoot: true };
}

/**
 * The worker threads of an instrumented run. While the run lasts, `worker_threads.Worker`
 * (the module's export, so `import { Worker } from "node:worker_threads"` sees it) starts
 * workers through the kit's bootstrap: inside, the program's `zeromq` is guarded and its tasks
 * are lanes of the run (`w1/t0`...), one timeline with the main thread's. `terminate()` while
 * one of the worker's ops waits is refused (`teardown-while-pending`): it would abort the
 * whole process. At the end of the run the kit closes the workers' sockets, then terminates
 * the workers it can end safely.
 */
export class RunWorkers {
  readonly steps: Int32Array;
  private readonly hooks: RunWorkersHooks;
  private readonly workers: RunWorker[] = [];
  private readonly byWorker = new WeakMap<Worker, RunWorker>();
  private saved: (new (filename: string | URL, options?: WorkerOptions) => Worker) | null = null;
  /** The real `Worker.prototype.terminate` (run workers override it). */
  private realTerminate: ((this: Worker) => Promise<number>) | null = null;

  constructor(steps: Int32Array, hooks: RunWorkersHooks) {
    this.steps = steps;
    this.hooks = hooks;
  }

  /** The workers started so far, with their last snapshots. */
  get all(): readonly { readonly thread: number; readonly snapshot: WorkerSnapshot | null }[] {
    return this.workers;
  }

  /** Grows whenever some worker issues or completes an op (with the ops waiting now): unchanged means the workers are quiet. */
  activity(): number {
    let n = 0;
    for (const w of this.workers) n += Atomics.load(w.state, STATE.activity) + Atomics.load(w.state, STATE.pending);
    return n;
  }

  /** From now on `new Worker(...)` starts run workers (once the caller syncs builtin ESM exports, for `import { Worker }`). */
  install(): void {
    if (this.saved !== null) return;
    const threads = WORKER_THREADS as { Worker: new (filename: string | URL, options?: WorkerOptions) => Worker };
    const Real = threads.Worker;
    this.saved = Real;
    this.realTerminate = Real.prototype.terminate;
    const self = this;
    class RunThread extends Real {
      constructor(filename: string | URL, options: WorkerOptions = {}) {
        const prepared = self.prepare(filename, options);
        super(prepared.file, prepared.options);
        self.adopt(this, prepared.thread, prepared.port, prepared.state);
      }

      override terminate(): Promise<number> {
        return self.terminate(this, () => super.terminate());
      }
    }
    Object.defineProperty(RunThread, "name", { value: "Worker" });
    threads.Worker = RunThread;
  }

  /** `Worker` is the real one again (workers already started stay run workers until `dispose`; the caller syncs builtin ESM exports). */
  uninstall(): void {
    if (this.saved === null) return;
    const threads = WORKER_THREADS;
    threads.Worker = this.saved;
    this.saved = null;
  }

  /** Asks every live worker what it did (events, tasks, sockets, pending ops); resolves when each answered, ended, or took too long. */
  async collect(): Promise<void> {
    await Promise.all(this.workers.filter((w) => w.alive).map((w) => this.ask(w, "collect", (m) => m === "snapshot")));
  }

  /**
   * Ends the live workers: each closes its sockets and ends itself once nothing waits (ending
   * one with an op in flight would abort the process). A worker that does not answer in time
   * (busy in a long synchronous stretch) is terminated if nothing of it waits, else let go
   * (`unref`) so it keeps nothing alive.
   */
  async dispose(): Promise<void> {
    this.uninstall();
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.alive && !w.disposed) {
          w.disposed = true;
          w.port.postMessage({ t: "end", why: "dispose", code: 0 });
          await this.until(w, () => !w.alive);
        }
        const terminate = this.realTerminate;
        if (w.alive && Atomics.load(w.state, STATE.pending) === 0 && terminate !== null) await terminate.call(w.worker).catch(() => 0);
        else if (w.alive) w.worker.unref();
        w.port.close();
      }),
    );
  }

  private prepare(filename: string | URL, options: WorkerOptions): { file: string | URL; options: WorkerOptions; thread: number; port: MessagePort; state: Int32Array } {
    const thread = this.workers.length + 1;
    const entry: WorkerEntry = options.eval === true ? { code: String(filename) } : { href: filename instanceof URL ? filename.href : String(filename).startsWith("file:") ? String(filename) : pathToFileURL(resolve(String(filename))).href };
    const { port1, port2 } = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(4 * STATE_SLOTS));
    Atomics.store(state, STATE.oldest, -1);
    const data: RunWorkerData = { entry, thread, port: port2, steps: this.steps, state };
    const boot = bootstrap();
    const { eval: _eval, workerData, transferList, ...rest } = options;
    return {
      file: boot.file,
      options: { ...rest, eval: boot.evalBoot, workerData: { [RUN_WORKER_KEY]: data, user: workerData }, transferList: [...(transferList ?? []), port2] },
      thread,
      port: port1,
      state,
    };
  }

  private adopt(worker: Worker, thread: number, port: MessagePort, state: Int32Array): void {
    const w: RunWorker = { thread, worker, port, state, snapshot: null, last: null, refusal: null, alive: true, disposed: false, wake: new Set() };
    this.workers.push(w);
    this.byWorker.set(worker, w);
    port.on("message", (raw: unknown) => {
      const m = fromRunWorker(raw);
      if (m === null) return;
      if (m.t === "snapshot") w.snapshot = m.snapshot;
      else if (m.t === "refused") {
        w.snapshot = m.snapshot;
        w.refusal = m;
      } else if (m.t === "violation") this.hooks.onViolation(m.facts);
      else if (m.t === "threw") this.hooks.onThrew(thread, m.error);
      w.last = m.t;
      for (const f of [...w.wake]) f();
    });
    port.unref();
    worker.once("exit", () => {
      w.alive = false;
      for (const f of [...w.wake]) f();
    });
  }

  /** Sends `request` and waits for a message `done` accepts, the worker's exit, or `ANSWER_MS`. */
  private ask(w: RunWorker, request: "collect", done: (t: string) => boolean): Promise<void> {
    w.last = null;
    w.port.postMessage({ t: request });
    return this.until(w, () => !w.alive || (w.last !== null && done(w.last)));
  }

  /**
   * `worker.terminate()` from the program: the worker is asked to end itself, which it does
   * only if none of its ops waits (decided on its own thread, so no op can start in between);
   * otherwise the call is refused (`teardown-while-pending`), and the worker goes on.
   */
  private async terminate(worker: Worker, real: () => Promise<number>): Promise<number> {
    const w = this.byWorker.get(worker);
    if (w === undefined || !w.alive) return real();
    let code = 1;
    worker.once("exit", (c: number) => (code = c));
    w.refusal = null;
    w.port.postMessage({ t: "end", why: "terminate", code: 1 });
    await this.until(w, () => !w.alive || w.refusal !== null);
    const refusal = w.refusal as { readonly pending: number; readonly oldest: number } | null;
    if (refusal !== null) throw this.hooks.onTeardown(w.thread, refusal.pending, refusal.oldest, w.snapshot);
    if (w.alive) {
      // No answer in time: end it only if nothing of it waits.
      const pending = Atomics.load(w.state, STATE.pending);
      if (pending > 0) throw this.hooks.onTeardown(w.thread, pending, Atomics.load(w.state, STATE.oldest), w.snapshot);
      return real();
    }
    return code;
  }

  /** Waits until `done()` holds (checked on every message from the worker and at its exit), or `ANSWER_MS`. */
  private until(w: RunWorker, done: () => boolean): Promise<void> {
    return new Promise<void>((settle) => {
      if (done()) return settle();
      let finished = false;
      const check = (): void => {
        if (finished || !done()) return;
        finished = true;
        w.wake.delete(check);
        settle();
      };
      w.wake.add(check);
      realSetTimeout(() => {
        if (finished) return;
        finished = true;
        w.wake.delete(check);
        settle();
      }, ANSWER_MS);
    });
  }
}
