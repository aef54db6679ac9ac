import type { ActorId, Op, Ownership, Scenario, SocketSpec, SocketType } from "../interleaving/types.js";
import { KeyList } from "./key-list.js";
import { REP, typeCode } from "./type-codes.js";
import type { Violation } from "./verdict.js";

/** A message in a socket's inbox. */
export interface Message {
  /** Index of the sending socket in the scenario. */
  readonly from: number;
  readonly payload: string;
  /** Global send order, for the default fair-queue choice. */
  readonly seq: number;
  /**
   * Whether the model takes it as arrived. A tcp message is on its way until the turn ends (or
   * shows earlier); then it is taken as arrived, though a real socket may still lag.
   */
  readonly arrived: boolean;
  /** Arrival cannot be otherwise: written into an inproc pipe synchronously. */
  readonly sure: boolean;
}

/** An op the model holds as issued and not yet returned. */
export interface Pending {
  readonly actor: ActorId;
  readonly index: number;
  readonly step: number;
  readonly op: Op;
  readonly nowait: boolean;
}

/** What the model tracks per socket. Mutated only by the engine on a state it owns. */
export interface SocketState {
  /** The socket's type as a number (see type-codes.ts). */
  readonly typeCode: number;
  owner: ActorId;
  closed: boolean;
  /** Step of the close, -1 while open. */
  closedAt: number;
  // invariant: at most one pending send and one pending receive (zeromq.js throws EBUSY otherwise)
  pendingSend: Pending | null;
  pendingRecv: Pending | null;
  /** The pending receive lost its wakeup (a read of ZMQ_EVENTS took the edge): it resolves only when something triggers the socket again, or at close. */
  lostWakeup: boolean;
  /** The same for the pending send. */
  sendLostWakeup: boolean;
  /**
   * ZMQ_EVENTS was read while something was on its way to the socket and its receive was
   * pending: if it had arrived by then, the wakeup is gone. Who watches the real socket decides.
   */
  wakeAtRisk: boolean;
  /** Messages that reached the socket and were not received, in arrival order. */
  inbox: Message[];
  // invariant: the number of messages in `inbox` taken as arrived (kept as the inbox changes, so readiness reads no inbox)
  arrivedCount: number;
  /** SUB/XSUB subscriptions (a multiset, as libzmq counts them). */
  subs: string[];
  /** REQ: "send" until a request is sent, then "recv". REP: "recv" until a request is read, then "send". */
  phase: "send" | "recv";
  /** REP: the socket the current request came from; -1 when none. */
  replyTo: number;
  /** Messages queued for a peer that is gone (tcp connecter whose binder closed). */
  orphaned: number;
  /** Consecutive ops resolved synchronously (zeromq.js defers the 513th, zeromq.js#406). */
  syncOps: number;
  /**
   * Its peer closed and it may not have noticed: `unaware` within the turn of the close (its
   * sends still go into the dying pipe, and are lost); `unsure` after it (taken as noticed,
   * though libzmq's threads may lag: a runner watching the real socket decides). null once sure.
   */
  peerGone: "unaware" | "unsure" | null;
}

/** A subscription frame on its way to an XPUB: it shows there when the turn ends. */
export interface LateFrame {
  readonly from: number;
  readonly to: number;
  readonly payload: string;
}

/** The static shape of a scenario, computed once and shared by every state of a run. */
export interface Topology {
  readonly scenario: Scenario;
  readonly ids: readonly string[];
  readonly types: readonly SocketType[];
  /** Over tcp a connecter keeps its pipe when its binder goes (it will reconnect): does socket i? */
  readonly keepsPipe: readonly boolean[];
  /** Linked sockets of each socket, by index. */
  readonly peers: readonly (readonly number[])[];
  /** The scenario's transport is tcp. */
  readonly tcp: boolean;
  /** The scenario's ownership, as the literal (a parsed scenario's string compares slower). */
  readonly ownership: Ownership;
  /** Per socket, a number made of its id's length and last character: ids that differ there are different ids (`socketIndex`). */
  readonly idKeys: readonly number[];
  /**
   * The socket whose id key ends in each value of its low bits (`SLOT_MASK`): its index; -1 for
   * none, -2 for two or more (then `indexOfId` searches).
   */
  readonly slots: readonly number[];
}

/** The id key bits that pick a slot of `Topology.slots` (ids s0 to s7 get a slot each); `initialState` makes that many slots. */
const SLOT_MASK = 7;

/** The index of socket `id` in the scenario; throws for an unknown id (an interleaving that was not validated). */
export function socketIndex(state: ModelState, id: string): number {
  return indexOfId(state.topology, id);
}

