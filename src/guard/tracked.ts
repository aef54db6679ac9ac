import type { ActorId, Op, OpResult, PollEvent } from "../interleaving/types.js";
import { socketBreach } from "../model/rules.js";
import { violationSentence } from "../model/sentences.js";
import { breachError, errorCode } from "./breach-error.js";
import { OwnershipError } from "./ownership-error.js";
import { messageResult, payloadText, PendingRecord } from "./pending.js";
import { isSettled } from "./settled.js";
import type { SocketRecord } from "./socket-record.js";

/**
 * The tracked mode of the guard: every send and receive gets a `PendingRecord`, a reaction on
 * its real promise and an observing prototype, so the guard knows at every call which ops are
 * in flight and whether anyone awaits them. The instrumented module needs this (its scheduler
 * holds completions), and so does a context that records a history (every op's return event).
 * A plain context without history takes the lean path instead (lean.ts).
 */

const nativeThen = Promise.prototype.then;

/** Probes for the rules on the hot path: the rules look only at an op's kind. */
const SEND_PROBE: SocketOp = { kind: "send", socket: "", payload: "", nowait: false };
const RECV_PROBE: SocketOp = { kind: "recv", socket: "", nowait: false };

/** An op on a socket (every op but a worker exit). */
export type SocketOp = Exclude<Op, { kind: "exit" }>;

/** The op of a send of `message` on `s` (built on slow paths only: it turns the message into text). */
export function sendOp(s: SocketRecord, message: unknown): SocketOp {
  return { kind: "send", socket: s.name, payload: payloadText(message), nowait: false };
}

/** The op of a receive on `s`. */
export function recvOp(s: SocketRecord): SocketOp {
  return { kind: "recv", socket: s.name, nowait: false };
}

/**
 * The slow path, taken when the rules object to a call: an op the guard still counts as
 * pending may have settled already (its reaction has not run yet); forget those, ask the
 * rules again, and throw the typed error if they still object. Returns true when the call
 * must freeze instead (a refused send or receive in an instrumented run).
 */
export function enforce(s: SocketRecord, actor: ActorId, op: SocketOp): boolean {
  const ctx = s.ctx;
  if (ctx.gate === null) {
    const ps = s.pendingSend;
    if (ps !== null && ps.promise !== null && isSettled(ps.promise)) s.pendingSend = null;
    const pr = s.pendingRecv;
    if (pr !== null && pr.promise !== null && isSettled(pr.promise)) s.pendingRecv = null;
  }
  const breach = socketBreach(ctx.rules, ctx.ownership, s, actor, op, false);
  if (breach === null) return false;
  const error = breachError(s, actor, op, breach, ctx.nextStep());
  ctx.report(error, "thrown");
  // In an instrumented run a refused send or receive stops its task (the promise never settles), so the
  // run ends cleanly at the violation instead of spreading unhandled rejections; everything else throws.
  if (ctx.gate !== null && (op.kind === "send" || op.kind === "recv")) return true;
  throw error;
}

/** A promise that never settles: what an ended run's tasks wait on (it keeps nothing alive). */
export function frozen(): Promise<never> {
  return new Promise<never>(() => {});
}

function pushReturn(s: SocketRecord, actor: ActorId, index: number, result: OpResult): void {
  s.ctx.history?.push({ kind: "return", step: s.ctx.nextStep(), actor, index, result });
}

/** An instantaneous op (close, poll, subscribe, handoff): invoke and return events. */
export function instant(s: SocketRecord, actor: ActorId, op: Op, result: OpResult): void {
  const h = s.ctx.history;
  if (h === null) return;
  const index = s.ctx.nextIndex(actor);
  h.push({ kind: "invoke", step: s.ctx.nextStep(), actor, index, op });
  pushReturn(s, actor, index, result);
}

