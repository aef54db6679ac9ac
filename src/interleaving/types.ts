/**
 * Plain-data types for scenarios, programs, schedules, interleavings and histories.
 * Everything here is serialisable and round-trips through `formatInterleaving` /
 * `parseInterleaving`.
 */

/** Socket types of the zeromq.js profile. */
export type SocketType =
  | "pair"
  | "pub"
  | "sub"
  | "xpub"
  | "xsub"
  | "push"
  | "pull"
  | "req"
  | "rep"
  | "dealer"
  | "router";

/** Every socket type, in a fixed order (useful for arbitraries and validation). */
export const SOCKET_TYPES: readonly SocketType[] = [
  "pair",
  "pub",
  "sub",
  "xpub",
  "xsub",
  "push",
  "pull",
  "req",
  "rep",
  "dealer",
  "router",
];

/**
 * Who owns a socket: the *thread* that created it (libzmq's rule, the default) or the
 * *task* that created it (the strict discipline).
 */
export type Ownership = "thread" | "task";

/** How linked sockets reach each other. */
export type Transport = "inproc" | "tcp";

/**
 * An actor: one task on one thread. Thread 0 is the main thread, threads 1.. are
 * `worker_threads` Workers. Written `main/t0`, `w1/t2` in text.
 */
export interface ActorId {
  // invariant: integer >= 0
  readonly thread: number;
  // invariant: integer >= 0
  readonly task: number;
}

/** One socket of a scenario, created and linked by its owner before step 1. */
export interface SocketSpec {
  // invariant: matches /^[a-z][a-z0-9_]*$/ and is unique within the scenario
  readonly id: string;
  readonly type: SocketType;
  /** The actor that creates the socket and owns it at step 1. */
  readonly owner: ActorId;
  /** Logical endpoint name; the executor maps it to `inproc://...` or `tcp://127.0.0.1:port`. */
  readonly endpoint: string;
  // invariant: exactly one socket per endpoint binds
  readonly role: "bind" | "connect";
  /** SUB/XSUB only: topics subscribed during set-up. */
  readonly subscriptions: readonly string[];
  /** ZMQ_LINGER in ms; -1 (the zeromq default) waits forever for queued messages. */
  readonly linger: number;
}

/** The sockets and rules of one run. */
export interface Scenario {
  readonly ownership: Ownership;
  readonly transport: Transport;
  readonly sockets: readonly SocketSpec[];
}

/** Readiness a `poll` op reads: the `readable` or `writable` getter. */
export type PollEvent = "readable" | "writable";

/** One call on a socket (or, for `exit`, on the actor's worker thread). */
export type Op =
  /** `await sock.send(payload)`, or `void sock.send(payload)` when `nowait`. ROUTER sends name the peer in `to`. */
  | {
      readonly kind: "send";
      readonly socket: string;
      readonly payload: string;
      readonly nowait: boolean;
      readonly to?: string;
    }
  /** `await sock.receive()`, or `void sock.receive()` when `nowait`. */
  | { readonly kind: "recv"; readonly socket: string; readonly nowait: boolean }
  /** Read `sock.readable` or `sock.writable`. */
  | { readonly kind: "poll"; readonly socket: string; readonly event: PollEvent }
  /** `sock.close()`. */
  | { readonly kind: "close"; readonly socket: string }
  /** `sock.subscribe(topic)` on SUB/XSUB. */
  | { readonly kind: "subscribe"; readonly socket: string; readonly topic: string }
  /** `sock.unsubscribe(topic)` on SUB/XSUB. */
  | { readonly kind: "unsubscribe"; readonly socket: string; readonly topic: string }
  /** Pass ownership of the socket to another actor. */
  | { readonly kind: "handoff"; readonly socket: string; readonly to: ActorId }
  /** The actor's worker thread exits (not allowed on the main thread). */
  | { readonly kind: "exit" };

/** The kinds of op, in a fixed order. */
export type OpKind = Op["kind"];

/** Every op kind, in a fixed order. */
export const OP_KINDS: readonly OpKind[] = [
  "send",
  "recv",
  "poll",
  "close",
  "subscribe",
  "unsubscribe",
  "handoff",
  "exit",
];

/** The ordered ops of one actor. */
export interface Program {
  readonly actor: ActorId;
  readonly ops: readonly Op[];
}

/**
 * Scheduling choices. At each step the runnable actors are listed starting from the
 * current actor (or, if it cannot run, the next one in actor order); choice `c` picks
 * entry `c mod n`. 0 keeps the current actor running; a choice that picks another actor
 * while the current one could run is a preemption. Steps past the end use 0.
 */
export type Schedule = readonly number[];

/**
 * Race choices: at each race the model can let go more than one way (a message that may or
 * may not have arrived within the turn, a peer's close noticed or not, which sender fair
 * queuing serves...), in the order they come up, choice `c` picks outcome `c mod n`. 0 is what
 * the model does when nobody decides; races past the end take 0.
 */
export type RaceChoices = readonly number[];

/** A scenario, one program per actor, and a schedule: a replayable run. */
export interface Interleaving {
  readonly scenario: Scenario;
  // invariant: one program per actor, actors unique
  readonly programs: readonly Program[];
  readonly schedule: Schedule;
  /** How the binding's races go (absent or empty: outcome 0 everywhere). */
  readonly races?: RaceChoices;
}

/** Error codes an op can end with (zeromq errno names). */
export type ErrorCode = "EBUSY" | "EBADF" | "EAGAIN" | "ENOTSOCK" | "EFSM";

/** What an op returned. */
export type OpResult =
  /** send, close, subscribe, unsubscribe, handoff, exit completed. */
  | { readonly kind: "done" }
  /** recv got a message: its payload and the socket that sent it. */
  | { readonly kind: "message"; readonly payload: string; readonly from: string }
  /** poll read the getter. */
  | { readonly kind: "poll"; readonly value: boolean }
  /** The op threw (sync) or rejected (async). */
  | { readonly kind: "error"; readonly code: ErrorCode; readonly sync: boolean };

/** One event of a history. Steps are numbered from 0. */
export type HistoryEvent =
  /** The actor issued its `index`-th op at `step`. */
  | {
      readonly kind: "invoke";
      readonly step: number;
      readonly actor: ActorId;
      readonly index: number;
      readonly op: Op;
    }
  /** The op the actor issued as its `index`-th returned during `step`. */
  | {
      readonly kind: "return";
      readonly step: number;
      readonly actor: ActorId;
      readonly index: number;
      readonly result: OpResult;
    };

/** What happened in a run, in order. */
export type History = readonly HistoryEvent[];
