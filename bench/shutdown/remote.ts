/**
 * The main thread's handle on a worker that hosts one end of the pair: requests go out as
 * messages, replies come back by id, and the two ends look the same as local ones.
 */
import { startTsWorker } from "../rig/worker.js";
import { BenchError } from "../rig/errors.js";
import { decodeWorkerMessage } from "./protocol.js";
import type { Worker } from "node:worker_threads";
import type { Hosted, Request } from "./protocol.js";
import type { PubSide, SubEvents, SubSide } from "./sides.js";

type Reply = string | number | null;
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

/** A worker hosting one end, and the requests in flight to it. */
export class WorkerHost {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (value: Reply) => void; reject: (err: Error) => void }>();
  #nextId = 1;

  constructor(hosted: Hosted, events: SubEvents) {
    this.#worker = startTsWorker(new URL("./worker.ts", import.meta.url), hosted);
    this.#worker.on("message", (value: unknown) => {
      const message = decodeWorkerMessage(value);
      switch (message.type) {
        case "frame":
          events.frame(message.kind);
          return;
        case "delivered":
          events.delivered(message.count);
          return;
        case "reply":
          this.#settle(message.id)?.resolve(message.value);
          return;
        case "error":
          this.#settle(message.id)?.reject(new BenchError("WORKER_FAILED", message.message));
          return;
      }
    });
    const failAll = (err: Error): void => {
      for (const [id, waiter] of this.#waiting) {
        this.#waiting.delete(id);
        waiter.reject(err);
      }
    };
    this.#worker.on("error", (err) => failAll(new BenchError("WORKER_FAILED", err.message, { cause: err })));
    this.#worker.on("exit", (code) => failAll(new BenchError("WORKER_FAILED", `worker exited with code ${code}`)));
  }

  /** Sends a request and resolves its reply. */
  request(body: RequestBody): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id });
    });
  }

  /** `worker.terminate()`: resolves with the exit code once the worker is gone. */
  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  #settle(id: number): { resolve: (value: Reply) => void; reject: (err: Error) => void } | undefined {
    const waiter = this.#waiting.get(id);
    this.#waiting.delete(id);
    return waiter;
  }
}

/** The publishing end, in a worker. */
export class RemotePub implements PubSide {
  readonly #host: WorkerHost;

  constructor(host: WorkerHost) {
    this.#host = host;
  }

  async open(): Promise<string> {
    const address = await this.#host.request({ op: "open", address: "" });
    if (typeof address !== "string") throw new BenchError("WORKER_FAILED", "the worker's publisher returned no address");
    return address;
  }

  async publish(frame: Buffer): Promise<void> {
    await this.#host.request({ op: "publish", frame: new Uint8Array(frame) });
  }

  async sendData(count: number, size: number): Promise<void> {
    await this.#host.request({ op: "send-data", count, size });
  }

  async close(): Promise<void> {
    await this.#host.request({ op: "close", quietMs: 0 });
  }
}

/** The subscribing end, in a worker. */
export class RemoteSub implements SubSide {
  readonly #host: WorkerHost;

  constructor(host: WorkerHost) {
    this.#host = host;
  }

  async open(address: string): Promise<void> {
    await this.#host.request({ op: "open", address });
  }

  async join(): Promise<void> {
    await this.#host.request({ op: "join" });
  }

  async finish(quietMs: number): Promise<number> {
    const count = await this.#host.request({ op: "close", quietMs });
    return typeof count === "number" ? count : 0;
  }
}