/** A number made of `id`'s length and last character: two ids whose keys differ are different. */
export function idKey(id: string): number {
  const n = id.length;
  return n === 0 ? 0 : n * 65536 + id.charCodeAt(n - 1);
}

/**
 * The index of socket `id` in the topology; throws for an unknown id. Its slot names the one
 * socket it can be, mostly: a search whose length depends on the socket is hard to predict.
 */
export function indexOfId(topology: Topology, id: string): number {
  const key = idKey(id);
  const j = topology.slots[key & SLOT_MASK] as number;
  if (j >= 0 && topology.ids[j] === id) return j;
  return searchId(topology.ids, topology.idKeys, key, id);
}

/**
 * `indexOfId` by a search of `ids` (whose `idKey`s are `keys`). Ids whose keys differ are not
 * compared: a string that did not come from a literal (a parsed one) is compared character by
 * character.
 */
function searchId(ids: readonly string[], keys: readonly number[], key: number, id: string): number {
  for (let i = 0; i < ids.length; i++) if (keys[i] === key && ids[i] === id) return i;
  throw new Error(`model: unknown socket ${id} (validate the interleaving first)`);
}

/** Numeric key of an actor, for sets. */
export function actorKey(actor: ActorId): number {
  return actor.thread * 65536 + actor.task;
}

/**
 * The model's state: plain data, never shared between two runs. `step` in `createModel`
 * returns a new state and leaves its input untouched.
 */
export class ModelState {
  readonly topology: Topology;
  readonly sockets: SocketState[];
  /** Steps taken so far. */
  steps: number;
  /** Messages sent so far (for fair-queue order). */
  seq: number;
  /** Keys (`actorKey`) of the actors waiting for an awaited op. */
  readonly blockedKeys: KeyList;
  /** Keys of the actors whose task ended with an error. */
  readonly endedKeys: KeyList;
  /** Worker threads that exited. */
  readonly deadKeys: KeyList;
  /** The first violation, once there is one; the run stops there. */
  violation: Violation | null;
  /** XPUB unsubscription frames from subscribers that closed this turn (libzmq reports them after a pipe-termination round trip). */
  lateFrames: LateFrame[];
  // invariant: the number of messages not taken as arrived, over every socket's inbox
  transitCount: number;
  // invariant: the number of pending ops (`pendingSend` and `pendingRecv` not null), over every socket
  pendingCount: number;
  // invariant: true whenever some socket's `peerGone` is "unaware" (a turn's end looks for them only then)
  mayBeUnaware = false;
  // invariant: bit i is set when socket i (below `PENDING_BITS`) has a pending op, in either direction
  pendingSockets = 0;

  constructor(
    topology: Topology,
    sockets: SocketState[],
    steps: number,
    seq: number,
    blocked: KeyList,
    ended: KeyList,
    deadThreads: KeyList,
    violation: Violation | null,
    lateFrames: LateFrame[],
    transitCount: number,
    pendingCount: number,
  ) {
    this.topology = topology;
    this.sockets = sockets;
    this.steps = steps;
    this.seq = seq;
    this.blockedKeys = blocked;
    this.endedKeys = ended;
    this.deadKeys = deadThreads;
    this.violation = violation;
    this.lateFrames = lateFrames;
    this.transitCount = transitCount;
    this.pendingCount = pendingCount;
  }

  /** Actors waiting for an awaited op (a copy, made when read). */
  get blocked(): Set<number> {
    return this.blockedKeys.toSet();
  }

  /** Actors whose task ended with an error (a copy, made when read). */
  get ended(): Set<number> {
    return this.endedKeys.toSet();
  }

  /** Worker threads that exited (a copy, made when read). */
  get deadThreads(): Set<number> {
    return this.deadKeys.toSet();
  }

  /** A deep copy the engine may mutate. */
  clone(): ModelState {
    const copy = new ModelState(
      this.topology,
      this.sockets.map((s) => ({ ...s, inbox: s.inbox.slice(), subs: s.subs.slice() })),
      this.steps,
      this.seq,
      this.blockedKeys.copy(),
      this.endedKeys.copy(),
      this.deadKeys.copy(),
      this.violation,
      this.lateFrames.slice(),
      this.transitCount,
      this.pendingCount,
    );
    copy.mayBeUnaware = this.mayBeUnaware;
    copy.pendingSockets = this.pendingSockets;
    return copy;
  }
}

/** Sockets whose pending ops `ModelState.pendingSockets` tracks: the first 30 (its bits stay a small integer). */
export const PENDING_BITS = 30;

