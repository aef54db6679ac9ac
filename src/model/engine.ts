import type { ActorId, ErrorCode, Op, OpResult } from "../interleaving/types.js";
import type { EngineContext, OpRef, RaceKind } from "./decisions.js";
import { candidates, closeEffects, inTransit, keepsPipe, land, landChanges, readable, send, subscribe, surelyReadable, take, turnEffects, unland, unlandChanges, writable, writableUnaware } from "./messaging.js";
import { MAX_SYNC_OPERATIONS } from "./profile.js";
import { violationSentence } from "./sentences.js";
import { actorKey, type Message, type ModelState, type Pending, type SocketState } from "./state.js";
import { exitBreach, socketBreach, type PendingView } from "./rules.js";
import type { ModelRule, Rule, Violation } from "./verdict.js";

/**
 * The step engine: applies one op to a state it owns (mutating it), appends the history
 * events the step produces, and returns the violation if the op breaks an enabled rule.
 * A refused op leaves the state as it was, but for `violation`.
 */

/**
 * Asks `ctx.race` how a race on socket `i` goes; outcome 0 (what the model does when nobody
 * decides) without a chooser.
 */
function raceOutcome(ctx: EngineContext, state: ModelState, race: RaceKind, i: number, op: OpRef, outcomes: readonly string[]): string {
  if (ctx.race === undefined || outcomes.length < 2) return outcomes[0] ?? "";
  const k = ctx.race({ race, socket: state.topology.ids[i] ?? "?", op: { actor: op.actor, index: op.index }, outcomes });
  return outcomes[k] ?? outcomes[0] ?? "";
}

/**
 * Lets the watcher say whether what is on its way to socket `i` has shown to this op: it may
 * have arrived early (within the turn), or still lag behind the model's turn end. Without a
 * watcher, a race chooser may let it go either way.
 */
function maybeLand(ctx: EngineContext, state: ModelState, i: number, op: OpRef): void {
  if ((ctx.decide?.arrived === undefined && ctx.race === undefined) || surelyReadable(state, i) || !inTransit(state, i)) return;
  if (ctx.decide?.arrived !== undefined) {
    if (ctx.decide.arrived(state.topology.ids[i] ?? "?", op)) land(state, i);
    else unland(state, i);
    return;
  }
  const outcomes = ["as-is"];
  if (landChanges(state, i)) outcomes.push("arrived");
  if (unlandChanges(state, i)) outcomes.push("not-arrived");
  const outcome = raceOutcome(ctx, state, "arrival", i, op, outcomes);
  if (outcome === "arrived") land(state, i);
  else if (outcome === "not-arrived") unland(state, i);
}

/** Shared results: the history holds them read-only, and a check without history allocates none. */
const DONE: OpResult = Object.freeze({ kind: "done" });
const POLL_TRUE: OpResult = Object.freeze({ kind: "poll", value: true });
const POLL_FALSE: OpResult = Object.freeze({ kind: "poll", value: false });

function returned(ctx: EngineContext, state: ModelState, actor: ActorId, index: number, result: OpResult): void {
  ctx.events?.push({ kind: "return", step: state.steps, actor, index, result });
}

function fail(ctx: EngineContext, state: ModelState, actor: ActorId, index: number, code: ErrorCode, sync: boolean): void {
  returned(ctx, state, actor, index, { kind: "error", code, sync });
  state.ended.add(actorKey(actor));
}

