import type { Worker } from "node:worker_threads";
import { KitError } from "../errors.js";
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

/** A pooled worker thread, bound to one run at a time. */
export class WorkerHandle implements HostHandle {
  readonly thread: number;
  readonly worker: Worker;
  private readonly run: number;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<number>;
  private gone = false;
  private readonly sink: (c: Completion) => void;
  private readonly leaving: (worker: Worker) => void;

  /**
   * `exited` resolves with the worker's exit code; the pool makes it once per worker and is
   * told (`leaving`) when the run ends the thread.
   */
  constructor(worker: Worker, exited: Promise<number>, thread: number, run: number, sink: (c: Completion) => void, leaving: (worker: Worker) => void = () => undefined) {
    this.worker = worker;
    this.leaving = leaving;
    this.thread = thread;
    this.run = run;
    this.sink = sink;
    this.exited = exited;
    void exited.then(() => {
      this.gone = true;
      for (const w of this.waiting.values()) w.reject(new KitError("INTERNAL", `worker thread w${thread} exited during a request`));
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
    return this.exited;
  }

  /** Stops listening (the worker goes back to the pool). */
  detach(): void {
    this.worker.off("message", this.onMessage);
  }
}
