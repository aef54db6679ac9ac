import type { ActorId, Op } from "../interleaving/types.js";
import { DONE, raceOutcome, returned, triggerReadable, triggerWritable } from "./completion.js";
import type { EngineContext } from "./decisions.js";
import { closeEffects, readable, turnEffects, writable } from "./messaging.js";
import { violationSentence } from "./sentences.js";
import { applyClose, applyHandoff, applyOnClosed, applyPoll, applyRecv, applySend, applySubscription } from "./socket-ops.js";
import { actorKey, notePending, PENDING_BITS, socketIndex, type ModelState, type Pending, type SocketState } from "./state.js";
import { exitBreach, socketBreach, type PendingView } from "./rules.js";
import type { ModelRule, Rule, Violation } from "./verdict.js";

type SocketOp = Exclude<Op, { kind: "exit" }>;
type OpOf<K extends Op["kind"]> = Extract<Op, { readonly kind: K }>;

/**
 * The step engine: applies one op to a state it owns (mutating it), appends the history
 * events the step produces, and returns the violation if the op breaks an enabled rule.
 * A refused op leaves the state as it was, but for `violation`. What each op does is in
 * socket-ops.ts; how pending ops return, in completion.ts.
 */

/**
 * Completes pending ops that can now complete, until nothing changes. A
 * socket's poll callback fires when a pending op's condition comes to hold (its edge), and then
 * checks both directions, so it also completes an op that had lost its own wakeup.
 */
function progress(ctx: EngineContext, state: ModelState): void {
  const sockets = state.sockets;
  for (let changed = state.pendingCount > 0; changed; ) {
    changed = false;
    if (sockets.length <= PENDING_BITS) {
      // The sockets with pending ops, in order, from their bits: visiting a socket completes
      // only its own ops, so none is added to the round as it goes.
      for (let m = state.pendingSockets; m !== 0; m &= m - 1) {
        if (visit(ctx, state, 31 - Math.clz32(m & -m))) changed = true;
      }
    } else {
      // Pending ops at the sockets already visited in this round: once every pending op is
      // behind, the rest of the round is idle.
      let behind = 0;
      for (let i = 0; i < sockets.length && behind < state.pendingCount; i++) {
        const s = sockets[i] as SocketState;
        if (s.pendingRecv === null && s.pendingSend === null) continue;
        if (visit(ctx, state, i)) changed = true;
        if (s.pendingRecv !== null) behind++;
        if (s.pendingSend !== null) behind++;
      }
    }
    // Only a pending op can complete: with none left, another round would change nothing.
    if (state.pendingCount === 0) break;
  }
}

/** Lets the poll callback of socket `i` (which has a pending op) fire if its edge came; true when an op completed. */
function visit(ctx: EngineContext, state: ModelState, i: number): boolean {
  const s = state.sockets[i] as SocketState;
  const r = s.pendingRecv;
  if (r !== null && s.wakeAtRisk && readable(state, i)) {
    s.wakeAtRisk = false;
    if (ctx.decide?.woke !== undefined) {
      if (!ctx.decide.woke(state.topology.ids[i] ?? "?", r)) s.lostWakeup = true;
    } else if (raceOutcome(ctx, state, "wakeup", i, r, ["woke", "lost"]) === "lost") s.lostWakeup = true;
  }
  const fires = (r !== null && !s.lostWakeup && readable(state, i)) || (s.pendingSend !== null && !s.sendLostWakeup && writable(state, i));
  if (!fires) return false;
  // Both run: a completed receive does not keep the send from its try.
  const received = triggerReadable(ctx, state, i, s);
  const sent = triggerWritable(ctx, state, i, s);
  return received || sent;
}

/** Would the op at `op` break an enabled rule in `state`? Pure: looks, never mutates. */
export function check(rules: ReadonlySet<ModelRule>, state: ModelState, actor: ActorId, index: number, op: Op): Violation | null {
  return op.kind === "exit" ? checkExit(rules, state, actor, index, op) : checkSocketOp(rules, state, socketIndex(state, op.socket), actor, index, op, op.kind);
}

function checkExit(rules: ReadonlySet<ModelRule>, state: ModelState, actor: ActorId, index: number, op: Op): Violation | null {
  // With no op pending, an exit tears nothing down.
  const breach = state.pendingCount === 0 ? null : exitBreach(rules, state.sockets, actor);
  return breach === null ? null : violation(state, "teardown-while-pending", breach.socket, breach.other, actor, index, op);
}

/** `check` for an op of kind `kind` (not an exit) on socket `i`. */
function checkSocketOp(rules: ReadonlySet<ModelRule>, state: ModelState, i: number, actor: ActorId, index: number, op: Exclude<Op, { kind: "exit" }>, kind: Op["kind"]): Violation | null {
  const s = state.sockets[i];
  if (s === undefined) return null;
  const breach = socketBreach(rules, state.topology.ownership, s, actor, op, kind === "close" && readable(state, i), kind);
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
  const kind = op.kind;
  return applyAt(ctx, state, kind === "exit" ? -1 : socketIndex(state, op.socket), actor, index, op, kind);
}

