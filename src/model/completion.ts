import type { ActorId, ErrorCode, OpResult } from "../interleaving/types.js";
import type { EngineContext, OpRef, RaceKind } from "./decisions.js";
import { candidates, inTransit, land, landChanges, readable, send, surelyReadable, take, unland, unlandChanges, writable } from "./messaging.js";
import { MAX_SYNC_OPERATIONS } from "./profile.js";
import { REP, REQ } from "./type-codes.js";
import { actorKey, notePending, socketIndex, type Message, type ModelState, type Pending, type SocketState } from "./state.js";

/**
 * How ops return in the step engine: at once, from the poller on a loop turn (zeromq.js's
 * TriggerReadable and TriggerWritable), or settled by a close; and the races met on the way.
 */

// Shared results: the history holds them read-only, and a check without history allocates none.

/** The result of an op that returns nothing. */
export const DONE: OpResult = Object.freeze({ kind: "done" });
/** A getter that reads true, and one that reads false. */
export const POLL_TRUE: OpResult = Object.freeze({ kind: "poll", value: true });
export const POLL_FALSE: OpResult = Object.freeze({ kind: "poll", value: false });

/** Records the return of `actor`'s `index`-th op. */
export function returned(ctx: EngineContext, state: ModelState, actor: ActorId, index: number, result: OpResult): void {
  ctx.events?.push({ kind: "return", step: state.steps, actor, index, result });
}

/** The op fails; an awaited op that fails ends its task. */
export function fail(ctx: EngineContext, state: ModelState, actor: ActorId, index: number, code: ErrorCode, sync: boolean): void {
  returned(ctx, state, actor, index, { kind: "error", code, sync });
  state.endedKeys.add(actorKey(actor));
}

/**
 * Asks `ctx.race` how a race on socket `i` goes; outcome 0 (what the model does when nobody
 * decides) without a chooser.
 */
export function raceOutcome(ctx: EngineContext, state: ModelState, race: RaceKind, i: number, op: OpRef, outcomes: readonly string[]): string {
  if (ctx.race === undefined || outcomes.length < 2) return outcomes[0] ?? "";
  const k = ctx.race({ race, socket: state.topology.ids[i] ?? "?", op: { actor: op.actor, index: op.index }, outcomes });
  return outcomes[k] ?? outcomes[0] ?? "";
}

/**
 * Lets the watcher say whether what is on its way to socket `i` has shown to the op
 * `actor`'s `index`-th: it may have arrived early (within the turn), or still lag behind the
 * model's turn end. Without a watcher, a race chooser may let it go either way.
 */
export function maybeLand(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number): void {
  if ((ctx.decide?.arrived === undefined && ctx.race === undefined) || surelyReadable(state, i) || !inTransit(state, i)) return;
  if (ctx.decide?.arrived !== undefined) {
    if (ctx.decide.arrived(state.topology.ids[i] ?? "?", { actor, index })) land(state, i);
    else unland(state, i);
    return;
  }
  const outcomes = ["as-is"];
  if (landChanges(state, i)) outcomes.push("arrived");
  if (unlandChanges(state, i)) outcomes.push("not-arrived");
  const outcome = raceOutcome(ctx, state, "arrival", i, { actor, index }, outcomes);
  if (outcome === "arrived") land(state, i);
  else if (outcome === "not-arrived") unland(state, i);
}

function chooseMessage(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number): Message {
  if (ctx.choose === undefined && ctx.race === undefined) {
    // Nobody picks: the oldest arrived message (the first candidate), the first one when all have arrived.
    const s = state.sockets[i] as SocketState;
    const inbox = s.inbox;
    if (s.arrivedCount === inbox.length && inbox.length > 0) return inbox[0] as Message;
    for (let k = 0; k < inbox.length; k++) if ((inbox[k] as Message).arrived) return inbox[k] as Message;
  }
  const cands = candidates(state, i);
  const first = cands[0];
  if (first === undefined) throw new Error("model: receive with an empty inbox");
  if (cands.length === 1) return first;
  const ids = state.topology.ids;
  if (ctx.choose === undefined) {
    if (ctx.race === undefined) return first;
    const outcomes = cands.map((c) => `${ids[c.from] ?? "?"}:${c.payload}`);
    return cands[outcomes.indexOf(raceOutcome(ctx, state, "fair-queue", i, { actor, index }, outcomes))] ?? first;
  }
  const pick = ctx.choose(
    ids[i] ?? "?",
    cands.map((c) => ({ from: ids[c.from] ?? "?", payload: c.payload })),
    { actor, index },
  );
  return cands[pick] ?? first;
}

/** The receive `actor`'s `index`-th op makes now: takes a message and returns it. */
export function receiveNow(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number): void {
  const m = chooseMessage(ctx, state, i, actor, index);
  take(state, i, m);
  ctx.events?.push({ kind: "return", step: state.steps, actor, index, result: { kind: "message", payload: m.payload, from: state.topology.ids[m.from] ?? "?" } });
}

/** The socket a send names in `to` (a ROUTER's peer), by index. */
export function toIndex(state: ModelState, to: string | undefined): number | undefined {
  return to === undefined ? undefined : socketIndex(state, to);
}

