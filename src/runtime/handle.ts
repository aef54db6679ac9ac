import type { Worker } from "node:worker_threads";
import { KitError, PoolClosedError } from "../errors.js";
import { SocketHost } from "./host.js";
import { decodeFromWorker, reviveError, type Completion, type HostReplies, type HostRequest } from "./protocol.js";

/** How the executor reaches the socket host of one thread. */
export interface HostHandle {
  readonly thread: number;
  /** Sends a request for the current run. */
  request<R extends HostRequest>(req: R): Promise<HostReplies[R["cmd"]]>;
  /** Ends the thread (workers only); resolves with the exit code once it is gone. */
  exitThread(): Promise<number>;
  /** Whether the thread is still there. */
  readonly alive: boolean;
}

/** The main thread's host, called directly. */
export class LocalHandle implements HostHandle {
  readonly thread = 0;
  readonly alive = true;
  readonly host: SocketHost;

  constructor(sink: (c: Completion) => void, mode: "handled" | "raw") {
    this.host = new SocketHost(sink, mode);
  }

  /** Serves `req` once the caller's synchronous part is done: what it sends to worker threads at the same time goes out first. */
  request<R extends HostRequest>(req: R): Promise<HostReplies[R["cmd"]]> {
    return Promise.resolve().then(() => this.host.handle(req));
  }

  exitThread(): Promise<number> {
    return Promise.reject(new KitError("INTERNAL", "the main thread does not exit inside a run"));
  }
}

/** How a pooled worker thread ended. */
export interface WorkerEnd {
  readonly code: number;
  /** What it threw, where the pool heard it (uncaught in the thread). */
  readonly error: string | null;
  /** `exit-op`: a run ended it (an `exit` op); `pool-closed`: its pool ended it; `lost`: neither asked for it. */
  readonly cause: "exit-op" | "pool-closed" | "lost";
}

/** A worker thread ended in the middle of a run without being asked to. */
export class WorkerLostError extends KitError {
  readonly end: WorkerEnd;

  constructor(thread: number, end: WorkerEnd) {
    super("INTERNAL", `worker thread w${thread} ended during the run (${describeEnd(end)})`);
    this.name = "WorkerLostError";
    this.end = end;
  }
}

/** "exit code 1: KitError: unexpected message ...", or "exit code 7". */
export function describeEnd(end: WorkerEnd): string {
  return `exit code ${end.code}${end.error === null ? "" : `: ${end.error}`}`;
}

/** A pooled worker thread, bound to one run at a time. */
export class WorkerHandle implements HostHandle {
  readonly thread: number;
  readonly worker: Worker;
  private readonly run: number;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<WorkerEnd>;
  private gone = false;
  /** How the thread ended when nobody asked it to (null while it runs, or when a run or its pool ended it). */
  lost: WorkerEnd | null = null;
  private readonly sink: (c: Completion) => void;
  private readonly leaving: (worker: Worker) => void;

  /**
   * `exited` resolves with how the worker ended; the pool makes it once per worker and is
   * told (`leaving`) when the run ends the thread.
   */
  constructor(worker: Worker, exited: Promise<WorkerEnd>, thread: number, run: number, sink: (c: Completion) => void, leaving: (worker: Worker) => void = () => undefined) {
    this.worker = worker;
    this.leaving = leaving;
    this.thread = thread;
    this.run = run;
    this.sink = sink;
    this.exited = exited;
    void exited.then((end) => {
      this.gone = true;
      if (end.cause === "lost") this.lost = end;
      const err = () =>
        end.cause === "pool-closed"
          ? new PoolClosedError(`the worker pool was closed while a run was in flight (its worker thread w${thread} ended); the run has no verdict: close a pool once its runs have settled`)
          : end.cause === "lost"
            ? new WorkerLostError(thread, end)
            : new KitError("INTERNAL", `worker thread w${thread} exited during a request`);
      for (const w of this.waiting.values()) w.reject(err());
      this.waiting.clear();
    });
    worker.on("message", this.onMessage);
  }

  private readonly onMessage = (data: unknown): void => {
    const msg = decodeFromWorker(data);
    if (msg.t === "completion") {
      if (msg.run === this.run) this.sink(msg.completion);
      return;
    }
    if (msg.t !== "reply") return;
    const w = this.waiting.get(msg.id);
    if (w === undefined) return;
    this.waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.value);
    else w.reject(reviveError(msg.error, `worker thread w${this.thread}`));
  };

  get alive(): boolean {
    return !this.gone;
  }

  request<R extends HostRequest>(req: R): Promise<HostReplies[R["cmd"]]> {
    if (this.lost !== null) return Promise.reject(new WorkerLostError(this.thread, this.lost));
    if (this.gone) return Promise.reject(new KitError("INTERNAL", `worker thread w${this.thread} is gone`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ t: "request", id, run: this.run, body: req });
    });
  }

  exitThread(): Promise<number> {
    if (!this.gone) {
      this.worker.postMessage({ t: "exit", run: this.run, code: 0 });
      this.leaving(this.worker);
    }
    return this.exited.then((end) => end.code);
  }

  /** Stops listening (the worker goes back to the pool). */
  detach(): void {
    this.worker.off("message", this.onMessage);
  }
}
