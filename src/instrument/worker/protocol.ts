import type { MessagePort } from "node:worker_threads";
import type { ActorId, History, SocketType } from "../../interleaving/types.js";
import type { OwnershipFacts } from "../../guard/ownership-error.js";
import type { PendingOp } from "../../model/verdict.js";

/**
 * What a worker thread started during an instrumented run and its parent say to each other,
 * on the run's own channel (a `MessagePort` the kit passes in `workerData`; the program's own
 * messages go their usual way). One tagged union per direction, decoded here.
 */

/** The key of the kit's part of a run worker's `workerData`. */
export const RUN_WORKER_KEY = "__zmqInterleaveWorker";

/** Slots of a run worker's shared state (`Int32Array` over a `SharedArrayBuffer`). */
export const STATE = {
  /** Ops of the worker that wait (for real, or held), now. */
  pending: 0,
  /** Grows with every op the worker issues or completes: the parent reads it to tell whether the worker is quiet. */
  activity: 1,
  /** Step of the oldest op that waits, or -1. */
  oldest: 2,
} as const;
export const STATE_SLOTS = 3;

/** Where the worker's program is: a file (`href`) or code (`new Worker(code, { eval: true })`). */
export type WorkerEntry = { readonly href: string } | { readonly code: string };

/** The kit's part of a run worker's `workerData`. */
export interface RunWorkerData {
  readonly entry: WorkerEntry;
  /** The run's thread number of this worker (1, 2... in the order the run started them). */
  readonly thread: number;
  readonly port: MessagePort;
  /** The run's step counter (slot 0). */
  readonly steps: Int32Array;
  /** This worker's state (`STATE`). */
  readonly state: Int32Array;
}

/** One task of the worker, as its parent's report needs it. */
export interface WorkerTask {
  readonly id: number;
  readonly name: string;
  readonly site: string | null;
  /** The node this one belongs to (its own id for a task). */
  readonly root: number;
}

/** One socket of the worker, for the report's legend. */
export interface WorkerSocket {
  readonly name: string;
  readonly type: SocketType;
  readonly creator: ActorId;
  /** Where the program created it (`file:line:column`). */
  readonly createdAt: string;
  readonly joined: { readonly role: "bind" | "connect"; readonly address: string; readonly linger: number } | null;
}

/** What the worker did: its events, tasks, sockets and what it left pending. */
export interface WorkerSnapshot {
  readonly history: History;
  readonly tasks: readonly WorkerTask[];
  readonly main: number;
  readonly sockets: readonly WorkerSocket[];
  readonly pending: readonly PendingOp[];
}

/** An error, as it crosses threads. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
}

/** Worker → parent. */
export type FromRunWorker =
  | { readonly t: "violation"; readonly facts: OwnershipFacts }
  | { readonly t: "threw"; readonly error: WireError }
  | { readonly t: "snapshot"; readonly snapshot: WorkerSnapshot }
  | { readonly t: "disposed" };

/** Parent → worker. */
export type ToRunWorker = { readonly t: "collect" } | { readonly t: "dispose" };

export function wireError(err: unknown): WireError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack ?? null };
  return { name: "Error", message: String(err), stack: null };
}

/** The message, if it is one of the worker's (anything else is ignored). */
export function fromRunWorker(data: unknown): FromRunWorker | null {
  const t = (data as { t?: unknown } | null)?.t;
  return t === "violation" || t === "threw" || t === "snapshot" || t === "disposed" ? (data as FromRunWorker) : null;
}

/** The message, if it is one of the parent's. */
export function toRunWorker(data: unknown): ToRunWorker | null {
  const t = (data as { t?: unknown } | null)?.t;
  return t === "collect" || t === "dispose" ? (data as ToRunWorker) : null;
}