function completeRecv(ctx: EngineContext, state: ModelState, i: number, s: SocketState, r: Pending): void {
  s.pendingRecv = null;
  state.pendingCount--;
  notePending(state, i, s);
  s.lostWakeup = false;
  s.wakeAtRisk = false;
  s.syncOps = 0;
  if (!r.nowait) state.blockedKeys.delete(actorKey(r.actor));
  receiveNow(ctx, state, i, r.actor, r.index);
}

function completeSend(ctx: EngineContext, state: ModelState, i: number, s: SocketState, w: Pending): void {
  s.pendingSend = null;
  state.pendingCount--;
  notePending(state, i, s);
  s.sendLostWakeup = false;
  s.syncOps = 0;
  if (!w.nowait) state.blockedKeys.delete(actorKey(w.actor));
  if (w.op.kind === "send") send(state, i, w.op.payload, toIndex(state, w.op.to));
  returned(ctx, state, w.actor, w.index, DONE);
}

/** zeromq.js's TriggerReadable: a pending receive whose socket is readable completes now. */
export function triggerReadable(ctx: EngineContext, state: ModelState, i: number, s: SocketState): boolean {
  const r = s.pendingRecv;
  if (r === null || !readable(state, i)) return false;
  completeRecv(ctx, state, i, s, r);
  return true;
}

/** zeromq.js's TriggerWritable: a pending send whose socket is writable completes now. */
export function triggerWritable(ctx: EngineContext, state: ModelState, i: number, s: SocketState): boolean {
  const w = s.pendingSend;
  if (w === null || !writable(state, i)) return false;
  completeSend(ctx, state, i, s, w);
  return true;
}

/**
 * A read of ZMQ_EVENTS (a getter, or the readiness check a send or receive makes first) takes
 * the edge-triggered wakeup of a pending op whose condition already holds: it will not wake.
 */
export function eventsRead(state: ModelState, i: number, s: SocketState): void {
  if (s.pendingRecv !== null && readable(state, i)) s.lostWakeup = true;
  else if (s.pendingRecv !== null && inTransit(state, i)) s.wakeAtRisk = true;
  if (s.pendingSend !== null && writable(state, i)) s.sendLostWakeup = true;
}

/**
 * May an op that could complete now resolve synchronously? zeromq.js resolves at most 512 in a
 * row on one socket; the next one is deferred to a loop turn (pending until the turn ends).
 */
export function resolvesNow(s: SocketState): boolean {
  if (s.syncOps >= MAX_SYNC_OPERATIONS) return false;
  s.syncOps++;
  return true;
}

/**
 * Settles the pending ops of socket `i` as `close()` does: a receive that lost its wakeup
 * takes a waiting message; an op a REQ/REP holds back for its turn (a send while it awaits a
 * reply, a receive while it owes one) rejects EFSM, since zeromq.js makes one last try at
 * close; everything else rejects EAGAIN. Returns the first fire-and-forget op that rejects
 * (an unobserved rejection), if any.
 */
export function settleAtClose(ctx: EngineContext, state: ModelState, i: number): Pending | null {
  const s = state.sockets[i];
  if (s === undefined) return null;
  let unobserved: Pending | null = null;
  // zeromq.js's close fires both callbacks once: a receive takes a waiting message, a send
  // goes out if the socket is writable; otherwise they fail.
  if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv.actor, s.pendingRecv.index);
  if (s.pendingSend !== null && s.peerGone !== null) {
    const noticed =
      ctx.decide?.noticed !== undefined ? ctx.decide.noticed(state.topology.ids[i] ?? "?", s.pendingSend) : raceOutcome(ctx, state, "notice", i, s.pendingSend, ["not-noticed", "noticed"]) === "noticed";
    if (noticed) s.peerGone = null;
  }
  triggerReadable(ctx, state, i, s);
  triggerWritable(ctx, state, i, s);
  // The receive first, then the send.
  if (s.pendingRecv !== null) {
    state.pendingCount--;
    if (rejectAtClose(ctx, state, s, s.pendingRecv, false)) unobserved = s.pendingRecv;
  }
  if (s.pendingSend !== null) {
    state.pendingCount--;
    if (rejectAtClose(ctx, state, s, s.pendingSend, true) && unobserved === null) unobserved = s.pendingSend;
  }
  s.pendingRecv = null;
  s.pendingSend = null;
  notePending(state, i, s);
  s.lostWakeup = false;
  s.sendLostWakeup = false;
  s.wakeAtRisk = false;
  return unobserved;
}

/** Rejects `p` (the pending send when `isSend`) as a close settles it; true when it is fire-and-forget (an unobserved rejection). */
function rejectAtClose(ctx: EngineContext, state: ModelState, s: SocketState, p: Pending, isSend: boolean): boolean {
  if (!p.nowait) state.blockedKeys.delete(actorKey(p.actor));
  const type = s.typeCode;
  const outOfTurn = (type === REQ || type === REP) && isSend !== (s.phase === "send");
  const code = outOfTurn ? "EFSM" : "EAGAIN";
  if (!p.nowait) {
    fail(ctx, state, p.actor, p.index, code, false);
    return false;
  }
  returned(ctx, state, p.actor, p.index, { kind: "error", code, sync: false });
  return true;
}