function chooseMessage(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number): Message {
  if (ctx.choose === undefined && ctx.race === undefined) {
    // Nobody picks: the oldest arrived message (the first candidate).
    const inbox = (state.sockets[i] as SocketState).inbox;
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
function receiveNow(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number): void {
  const m = chooseMessage(ctx, state, i, actor, index);
  take(state, i, m);
  ctx.events?.push({ kind: "return", step: state.steps, actor, index, result: { kind: "message", payload: m.payload, from: state.topology.ids[m.from] ?? "?" } });
}

function socketIndex(state: ModelState, id: string): number {
  const i = state.topology.index.get(id);
  if (i === undefined) throw new Error(`model: unknown socket ${id} (validate the interleaving first)`);
  return i;
}

function completeRecv(ctx: EngineContext, state: ModelState, i: number, s: SocketState, r: Pending): void {
  s.pendingRecv = null;
  s.lostWakeup = false;
  s.wakeAtRisk = false;
  s.syncOps = 0;
  if (!r.nowait) state.blocked.delete(actorKey(r.actor));
  receiveNow(ctx, state, i, r.actor, r.index);
}

function completeSend(ctx: EngineContext, state: ModelState, i: number, s: SocketState, w: Pending): void {
  s.pendingSend = null;
  s.sendLostWakeup = false;
  s.syncOps = 0;
  if (!w.nowait) state.blocked.delete(actorKey(w.actor));
  if (w.op.kind === "send") send(state, i, w.op.payload, toIndex(state, w.op.to));
  returned(ctx, state, w.actor, w.index, DONE);
}

/** zeromq.js's TriggerReadable: a pending receive whose socket is readable completes now. */
function triggerReadable(ctx: EngineContext, state: ModelState, i: number, s: SocketState): boolean {
  const r = s.pendingRecv;
  if (r === null || !readable(state, i)) return false;
  completeRecv(ctx, state, i, s, r);
  return true;
}

/** zeromq.js's TriggerWritable: a pending send whose socket is writable completes now. */
function triggerWritable(ctx: EngineContext, state: ModelState, i: number, s: SocketState): boolean {
  const w = s.pendingSend;
  if (w === null || !writable(state, i)) return false;
  completeSend(ctx, state, i, s, w);
  return true;
}

/**
 * A read of ZMQ_EVENTS (a getter, or the readiness check a send or receive makes first) takes
 * the edge-triggered wakeup of a pending op whose condition already holds: it will not wake.
 */
function eventsRead(state: ModelState, i: number, s: SocketState): void {
  if (s.pendingRecv !== null && readable(state, i)) s.lostWakeup = true;
  else if (s.pendingRecv !== null && inTransit(state, i)) s.wakeAtRisk = true;
  if (s.pendingSend !== null && writable(state, i)) s.sendLostWakeup = true;
}

/**
 * Completes pending ops that can now complete, until nothing changes; true if any did. A
 * socket's poll callback fires when a pending op's condition comes to hold (its edge), and then
 * checks both directions, so it also completes an op that had lost its own wakeup.
 */
function progress(ctx: EngineContext, state: ModelState): boolean {
  let any = false;
  const sockets = state.sockets;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < sockets.length; i++) {
      const s = sockets[i] as SocketState;
      const r = s.pendingRecv;
      if (r === null && s.pendingSend === null) continue;
      if (r !== null && s.wakeAtRisk && readable(state, i)) {
        s.wakeAtRisk = false;
        if (ctx.decide?.woke !== undefined) {
          if (!ctx.decide.woke(state.topology.ids[i] ?? "?", r)) s.lostWakeup = true;
        } else if (raceOutcome(ctx, state, "wakeup", i, r, ["woke", "lost"]) === "lost") s.lostWakeup = true;
      }
      const fires = (r !== null && !s.lostWakeup && readable(state, i)) || (s.pendingSend !== null && !s.sendLostWakeup && writable(state, i));
      if (!fires) continue;
      if (triggerReadable(ctx, state, i, s)) changed = true;
      if (triggerWritable(ctx, state, i, s)) changed = true;
    }
    any ||= changed;
  }
  return any;
}

function toIndex(state: ModelState, to: string | undefined): number | undefined {
  return to === undefined ? undefined : socketIndex(state, to);
}

/**
 * May an op that could complete now resolve synchronously? zeromq.js resolves at most 512 in a
 * row on one socket; the next one is deferred to a loop turn (pending until the turn ends).
 */
