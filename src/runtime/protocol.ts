import { KIT_ERROR_CODES, KitError, type KitErrorCode } from "../errors.js";
import { showValue } from "../input/show.js";
import type { ActorId, Op, OpResult, SocketSpec, SocketType } from "../interleaving/types.js";
import type { Decoded } from "./wire.js";

/**
 * The one message protocol between the executor and the socket hosts (main thread or worker
 * threads). Everything here is structured-clone safe. Messages are tagged unions decoded in
 * `decodeFromWorker` / `decodeToWorker` and nowhere else.
 */

/** What a host needs to create one socket. */
export interface SocketPlan {
  readonly spec: SocketSpec;
  /** Where a binder binds (`tcp://127.0.0.1:*` for tcp) or a connecter connects. */
  readonly address: string;
  /** The types of the sockets linked to this one, by id (for envelopes). */
  readonly peers: Readonly<Record<string, SocketType>>;
  /** Watch for the tcp peer going away (a connecter whose binder may close in the run). */
  readonly watchDisconnect: boolean;
}

/** One op of a turn, for the host of the actor's thread. */
export interface TurnOp {
  readonly actor: ActorId;
  readonly index: number;
  readonly op: Op;
  /** A close of a socket whose queued messages can never be delivered (handled runs drop them). */
  readonly dropQueue?: boolean;
}

/** A real result: an op result, with the binding's error message when it failed. */
export type RealResult = OpResult & { readonly message?: string };

/** How an op of a turn stood once the turn's synchronous part and its microtasks ran. */
export type Immediate = { readonly kind: "returned"; readonly result: RealResult } | { readonly kind: "pending" };

/**
 * What a turn did at once: each op's outcome, and other ops that settled meanwhile (a close
 * rejects them); or, when readiness checks came with it and some did not show in time, those
 * (`wrong`), and nothing was issued.
 */
export interface TurnReply {
  readonly immediates: readonly Immediate[];
  readonly others: readonly Completion[];
  readonly wrong?: readonly ReadinessCheck[];
}

/** An op that returned after its turn. */
export interface Completion {
  readonly actor: ActorId;
  readonly index: number;
  readonly result: RealResult;
}

/** A readiness the executor expects a socket to show. */
export interface ReadinessCheck {
  readonly socket: string;
  readonly event: "readable" | "writable";
  readonly expected: boolean;
  /** Writable false while a peer's close may not have been noticed: reading it false shows the close was. */
  readonly peerGone?: true;
}

/** Requests a host serves. */
export type HostRequest =
  | { readonly cmd: "bind"; readonly plans: readonly SocketPlan[] }
  | { readonly cmd: "connect"; readonly plans: readonly SocketPlan[] }
  | { readonly cmd: "probe-send"; readonly socket: string; readonly topic: string; readonly seq: number; readonly to?: string }
  | { readonly cmd: "probe-recv"; readonly socket: string; readonly timeoutMs: number }
  | { readonly cmd: "drain-subscriptions"; readonly socket: string; readonly count: number; readonly timeoutMs: number }
  /** Issues `ops`; with `checks`, once they show (each within `timeoutMs`). */
  | { readonly cmd: "turn"; readonly ops: readonly TurnOp[]; readonly checks?: readonly ReadinessCheck[]; readonly timeoutMs?: number }
  | { readonly cmd: "readiness"; readonly checks: readonly ReadinessCheck[]; readonly timeoutMs: number }
  | { readonly cmd: "await-disconnect"; readonly sockets: readonly string[]; readonly timeoutMs: number }
  | { readonly cmd: "poke" }
  | { readonly cmd: "unwatch" }
  /** Closes `only` these sockets, or every socket (`first` before the others) and forgets them all. */
  | { readonly cmd: "close-all"; readonly only?: readonly string[]; readonly first?: readonly string[] };

/** What each request returns. */
export interface HostReplies {
  readonly bind: Readonly<Record<string, string>>;
  readonly connect: null;
  readonly "probe-send": null;
  readonly "probe-recv": Decoded;
  readonly "drain-subscriptions": readonly string[];
  readonly turn: TurnReply;
  readonly readiness: readonly ReadinessCheck[];
  readonly "await-disconnect": readonly string[];
  readonly poke: null;
  readonly unwatch: null;
  readonly "close-all": readonly Completion[];
}

/** An error as it crosses a thread. */
export interface SerializedError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
  readonly stack: string | null;
}

/** Executor to worker. */
export type ToWorker =
  | { readonly t: "request"; readonly id: number; readonly run: number; readonly body: HostRequest }
  | { readonly t: "exit"; readonly run: number; readonly code: number }
  /** Stop serving: the thread ends once nothing keeps its loop alive (isolated unguarded runs). */
  | { readonly t: "release" };

/** Worker to executor. */
export type FromWorker =
  | { readonly t: "ready" }
  | { readonly t: "reply"; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: "reply"; readonly id: number; readonly ok: false; readonly error: SerializedError }
  | { readonly t: "completion"; readonly run: number; readonly completion: Completion };

/** Serializes any thrown value for another thread. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, code: typeof code === "string" ? code : null, message: err.message, stack: err.stack ?? null };
  }
  return { name: "Error", code: null, message: String(err), stack: null };
}

const KIT_CODES: readonly string[] = KIT_ERROR_CODES;

/** Revives a serialized error: a `KitError` keeps its code; a binding error keeps its errno name. */
export function reviveError(e: SerializedError, where: string): Error {
  const err = e.code !== null && KIT_CODES.includes(e.code) ? new KitError(e.code as KitErrorCode, e.message) : Object.assign(new Error(`${e.message} (in ${where})`), e.code === null ? {} : { code: e.code });
  err.name = e.name;
  if (e.stack !== null) err.stack = `${e.stack}\n    --- revived from ${where}`;
  return err;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

/** Checks a message from a worker; throws a KitError for anything else. */
export function decodeFromWorker(data: unknown): FromWorker {
  if (isRecord(data) && (data.t === "ready" || data.t === "reply" || data.t === "completion")) return data as unknown as FromWorker;
  throw new KitError("INTERNAL", `unexpected message from a worker: ${showValue(data)}`);
}

/** Checks a message to a worker; throws a KitError for anything else. */
export function decodeToWorker(data: unknown): ToWorker {
  if (isRecord(data) && (data.t === "request" || data.t === "exit" || data.t === "release")) return data as unknown as ToWorker;
  throw new KitError("INTERNAL", `unexpected message to a worker: ${showValue(data)}`);
}