/** Sets or clears socket `i`'s bit of `state.pendingSockets` as its pending fields now stand (call after changing them). */
export function notePending(state: ModelState, i: number, s: SocketState): void {
  if (i >= PENDING_BITS) return;
  const bit = 1 << i;
  state.pendingSockets = s.pendingRecv !== null || s.pendingSend !== null ? state.pendingSockets | bit : state.pendingSockets & ~bit;
}

/** The model state before step 0: sockets created, linked and subscribed by their owners. */
export function initialState(scenario: Scenario): ModelState {
  const specs = scenario.sockets;
  const n = specs.length;
  const tcp = scenario.transport === "tcp";
  // Sized up front: a state is made at every check.
  const ids = new Array<string>(n);
  const idKeys = new Array<number>(n);
  const types = new Array<SocketType>(n);
  const keepsPipe = new Array<boolean>(n);
  // Per socket: its endpoint's key, doubled, plus 1 for a binder (see linkedSockets).
  const ends = new Array<number>(n);
  const sockets = new Array<SocketState>(n);
  for (let i = 0; i < n; i++) {
    const s = specs[i] as SocketSpec;
    ends[i] = idKey(s.endpoint) * 2 + (s.role === "bind" ? 1 : 0);
    ids[i] = s.id;
    idKeys[i] = idKey(s.id);
    types[i] = s.type;
    keepsPipe[i] = tcp && s.role === "connect";
    const code = typeCode(s.type);
    sockets[i] = {
      typeCode: code,
      owner: s.owner,
      closed: false,
      closedAt: -1,
      pendingSend: null,
      pendingRecv: null,
      lostWakeup: false,
      sendLostWakeup: false,
      wakeAtRisk: false,
      inbox: [],
      arrivedCount: 0,
      subs: s.subscriptions.length === 0 ? [] : s.subscriptions.slice(),
      phase: code === REP ? "recv" : "send",
      replyTo: -1,
      orphaned: 0,
      syncOps: 0,
      peerGone: null,
    };
  }
  const peers = linkedSockets(specs, ends);
  // A literal: copied at once, where a list made with a length is filled a slot at a time.
  const slots = [-1, -1, -1, -1, -1, -1, -1, -1];
  for (let i = 0; i < n; i++) {
    const k = (idKeys[i] as number) & SLOT_MASK;
    slots[k] = slots[k] === -1 ? i : -2;
  }
  // As `isOwner` reads it: anything but "thread" compares whole actors.
  const ownership: Ownership = scenario.ownership === "thread" ? "thread" : "task";
  return new ModelState({ scenario, ids, types, keepsPipe, peers, tcp, ownership, idKeys, slots }, sockets, 0, 0, new KeyList(), new KeyList(), new KeyList(), null, [], 0, 0);
}

/**
 * The sockets linked to each socket, ascending: the others on its endpoint, in the other role.
 * `keys` holds each socket's endpoint key (`idKey`), doubled, plus 1 for a binder: endpoints
 * are told apart by length and last character before they are compared (see `indexOfId`).
 * Each pair is looked at twice, to size the lists and to fill them.
 */
function linkedSockets(specs: readonly SocketSpec[], keys: readonly number[]): number[][] {
  const n = specs.length;
  // Filled by a loop: `fill` on a list made with a length is a slow call.
  const counts = new Array<number>(n);
  for (let i = 0; i < n; i++) counts[i] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (isPeer(specs, keys, i, j)) {
        counts[i] = (counts[i] as number) + 1;
        counts[j] = (counts[j] as number) + 1;
      }
    }
  }
  // Sized up front: a state is made at every check.
  const peers = new Array<number[]>(n);
  for (let i = 0; i < n; i++) peers[i] = new Array<number>(counts[i] as number);
  const filled = counts;
  for (let i = 0; i < n; i++) filled[i] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!isPeer(specs, keys, i, j)) continue;
      const ki = filled[i] as number;
      const kj = filled[j] as number;
      (peers[i] as number[])[ki] = j;
      (peers[j] as number[])[kj] = i;
      filled[i] = ki + 1;
      filled[j] = kj + 1;
    }
  }
  return peers;
}

/** Are sockets i and j on one endpoint in different roles? Their keys differ by exactly the role bit when they may be. */
function isPeer(specs: readonly SocketSpec[], keys: readonly number[], i: number, j: number): boolean {
  const ki = keys[i] as number;
  const kj = keys[j] as number;
  if ((ki ^ kj) !== 1) return false;
  const s = specs[i] as SocketSpec;
  const t = specs[j] as SocketSpec;
  return t.endpoint === s.endpoint && t.role !== s.role;
}
