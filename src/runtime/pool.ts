import type { Worker } from "node:worker_threads";
import { ClosedError, InvalidOptionsError, KitError } from "../errors.js";
import { MAX_THREAD } from "../interleaving/validate.js";
import { oneOf, optionsRecord, timeLimit, wholeNumber } from "../input/options.js";
import { startWorker } from "./loader.js";
import { WorkerHandle } from "./handle.js";
import type { Completion } from "./protocol.js";

/** Options of `WorkerPool`. */
export interface WorkerPoolOptions {
  /** Most worker threads kept (default 8). */
  readonly maxWorkers?: number;
  /** `raw` leaves fire-and-forget rejections unhandled, as user code would (isolated unguarded runs). Default `handled`. */
  readonly mode?: "handled" | "raw";
  /** How long a new worker may take to start, ms (default 15,000). */
  readonly startTimeoutMs?: number;
  /**
   * Once a worker has exited in a run (a worker `exit` op), the pool keeps as many workers
   * started as the most one run has borrowed, plus `spares` (within `maxWorkers`): an exited
   * worker's replacement starts in the background as soon as the exit is asked for, and with
   * spares, a run after an exit finds a started thread instead of waiting for one to start
   * (on this machine kind, a worker thread takes 50 to 70 ms to start). Each spare is one
   * more idle thread. Default 0.
   */
  readonly spares?: number;
}

/** Most worker threads a pool may keep: one per worker thread an interleaving can name. */
const MAX_WORKERS = MAX_THREAD;

/**
 * Worker threads reused across runs, so a campaign pays a thread start once, not per run.
 * A run borrows workers (`acquire`), leaves them with every socket closed, and gives them
 * back (`release`); a worker that exited in a run is replaced. `close()` ends them all.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Map<Worker, Promise<number>>();
  private readonly max: number;
  private readonly startTimeoutMs: number;
  private runs = 0;
  private closed = false;
  private readonly mode: "handled" | "raw";
  private readonly spares: number;
  /** Workers starting in the background, to become idle. */
  private readonly starting = new Set<Promise<Worker | null>>();
  /** Workers told to exit that have not exited yet (they no longer count as kept). */
  private readonly leaving = new Set<Worker>();
  /** The most workers one run has borrowed. */
  private demand = 0;
  /** Whether a worker has exited in a run: from then on, spares are kept started. */
  private exits = false;

  constructor(options: WorkerPoolOptions = {}) {
    const o = optionsRecord("WorkerPool", options, ["maxWorkers", "mode", "startTimeoutMs", "spares"]);
    this.max = wholeNumber("WorkerPool: maxWorkers", o.maxWorkers, 1, MAX_WORKERS, 8);
    this.startTimeoutMs = timeLimit("WorkerPool: startTimeoutMs", o.startTimeoutMs, 15_000);
    this.mode = oneOf("WorkerPool: mode", o.mode, ["handled", "raw"], "handled");
    this.spares = wholeNumber("WorkerPool: spares", o.spares, 0, MAX_WORKERS, 0);
  }

  private start(): Promise<Worker> {
    const worker = startWorker("worker", this.mode);
    // A worker that fails later just exits; its handle reports it gone. In raw mode its error
    // reaches the process as user code would meet it (an unobserved rejection there ends it).
    if (this.mode === "handled") worker.on("error", () => undefined);
    const exited = new Promise<number>((resolve) =>
      worker.once("exit", (code: number) => {
        this.all.delete(worker);
        this.leaving.delete(worker);
        const i = this.idle.indexOf(worker);
        if (i >= 0) this.idle.splice(i, 1);
        this.exits = true;
        resolve(code);
        this.replenish();
      }),
    );
    this.all.set(worker, exited);
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => {
        clearTimeout(timer);
        reject(new KitError("INTERNAL", `a worker thread failed to start: ${err.message}`, { cause: err }));
      };
      const timer = setTimeout(() => {
        worker.off("error", failed);
        void worker.terminate();
        reject(new KitError("INTERNAL", `a worker thread did not start within ${this.startTimeoutMs} ms`));
      }, this.startTimeoutMs);
      worker.once("error", failed);
      worker.once("message", () => {
        clearTimeout(timer);
        worker.off("error", failed);
        resolve(worker);
      });
    });
  }

  /**
   * Once a worker has exited, starts workers in the background until the pool keeps (lent,
   * idle or starting) what the largest run borrowed plus `spares`, within `maxWorkers`.
   */
  private replenish(): void {
    const kept = () => this.all.size - this.leaving.size;
    while (!this.closed && this.exits && kept() < Math.min(this.max, this.demand + this.spares)) {
      const p: Promise<Worker | null> = this.start().then(
        (w) => {
          this.starting.delete(p);
          if (this.closed) void w.terminate();
          else this.idle.push(w);
          return w;
        },
        () => {
          this.starting.delete(p);
          return null;
        },
      );
      this.starting.add(p);
    }
  }

  /** Borrows `count` workers for one run; threads are numbered 1..count. */
  async acquire(count: number, sink: (c: Completion) => void): Promise<WorkerHandle[]> {
    if (this.closed) throw new ClosedError("the worker pool is closed; create a new WorkerPool for more runs (close() ends a pool for good)");
    if (count > this.max) throw new InvalidOptionsError(`the run needs ${count} worker threads but the pool allows ${this.max}; raise maxWorkers`);
    const run = ++this.runs;
    this.demand = Math.max(this.demand, count);
    const workers: Worker[] = [];
    while (workers.length < count) {
      const w = this.idle.pop();
      if (w !== undefined) workers.push(w);
      else if (this.starting.size > 0) await Promise.race(this.starting);
      else workers.push(await this.start());
    }
    if (this.exits) this.replenish();
    const leave = (w: Worker) => this.retire(w);
    return workers.map((w, i) => new WorkerHandle(w, this.all.get(w) ?? Promise.resolve(0), i + 1, run, sink, leave));
  }

  /** A lent worker is about to exit in its run: its replacement starts now, not once it has gone. */
  private retire(worker: Worker): void {
    if (!this.all.has(worker)) return;
    this.leaving.add(worker);
    this.exits = true;
    this.replenish();
  }

  /** Gives workers back after their sockets were closed; dead ones are dropped. */
  release(handles: readonly WorkerHandle[]): void {
    for (const h of handles) {
      h.detach();
      const w = h.worker;
      if (h.alive && this.all.has(w) && !this.closed) this.idle.push(w);
    }
  }

  /** Lets every worker end on its own once nothing keeps its loop alive (no teardown). */
  releaseAll(): void {
    this.closed = true;
    for (const w of this.all.keys()) w.postMessage({ t: "release" });
    this.idle.length = 0;
  }

  /** Ends every worker. Call once the pool is no longer needed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.starting);
    const all = [...this.all.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** True once `close()` (or `releaseAll()`) was called: the pool lends no more workers. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Worker threads alive now. */
  get size(): number {
    return this.all.size;
  }
}
