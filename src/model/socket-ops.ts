import type { ActorId, Op } from "../interleaving/types.js";
import { DONE, eventsRead, fail, maybeLand, POLL_FALSE, POLL_TRUE, raceOutcome, receiveNow, resolvesNow, returned, settleAtClose, toIndex, triggerReadable, triggerWritable } from "./completion.js";
import type { EngineContext, OpRef } from "./decisions.js";
import { closeEffects, keepsPipe, readable, send, subscribe, writable, writableUnaware } from "./messaging.js";
import { MAX_SYNC_OPERATIONS } from "./profile.js";
import { actorKey, notePending, type ModelState, type SocketState } from "./state.js";
import { XSUB } from "./type-codes.js";

/**
 * What each op does to an open socket that no enabled rule refused it on (and to a closed one,
 * with use-after-close switched off): socket `i` of the scenario, whose state is `s`, by the
 * `index`-th op of `actor`.
 */

type OpOf<K extends Op["kind"]> = Extract<Op, { readonly kind: K }>;

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

/** An op on a closed socket (reached only with use-after-close switched off): what zeromq.js does. */
export function applyOnClosed(ctx: EngineContext, state: ModelState, s: SocketState, actor: ActorId, index: number, op: Exclude<Op, { kind: "exit" }>): void {
  switch (op.kind) {
    case "send":
    case "recv":
      return fail(ctx, state, actor, index, "EBADF", true);
    case "subscribe":
    case "unsubscribe":
      // A SUB's subscription is a socket option; an XSUB's is a message it sends.
      return fail(ctx, state, actor, index, s.typeCode === XSUB ? "EBADF" : "ENOTSOCK", true);
    case "poll":
      return returned(ctx, state, actor, index, POLL_FALSE);
    case "close":
      return returned(ctx, state, actor, index, DONE);
    case "handoff":
      s.owner = op.to;
      return returned(ctx, state, actor, index, DONE);
  }
}

/** `send`: goes out now if the socket is writable (zeromq.js checks the other direction after), else pends. */
export function applySend(ctx: EngineContext, state: ModelState, i: number, s: SocketState, actor: ActorId, index: number, op: OpOf<"send">): void {
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
    if (outcome === "lost") state.mayBeUnaware = true;
    if (outcome !== null) s.peerGone = outcome === "noticed" ? null : "unaware";
  }
  if (writable(state, i) && resolvesNow(s)) {
    send(state, i, op.payload, toIndex(state, op.to));
    if (s.peerGone === "unaware" && gone === "unsure") s.peerGone = "unsure";
    returned(ctx, state, actor, index, DONE);
    // zeromq.js then checks the other direction: a pending receive may take what arrived.
    if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv.actor, s.pendingRecv.index);
    triggerReadable(ctx, state, i, s);
    return;
  }
  if (s.peerGone === "unaware" && gone === "unsure") s.peerGone = "unsure";
  eventsRead(state, i, s);
  s.pendingSend = { actor, index, step: state.steps, op, nowait: op.nowait };
  state.pendingCount++;
  notePending(state, i, s);
  if (!op.nowait) state.blockedKeys.add(actorKey(actor));
}

/** `receive`: takes a message now if the socket is readable, else pends. */
export function applyRecv(ctx: EngineContext, state: ModelState, i: number, s: SocketState, actor: ActorId, index: number, op: OpOf<"recv">): void {
  if (s.pendingRecv !== null) return fail(ctx, state, actor, index, "EBUSY", true);
  maybeLand(ctx, state, i, actor, index);
  if (readable(state, i) && resolvesNow(s)) {
    receiveNow(ctx, state, i, actor, index);
    triggerWritable(ctx, state, i, s);
    return;
  }
  eventsRead(state, i, s);
  s.pendingRecv = { actor, index, step: state.steps, op, nowait: op.nowait };
  state.pendingCount++;
  notePending(state, i, s);
  if (!op.nowait) state.blockedKeys.add(actorKey(actor));
}

/** The `readable` or `writable` getter: reads ZMQ_EVENTS (which may take a pending op's wakeup). */
export function applyPoll(ctx: EngineContext, state: ModelState, i: number, s: SocketState, actor: ActorId, index: number, op: OpOf<"poll">): void {
  if (op.event === "readable") maybeLand(ctx, state, i, actor, index);
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
  returned(ctx, state, actor, index, value ? POLL_TRUE : POLL_FALSE);
}

/** `close`: settles the pending ops, then the peers learn of it. */
export function applyClose(ctx: EngineContext, state: ModelState, i: number, s: SocketState, actor: ActorId, index: number): void {
  settleAtClose(ctx, state, i);
  s.closed = true;
  s.closedAt = state.steps;
  closeEffects(state, i);
  returned(ctx, state, actor, index, DONE);
}

/** `subscribe` / `unsubscribe` on a SUB or XSUB. */
export function applySubscription(ctx: EngineContext, state: ModelState, i: number, s: SocketState, actor: ActorId, index: number, op: OpOf<"subscribe" | "unsubscribe">): void {
  subscribe(state, i, op.topic, op.kind === "subscribe");
  returned(ctx, state, actor, index, DONE);
  // An XSUB subscribes by sending a frame: zeromq.js's send then checks the other direction.
  if (s.typeCode === XSUB) {
    s.syncOps = Math.min(s.syncOps + 1, MAX_SYNC_OPERATIONS);
    if (s.pendingRecv !== null) maybeLand(ctx, state, i, s.pendingRecv.actor, s.pendingRecv.index);
    triggerReadable(ctx, state, i, s);
  }
}

/** `handoff`: the socket gets a new owner on the same thread. */
export function applyHandoff(ctx: EngineContext, state: ModelState, s: SocketState, actor: ActorId, index: number, op: OpOf<"handoff">): void {
  // Across threads a zeromq.js socket cannot move (postMessage delivers `{}`): the owner stays.
  if (op.to.thread === s.owner.thread) s.owner = op.to;
  returned(ctx, state, actor, index, DONE);
}