function resolvesNow(s: SocketState): boolean {
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
function settleAtClose(ctx: EngineContext, state: ModelState, i: number): Pending | null {
  const s = state.sockets[i];
  if (s === undefined) return null;
  let unobserved: Pending | null = null;
  // zeromq.js's close fires both callbacks once: a receive takes a waiting message, a send
  // goes out if the socket is writable; otherwise they fail.
  if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv);
  if (s.pendingSend !== null && s.peerGone !== null) {
    const noticed =
      ctx.decide?.noticed !== undefined ? ctx.decide.noticed(state.topology.ids[i] ?? "?", s.pendingSend) : raceOutcome(ctx, state, "notice", i, s.pendingSend, ["not-noticed", "noticed"]) === "noticed";
    if (noticed) s.peerGone = null;
  }
  triggerReadable(ctx, state, i, s);
  triggerWritable(ctx, state, i, s);
  for (const p of [s.pendingRecv, s.pendingSend]) {
    if (p === null) continue;
    if (!p.nowait) state.blocked.delete(actorKey(p.actor));
    const type = state.topology.types[i];
    const outOfTurn = (type === "req" || type === "rep") && (p === s.pendingSend) !== (s.phase === "send");
    const code = outOfTurn ? "EFSM" : "EAGAIN";
    if (p.nowait) {
      returned(ctx, state, p.actor, p.index, { kind: "error", code, sync: false });
      unobserved ??= p;
    } else fail(ctx, state, p.actor, p.index, code, false);
  }
  s.pendingRecv = null;
  s.pendingSend = null;
  s.lostWakeup = false;
  s.sendLostWakeup = false;
  s.wakeAtRisk = false;
  return unobserved;
}

/**
 * The race of a send into a pipe whose peer closed, without a watcher: as the model goes
 * (null: lost within the turn of the close, found no pipe after it), or one of the other ways.
 */
function dyingSendRace(ctx: EngineContext, state: ModelState, i: number, gone: "unaware" | "unsure", op: OpRef): "lost" | "noticed" | "raced" | null {
  const others = gone === "unaware" ? (["noticed", "raced"] as const) : (["lost", "raced"] as const);
  const outcome = raceOutcome(ctx, state, "dying-send", i, op, ["as-is", ...others]);
  return others.find((o) => o === outcome) ?? null;
}

/**
 * The race of a `writable` read after a peer's close, without a watcher: as the model goes
 * (undefined: not noticed within the turn of the close, noticed after it), or the other way.
 */
function noticeRace(ctx: EngineContext, state: ModelState, i: number, gone: "unaware" | "unsure", op: OpRef): boolean | undefined {
  const other = gone === "unaware" ? "noticed" : "not-noticed";
  const outcome = raceOutcome(ctx, state, "notice", i, op, ["as-is", other]);
  return outcome === "as-is" ? undefined : outcome === "noticed";
}

/** Would the op at `op` break an enabled rule in `state`? Pure: looks, never mutates. */
export function check(rules: ReadonlySet<ModelRule>, state: ModelState, actor: ActorId, index: number, op: Op): Violation | null {
  return op.kind === "exit" ? checkExit(rules, state, actor, index, op) : checkSocketOp(rules, state, socketIndex(state, op.socket), actor, index, op);
}

function checkExit(rules: ReadonlySet<ModelRule>, state: ModelState, actor: ActorId, index: number, op: Op): Violation | null {
  const breach = exitBreach(rules, state.sockets, actor);
  return breach === null ? null : violation(state, "teardown-while-pending", breach.socket, breach.other, actor, index, op);
}

/** `check` for an op on socket `i`. */
function checkSocketOp(rules: ReadonlySet<ModelRule>, state: ModelState, i: number, actor: ActorId, index: number, op: Exclude<Op, { kind: "exit" }>): Violation | null {
  const s = state.sockets[i];
  if (s === undefined) return null;
  const breach = socketBreach(rules, state.topology.scenario.ownership, s, actor, op, op.kind === "close" && readable(state, i));
  return breach === null ? null : violation(state, breach.rule, i, breach.other, actor, index, op);
}

function violation(state: ModelState, rule: Rule, socket: number, other: PendingView | null, actor: ActorId, index: number, op: Op): Violation {
  const s = state.sockets[socket];
  const id = state.topology.ids[socket] ?? null;
  const owner = s?.owner ?? null;
  const otherOp = other === null || id === null ? null : { actor: other.actor, index: other.index, step: other.step, socket: id, op: other.op };
  const message = violationSentence({
    rule,
    actor,
    op,
    step: state.steps,
    socket: id,
    owner,
    ownership: state.topology.scenario.ownership,
    other: otherOp,
    ...(s !== undefined && s.closedAt >= 0 ? { closedAt: s.closedAt } : {}),
  });
  return { kind: "violation", rule, step: state.steps, actor, index, op, socket: id, owner, other: otherOp, message };
}