/**
 * `apply` for an op of kind `kind` whose socket is the scenario's `i`-th (-1 for `exit`). Ops
 * come in many object shapes, and a read of a field every kind has is slow: the caller has
 * read the kind once, and the op is narrowed by it.
 */
export function applyAt(ctx: EngineContext, state: ModelState, i: number, actor: ActorId, index: number, op: Op, kind: Op["kind"]): Violation | null {
  // `kind` is `op.kind`: the casts below narrow the op as a switch on its own field would.
  const violation = kind === "exit" ? checkExit(ctx.rules, state, actor, index, op) : checkSocketOp(ctx.rules, state, i, actor, index, op as SocketOp, kind);
  if (violation !== null) {
    state.violation = violation;
    return violation;
  }
  ctx.events?.push({ kind: "invoke", step: state.steps, actor, index, op });
  const s = kind === "exit" ? undefined : state.sockets[i];
  if (kind === "exit") exitThread(ctx, state, actor, index);
  else if (s === undefined) {
    // Not a socket of the scenario (an unvalidated interleaving): nothing happens.
  } else if (s.closed) applyOnClosed(ctx, state, s, actor, index, op as SocketOp);
  else {
    switch (kind) {
      case "send":
        applySend(ctx, state, i, s, actor, index, op as OpOf<"send">);
        break;
      case "recv":
        applyRecv(ctx, state, i, s, actor, index, op as OpOf<"recv">);
        break;
      case "poll":
        applyPoll(ctx, state, i, s, actor, index, op as OpOf<"poll">);
        break;
      case "close":
        applyClose(ctx, state, i, s, actor, index);
        break;
      case "subscribe":
      case "unsubscribe":
        applySubscription(ctx, state, i, s, actor, index, op as OpOf<"subscribe" | "unsubscribe">);
        break;
      case "handoff":
        applyHandoff(ctx, state, s, actor, index, op as OpOf<"handoff">);
        break;
    }
  }
  state.steps++;
  return null;
}

/**
 * Ends the current turn: the event loop gets to run, so pending ops that can complete do
 * (zeromq.js completes a pending op only from its poller, on a loop turn). Events are dated
 * to the last step taken.
 */
export function endTurn(ctx: EngineContext, state: ModelState): void {
  let work = turnWork(state);
  if (work === QUIET) return;
  state.steps--;
  // The loop runs until nothing moves: what is in transit arrives, pending ops complete, and
  // what they send in turn arrives too. Once nothing is on its way, another round could
  // change nothing: the turn effects found every close already noticed, and `progress` runs
  // until nothing completes.
  for (let guard = 0; guard < 1000; guard++) {
    if (work !== PENDING_ONLY) turnEffects(state);
    progress(ctx, state);
    if (state.transitCount === 0 && state.lateFrames.length === 0) break;
    work = ARRIVING;
  }
  state.steps++;
}

/** What a turn's end has to do: nothing; only complete pending ops; or also land what is on its way and let peers notice closes. */
const QUIET = 0;
const PENDING_ONLY = 1;
const ARRIVING = 2;

/**
 * `QUIET` when no op is pending, nothing is on its way and no close is left for a peer to
 * notice; `PENDING_ONLY` when ops are pending but the turn effects (`turnEffects`) would
 * change nothing; `ARRIVING` otherwise.
 */
function turnWork(state: ModelState): number {
  if (state.lateFrames.length > 0 || state.transitCount > 0) return ARRIVING;
  if (state.mayBeUnaware) {
    const sockets = state.sockets;
    for (let i = 0; i < sockets.length; i++) if ((sockets[i] as SocketState).peerGone === "unaware") return ARRIVING;
  }
  return state.pendingCount > 0 ? PENDING_ONLY : QUIET;
}

function exitThread(ctx: EngineContext, state: ModelState, actor: ActorId, index: number): void {
  returned(ctx, state, actor, index, DONE);
  state.deadKeys.add(actor.thread);
  state.sockets.forEach((s, i) => {
    const mine = s.owner.thread === actor.thread;
    // Only reachable with teardown-while-pending switched off: an op vanishes with its thread.
    const w = s.pendingSend;
    if (w !== null && (mine || w.actor.thread === actor.thread)) {
      s.pendingSend = null;
      vanish(state, w);
    }
    const r = s.pendingRecv;
    if (r !== null && (mine || r.actor.thread === actor.thread)) {
      s.pendingRecv = null;
      vanish(state, r);
    }
    notePending(state, i, s);
    if (mine && !s.closed) {
      s.closed = true;
      s.closedAt = state.steps;
      closeEffects(state, i);
    }
  });
}

/** A pending op that vanishes with its thread (its socket's field already cleared). */
function vanish(state: ModelState, p: Pending): void {
  state.pendingCount--;
  if (!p.nowait) state.blockedKeys.delete(actorKey(p.actor));
}