/** A send or receive finished (plain tracked mode), or was delivered (instrumented mode). */
export function finish(s: SocketRecord, r: PendingRecord, ok: boolean, value: unknown): void {
  const list = r.kind === "send" ? s.sends : s.recvs;
  if (list[0] === r) list.shift();
  else {
    const at = list.indexOf(r);
    if (at >= 0) list.splice(at, 1);
  }
  if (s.pendingSend === r) s.pendingSend = null;
  if (s.pendingRecv === r) s.pendingRecv = null;
  const ctx = s.ctx;
  const h = ctx.history;
  if (h !== null) {
    if (!r.observed && r.invokeAt >= 0) h[r.invokeAt] = { kind: "invoke", step: r.step, actor: r.actor, index: r.index, op: r.op };
    const result: OpResult = !ok ? { kind: "error", code: errorCode(value), sync: false } : r.kind === "send" ? { kind: "done" } : messageResult(value);
    pushReturn(s, r.actor, r.index, result);
  }
  if (!ok && !r.observed) {
    const op = r.op;
    const sentence = violationSentence({ rule: "unobserved-rejection", actor: r.actor, op, step: ctx.step, socket: s.name, owner: s.owner, ownership: ctx.ownership, other: { actor: r.actor, index: r.index, step: r.step, socket: s.name, op } });
    ctx.report(new OwnershipError({ rule: "unobserved-rejection", socket: s.name, owner: s.owner, caller: r.actor, op, other: null, step: ctx.nextStep(), createdAt: s.createdAt, creator: s.creator, sentence }, { cause: value }), "kept");
  }
}

/** The two reactions of one direction: each settles the oldest op in flight. */
function reactions(s: SocketRecord, list: readonly PendingRecord[]): [(value: unknown) => void, (error: unknown) => void] {
  const settle = (ok: boolean, value: unknown): void => {
    const r = list[0];
    if (r !== undefined) finish(s, r, ok, value);
  };
  return [(v) => settle(true, v), (e) => settle(false, e)];
}

/** Starts tracking a send or receive the real socket accepted; returns the promise for the caller. */
function track(s: SocketRecord, kind: "send" | "recv", actor: ActorId, real: Promise<unknown>, message: unknown): Promise<unknown> {
  const ctx = s.ctx;
  const h = ctx.history;
  const r = new PendingRecord(kind, s.name, actor, h === null ? -1 : ctx.nextIndex(actor), ctx.nextStep(), message);
  if (kind === "send") {
    s.sends.push(r);
    s.pendingSend = r;
  } else {
    s.recvs.push(r);
    s.pendingRecv = r;
  }
  if (h !== null) {
    r.invokeAt = h.length;
    // Shown as awaited until proven otherwise (finish() rewrites it for an op nobody observed).
    h.push({ kind: "invoke", step: r.step, actor, index: r.index, op: r.opWith(false) });
  }
  const proto = kind === "send" ? s.sendProto : s.recvProto;
  const gate = ctx.gate;
  if (gate === null) {
    // Our reaction first (it runs before any handler the caller adds), then the observing prototype.
    const on = kind === "send" ? (s.onSend ??= reactions(s, s.sends)) : (s.onRecv ??= reactions(s, s.recvs));
    nativeThen.call(real, on[0], on[1]);
    Object.setPrototypeOf(real, proto);
    r.promise = real;
    return real;
  }
  r.atOnce = ctx.tasks.settledInQuiet?.(real) ?? isSettled(real);
  const waits = r.atOnce && gate.waitAnyway(s, r);
  if (kind === "recv") s.readableSeen = false;
  if (r.atOnce && !waits) {
    // Completed at once: zeromq.js resumes the caller in this turn, before any I/O callback, so the
    // caller gets the real promise (after the reaction that records the return) and nothing is held.
    if (kind === "send") s.pendingSend = null;
    else s.pendingRecv = null;
    nativeThen.call(
      real,
      (v: unknown) => {
        finish(s, r, true, v);
        gate.completed?.(s, r, true);
      },
      (e: unknown) => {
        finish(s, r, false, e);
        gate.completed?.(s, r, false);
      },
    );
    Object.setPrototypeOf(real, proto);
    r.promise = real;
    gate.inCall?.(s, r);
    gate.activity();
    return real;
  }
  const mine = new Promise<unknown>((resolve, reject) => {
    r.deliver = (ok, v) => (ok ? resolve(v) : reject(v));
  });
  Object.setPrototypeOf(mine, proto);
  r.promise = mine;
  nativeThen.call(real, (v: unknown) => gate.hold(s, r, true, v), (e: unknown) => gate.hold(s, r, false, e));
  gate.deferred(s, r);
  return mine;
}