/** Applies one op; returns the violation that refused it, or null. */
export function apply(ctx: EngineContext, state: ModelState, actor: ActorId, index: number, op: Op): Violation | null {
  return applyAt(ctx, state, op.kind === "exit" ? -1 : socketIndex(state, op.socket), actor, index, op);
}

/** `apply` for an op whose socket is the scenario's `i`-th (-1 for `exit`). */
export function applyAt(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number, op: Op): Violation | null {
  const violation = op.kind === "exit" ? checkExit(ctx.rules, state, actor, index, op) : checkSocketOp(ctx.rules, state, i, actor, index, op);
  if (violation !== null) {
    state.violation = violation;
    return violation;
  }
  ctx.events?.push({ kind: "invoke", step: state.steps, actor, index, op });
  if (op.kind === "exit") exitThread(ctx, state, actor, index);
  else applySocketOp(ctx, state, i, actor, index, op);
  state.steps++;
  return null;
}

/**
 * Ends the current turn: the event loop gets to run, so pending ops that can complete do
 * (zeromq.js completes a pending op only from its poller, on a loop turn). Events are dated
 * to the last step taken.
 */
export function endTurn(ctx: EngineContext, state: ModelState): void {
  if (quiet(state)) return;
  state.steps--;
  // The loop runs until nothing moves: what is in transit arrives, pending ops complete, and
  // what they send in turn arrives too.
  for (let guard = 0; guard < 1000; guard++) {
    turnEffects(state);
    if (!progress(ctx, state) && !anyInTransit(state) && state.lateFrames.length === 0) break;
  }
  state.steps++;
}

/** Would a turn's end change nothing: no pending op, nothing on its way, no close for a peer to notice? */
function quiet(state: ModelState): boolean {
  if (state.lateFrames.length > 0) return false;
  const sockets = state.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i] as SocketState;
    if (s.pendingRecv !== null || s.pendingSend !== null || s.peerGone === "unaware") return false;
    const inbox = s.inbox;
    for (let k = 0; k < inbox.length; k++) if (!(inbox[k] as Message).arrived) return false;
  }
  return true;
}

/** Is some message still on its way to a socket? */
function anyInTransit(state: ModelState): boolean {
  const sockets = state.sockets;
  for (let i = 0; i < sockets.length; i++) {
    const inbox = (sockets[i] as SocketState).inbox;
    for (let k = 0; k < inbox.length; k++) if (!(inbox[k] as Message).arrived) return true;
  }
  return false;
}

function exitThread(ctx: EngineContext, state: ModelState, actor: ActorId, index: number): void {
  returned(ctx, state, actor, index, DONE);
  state.deadThreads.add(actor.thread);
  state.sockets.forEach((s, i) => {
    const mine = s.owner.thread === actor.thread;
    for (const p of [s.pendingSend, s.pendingRecv]) {
      if (p !== null && (mine || p.actor.thread === actor.thread)) {
        // Only reachable with teardown-while-pending switched off: the op vanishes with its thread.
        if (p === s.pendingSend) s.pendingSend = null;
        else s.pendingRecv = null;
        if (!p.nowait) state.blocked.delete(actorKey(p.actor));
      }
    }
    if (mine && !s.closed) {
      s.closed = true;
      s.closedAt = state.steps;
      closeEffects(state, i);
    }
  });
}

