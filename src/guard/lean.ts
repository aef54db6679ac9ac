import type { ActorId, PollEvent } from "../interleaving/types.js";
import { isOwner, socketBreach, type SocketView } from "../model/rules.js";
import { breachError } from "./breach-error.js";
import { payloadText } from "./pending.js";
import type { SocketRecord } from "./socket-record.js";
import { recvOp, sendOp, type SocketOp } from "./tracked.js";

/**
 * The lean mode of the guard, for a plain context (no instrumented run, no history): the
 * common send and receive do almost nothing beyond the real call.
 *
 * - Ownership is checked before the call: the thread id under `ownership: "thread"` (a
 *   zeromq.js socket cannot reach another thread), the task under `"task"`. The calling task
 *   is read either way (`tasks.current()`), to name it if this op is met again in an error;
 *   the read costs next to nothing until the context has started a task (its
 *   AsyncLocalStorage is off until then) and a few ns after.
 * - Use after close is checked before the call, from the guard's own closed flag.
 * - Busy: zeromq.js itself throws EBUSY ("Socket is busy writing/reading") for a second send
 *   or receive while one is in flight, including the window of a deferred 513th op
 *   (zeromq.js#406). The guard lets the real call throw and turns that EBUSY into the typed
 *   `busy-send`/`busy-recv` error, naming the other op from `lastSend`/`lastRecv`.
 * - After the call: plain field stores of the op into `lastSend`/`lastRecv`. No reaction, no
 *   prototype change: the caller gets the real promise.
 * - "Is an op in flight" (lost wakeup, handoff, teardown) is asked on those rare paths only,
 *   from the remembered promise (`IssuedOp.pending`, about 1 µs the first time after an op).
 * - Except on a socket that reads `readable`/`writable` (a poller): asking that on every poll
 *   after a receive would cost more than the receive. From its first poll on, the socket's
 *   receives are watched: each gets one reaction that counts its settlement, and the caller
 *   gets the promise derived from it (it settles like the real one, a microtask later), so an
 *   unobserved rejection still reaches Node as that promise's, and is still found.
 * - `unobserved-rejection` is found when Node reports the rejection (unobserved.ts).
 */

const nativeThen = Promise.prototype.then;

/** The socket as the rules see it, with the ops in flight looked up in the directions asked for. */
export function leanView(s: SocketRecord, send: boolean, recv: boolean): SocketView {
  return {
    owner: s.owner,
    closed: s.closed,
    pendingSend: send && s.lastSend.pending() ? s.lastSend.view(s.name, false) : null,
    pendingRecv: recv && s.lastRecv.pending() ? s.lastRecv.view(s.name, false) : null,
    lostWakeup: false,
  };
}

/** The rare path: asks the rules with what is in flight and throws the typed error for a breach. */
function refuse(s: SocketRecord, actor: ActorId, op: SocketOp, view: SocketView): void {
  const ctx = s.ctx;
  const breach = socketBreach(ctx.rules, ctx.ownership, view, actor, op, false);
  if (breach === null) return;
  const error = breachError(s, actor, op, breach, ctx.nextStep());
  ctx.report(error, "thrown");
  throw error;
}

/** Whether `err` is zeromq.js's EBUSY for a second op in this direction (not the bind/unbind one). */
function isBusy(err: unknown, kind: "send" | "recv"): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === "EBUSY" && typeof e.message === "string" && e.message.startsWith(kind === "send" ? "Socket is busy writing" : "Socket is busy reading");
}

/** What to throw for a synchronous throw of the real call: the typed busy error for zeromq.js's EBUSY, else the error itself. */
function thrown(s: SocketRecord, actor: ActorId, op: SocketOp, err: unknown): unknown {
  const kind = op.kind === "send" ? "send" : "recv";
  const rule = kind === "send" ? "busy-send" : "busy-recv";
  const ctx = s.ctx;
  if (!isBusy(err, kind) || !ctx.rules.has(rule)) return err;
  const last = kind === "send" ? s.lastSend : s.lastRecv;
  const error = breachError(s, actor, op, { rule, other: last.promise === null ? null : last.view(s.name, false) }, ctx.nextStep(), err);
  ctx.report(error, "thrown");
  return error;
}