/** A synchronous throw from the real socket: recorded, then rethrown as it was. */
function threw(s: SocketRecord, actor: ActorId, op: Op, err: unknown): never {
  instant(s, actor, op, { kind: "error", code: errorCode(err), sync: true });
  throw err;
}

/** `send` in tracked mode. */
export function trackedSend(s: SocketRecord, message: unknown, options: unknown): Promise<unknown> {
  const ctx = s.ctx;
  if (ctx.ended) return frozen();
  const actor = ctx.tasks.current();
  const go = (): Promise<unknown> => {
    if (socketBreach(ctx.rules, ctx.ownership, s, actor, SEND_PROBE, false) !== null && enforce(s, actor, sendOp(s, message))) return frozen();
    const raw = s.raw;
    ctx.gate?.sending?.(s);
    let p: Promise<unknown>;
    try {
      p = options === undefined ? raw.send!(message) : raw.send!(message, options);
    } catch (err) {
      threw(s, actor, sendOp(s, message), err);
    }
    return track(s, "send", actor, p, message);
  };
  return ctx.tasks.quiet === undefined ? go() : ctx.tasks.quiet(go);
}

/** `receive` in tracked mode. */
export function trackedReceive(s: SocketRecord): Promise<unknown> {
  const ctx = s.ctx;
  if (ctx.ended) return frozen();
  const actor = ctx.tasks.current();
  const go = (): Promise<unknown> => {
    if (socketBreach(ctx.rules, ctx.ownership, s, actor, RECV_PROBE, false) !== null && enforce(s, actor, recvOp(s))) return frozen();
    let p: Promise<unknown>;
    try {
      p = s.raw.receive!();
    } catch (err) {
      threw(s, actor, recvOp(s), err);
    }
    return track(s, "recv", actor, p, undefined);
  };
  return ctx.tasks.quiet === undefined ? go() : ctx.tasks.quiet(go);
}

/** `close` in tracked mode: refused while it would reject an op nobody observes. */
export function trackedClose(s: SocketRecord): void {
  const ctx = s.ctx;
  if (ctx.ended) return;
  const actor = ctx.tasks.current();
  const op: SocketOp = { kind: "close", socket: s.name };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  if (!s.closed) {
    s.closed = true;
    s.closedAt = ctx.step;
  }
  instant(s, actor, op, { kind: "done" });
  s.raw.close();
  ctx.gate?.closed(s);
  ctx.gate?.activity();
}

/** A `readable`/`writable` read in tracked mode. */
export function trackedPoll(s: SocketRecord, event: PollEvent): boolean {
  const ctx = s.ctx;
  if (ctx.ended) return false;
  const actor = ctx.tasks.current();
  const op: SocketOp = { kind: "poll", socket: s.name, event };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  const value = event === "readable" ? s.raw.readable : s.raw.writable;
  if (event === "readable") s.readableSeen = value;
  instant(s, actor, op, { kind: "poll", value });
  return value;
}

/** `subscribe`/`unsubscribe` in tracked mode. */
export function trackedSubscription(s: SocketRecord, kind: "subscribe" | "unsubscribe", prefixes: readonly unknown[]): void {
  const ctx = s.ctx;
  if (ctx.ended) return;
  const actor = ctx.tasks.current();
  const op: SocketOp = { kind, socket: s.name, topic: prefixes.map(payloadText).join(",") };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  const f = (s.raw as unknown as Record<string, (...a: unknown[]) => void>)[kind];
  try {
    f?.apply(s.raw, [...prefixes]);
  } catch (err) {
    threw(s, actor, op, err);
  }
  ctx.gate?.changed?.(s);
  instant(s, actor, op, { kind: "done" });
}

/** `handoff` in tracked mode. */
export function trackedHandoff(s: SocketRecord, actor: ActorId, to: ActorId): void {
  const ctx = s.ctx;
  const op: SocketOp = { kind: "handoff", socket: s.name, to };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  s.owner = to;
  instant(s, actor, op, { kind: "done" });
}