function applySocketOp(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number, op: Exclude<Op, { kind: "exit" }>): void {
  const s = state.sockets[i];
  if (s === undefined) return;
  if (s.closed) {
    // Reached only with use-after-close switched off: what zeromq.js does.
    switch (op.kind) {
      case "send":
      case "recv":
        return fail(ctx, state, actor, index, "EBADF", true);
      case "subscribe":
      case "unsubscribe":
        // A SUB's subscription is a socket option; an XSUB's is a message it sends.
        return fail(ctx, state, actor, index, state.topology.types[i] === "xsub" ? "EBADF" : "ENOTSOCK", true);
      case "poll":
        return returned(ctx, state, actor, index, POLL_FALSE);
      case "close":
        return returned(ctx, state, actor, index, DONE);
      case "handoff":
        s.owner = op.to;
        return returned(ctx, state, actor, index, DONE);
    }
  }
  switch (op.kind) {
    case "send": {
      if (s.pendingSend !== null) return fail(ctx, state, actor, index, "EBUSY", true);
      const gone = s.peerGone;
      // A tcp connecter learns of the close from its connection, which a runner waits for at
      // the turn's end: after that turn it has noticed. Elsewhere the runner decides.
      if (gone === "unsure" && keepsPipe(state, i)) s.peerGone = null;
      // Only a send the socket would make through the dying pipe races it (a REQ waiting for
      // its reply does not send at all, whatever the pipe does).
      else if (gone !== null && (ctx.decide?.dyingSend !== undefined || ctx.race !== undefined) && writableUnaware(state, i)) {
        const outcome = ctx.decide?.dyingSend !== undefined ? ctx.decide.dyingSend(op.socket, { actor, index }) : dyingSendRace(ctx, state, i, gone, { actor, index });
        if (outcome === "raced") {
          s.peerGone = null;
          return fail(ctx, state, actor, index, "EAGAIN", false);
        }
        // "lost": it went into the dying pipe this time; "noticed": the pipe is gone for sure.
        if (outcome !== null) s.peerGone = outcome === "noticed" ? null : "unaware";
      }
      if (writable(state, i) && resolvesNow(s)) {
        send(state, i, op.payload, toIndex(state, op.to));
        if (s.peerGone === "unaware" && gone === "unsure") s.peerGone = "unsure";
        returned(ctx, state, actor, index, DONE);
        // zeromq.js then checks the other direction: a pending receive may take what arrived.
        if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv);
        triggerReadable(ctx, state, i, s);
        return;
      }
      if (s.peerGone === "unaware" && gone === "unsure") s.peerGone = "unsure";
      eventsRead(state, i, s);
      s.pendingSend = { actor, index, step: state.steps, op, nowait: op.nowait };
      if (!op.nowait) state.blocked.add(actorKey(actor));
      return;
    }
    case "recv": {
      if (s.pendingRecv !== null) return fail(ctx, state, actor, index, "EBUSY", true);
      maybeLand(ctx, state, i, { actor, index });
      if (readable(state, i) && resolvesNow(s)) {
        receiveNow(ctx, state, i, actor, index);
        triggerWritable(ctx, state, i, s);
        return;
      }
      eventsRead(state, i, s);
      s.pendingRecv = { actor, index, step: state.steps, op, nowait: op.nowait };
      if (!op.nowait) state.blocked.add(actorKey(actor));
      return;
    }
    case "poll": {
      if (op.event === "readable") maybeLand(ctx, state, i, { actor, index });
      else if (s.peerGone !== null && (ctx.decide?.noticed !== undefined || ctx.race !== undefined) && writableUnaware(state, i)) {
        const noticed = ctx.decide?.noticed !== undefined ? ctx.decide.noticed(op.socket, { actor, index }) : noticeRace(ctx, state, i, s.peerGone, { actor, index });
        if (noticed === true) s.peerGone = null;
        else if (noticed === false && s.peerGone === "unsure") {
          // Not yet noticed: this read sees the dying pipe.
          eventsRead(state, i, s);
          return returned(ctx, state, actor, index, POLL_TRUE);
        }
      }
      // Reading the getter after a message arrived and before the loop woke the pending
      // receive takes its wakeup (within one turn; the hazard rule flags any such poll).
      eventsRead(state, i, s);
      const value = op.event === "readable" ? readable(state, i) : writable(state, i);
      return returned(ctx, state, actor, index, value ? POLL_TRUE : POLL_FALSE);
    }
    case "close": {
      settleAtClose(ctx, state, i);
      s.closed = true;
      s.closedAt = state.steps;
      closeEffects(state, i);
      return returned(ctx, state, actor, index, DONE);
    }
    case "subscribe":
    case "unsubscribe":
      subscribe(state, i, op.topic, op.kind === "subscribe");
      returned(ctx, state, actor, index, DONE);
      // An XSUB subscribes by sending a frame: zeromq.js's send then checks the other direction.
      if (state.topology.types[i] === "xsub") {
        s.syncOps = Math.min(s.syncOps + 1, MAX_SYNC_OPERATIONS);
        if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv);
        triggerReadable(ctx, state, i, s);
      }
      return;
    case "handoff":
      // Across threads a zeromq.js socket cannot move (postMessage delivers `{}`): the owner stays.
      if (op.to.thread === s.owner.thread) s.owner = op.to;
      return returned(ctx, state, actor, index, DONE);
  }
}