/** `send` in lean mode. */
export function leanSend(s: SocketRecord, message: unknown, options: unknown): Promise<unknown> {
  s.ctx.outsideUse?.(s);
  const ctx = s.ctx;
  const actor = ctx.tasks.current();
  if (s.closed || !isOwner(ctx.ownership, s, actor)) refuse(s, actor, sendOp(s, message), leanView(s, false, false));
  const raw = s.raw;
  let p: Promise<unknown>;
  try {
    p = options === undefined ? raw.send!(message) : raw.send!(message, options);
  } catch (err) {
    throw thrown(s, actor, sendOp(s, message), err);
  }
  s.lastSend.issued(p, ctx.nextStep(), actor, message);
  return p;
}

/** `receive` in lean mode. */
export function leanReceive(s: SocketRecord): Promise<unknown> {
  s.ctx.outsideUse?.(s);
  const ctx = s.ctx;
  const actor = ctx.tasks.current();
  if (s.closed || !isOwner(ctx.ownership, s, actor)) refuse(s, actor, recvOp(s), leanView(s, false, false));
  let p: Promise<unknown>;
  try {
    p = s.raw.receive!();
  } catch (err) {
    throw thrown(s, actor, recvOp(s), err);
  }
  const last = s.lastRecv;
  const on = s.onWatchedRecv;
  if (on === null) {
    last.issued(p, ctx.nextStep(), actor, undefined);
    return p;
  }
  const mine = nativeThen.call(p, on[0], on[1]) as Promise<unknown>;
  last.issuedWatched(mine, p, ctx.nextStep(), actor);
  return mine;
}

/** From now on the socket's receives are watched (see the file comment). */
function watchReceives(s: SocketRecord): void {
  const last = s.lastRecv;
  s.onWatchedRecv = [
    (value: unknown): unknown => {
      last.reacted++;
      return value;
    },
    (error: unknown): never => {
      last.reacted++;
      throw error;
    },
  ];
}

/** A `readable`/`writable` read in lean mode: refused while a receive is in flight (`lost-wakeup`). */
export function leanPoll(s: SocketRecord, event: PollEvent): boolean {
  s.ctx.outsideUse?.(s);
  const ctx = s.ctx;
  const actor = ctx.tasks.current();
  if (s.closed || !isOwner(ctx.ownership, s, actor) || s.lastRecv.pending()) refuse(s, actor, { kind: "poll", socket: s.name, event }, leanView(s, false, true));
  if (s.onWatchedRecv === null) watchReceives(s);
  return event === "readable" ? s.raw.readable : s.raw.writable;
}

/**
 * `close` in lean mode. It is never refused for the ops it settles: those still in flight are
 * marked, so if Node later reports one's rejection as unhandled, the error names this close.
 */
export function leanClose(s: SocketRecord): void {
  s.ctx.outsideUse?.(s);
  const ctx = s.ctx;
  const actor = ctx.tasks.current();
  if (!isOwner(ctx.ownership, s, actor)) refuse(s, actor, { kind: "close", socket: s.name }, leanView(s, false, false));
  if (!s.closed) {
    s.lastSend.closedUnder = s.lastSend.pending();
    s.lastRecv.closedUnder = s.lastRecv.pending();
    s.closed = true;
    s.closedAt = ctx.nextStep();
    s.closedBy = actor;
    s.raw.close();
    ctx.unobserved.closed();
  }
}

/** `subscribe`/`unsubscribe` in lean mode. */
export function leanSubscription(s: SocketRecord, kind: "subscribe" | "unsubscribe", prefixes: readonly unknown[]): void {
  s.ctx.outsideUse?.(s);
  const ctx = s.ctx;
  const actor = ctx.tasks.current();
  if (s.closed || !isOwner(ctx.ownership, s, actor)) refuse(s, actor, { kind, socket: s.name, topic: prefixes.map(payloadText).join(",") }, leanView(s, false, false));
  const f = (s.raw as unknown as Record<string, (...a: unknown[]) => void>)[kind];
  f?.apply(s.raw, [...prefixes]);
}

/** `handoff` in lean mode: refused across threads and while an op is in flight. */
export function leanHandoff(s: SocketRecord, actor: ActorId, to: ActorId): void {
  refuse(s, actor, { kind: "handoff", socket: s.name, to }, leanView(s, true, true));
  s.owner = to;
}
