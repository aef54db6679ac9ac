import { InvalidOptionsError } from "../errors.js";
import { sameActor } from "../interleaving/actor.js";
import type { ActorId, ErrorCode, Op, OpResult, PollEvent } from "../interleaving/types.js";
import { socketBreach, type Breach } from "../model/rules.js";
import { violationSentence } from "../model/sentences.js";
import { GuardContext, type GuardContextOptions } from "./context.js";
import { creationSite } from "./creation-site.js";
import { wrapperPrototype } from "./forward.js";
import { OwnershipError } from "./ownership-error.js";
import { payloadText, PendingRecord } from "./pending.js";
import { isSettled } from "./settled.js";
import { SocketRecord, socketTypeOf, type RawSocket } from "./socket-record.js";
import type { TaskInfo } from "./tasks.js";

const REC = Symbol("zmq-interleave.socket-record");
const footprint = Symbol.for("zmq-interleave.guarded-socket");
const nativeThen = Promise.prototype.then;

/** Probes for the rules on the hot path: the rules look only at an op's kind. */
const SEND_PROBE: SocketOp = { kind: "send", socket: "", payload: "", nowait: false };
const RECV_PROBE: SocketOp = { kind: "recv", socket: "", nowait: false };

/** An op on a socket (every op but a worker exit). */
type SocketOp = Exclude<Op, { kind: "exit" }>;

interface Wrapper {
  readonly [REC]: SocketRecord;
}

/** Options of `guard`. */
export interface GuardOptions extends GuardContextOptions {
  /** The context the socket belongs to (default: a new one with the other options). */
  readonly context?: GuardContext;
  /** Name used in errors and timelines (default: type and a number, `pull1`). */
  readonly name?: string;
  /** The socket's first owner (default: the calling actor). */
  readonly owner?: ActorId;
}

/** True for a socket returned by `guard` (or by the instrumented module). */
export function isGuarded(socket: unknown): boolean {
  return typeof socket === "object" && socket !== null && (socket as Record<symbol, unknown>)[footprint] === true;
}

function recordOf(socket: unknown): SocketRecord {
  const r = typeof socket === "object" && socket !== null ? (socket as Partial<Wrapper>)[REC] : undefined;
  if (r === undefined) throw new InvalidOptionsError("not a guarded socket: pass the socket that guard() returned");
  return r;
}

/** The real socket under a guarded one (for tests and clean-up; calls on it are not checked). */
export function rawSocket<S extends object>(socket: S): S {
  return recordOf(socket).raw as unknown as S;
}

/** The guard's name of a guarded socket (`pull1`). */
export function guardedName(socket: object): string {
  return recordOf(socket).name;
}

/** The context a guarded socket belongs to. */
export function contextOf(socket: object): GuardContext {
  return recordOf(socket).ctx;
}

function errorCode(err: unknown): ErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "EBUSY" || code === "EBADF" || code === "ENOTSOCK" ? code : "EAGAIN";
}

function tasksLine(s: SocketRecord, actors: readonly ActorId[]): string {
  const named = actors.filter((a, i) => actors.findIndex((b) => sameActor(a, b)) === i && s.ctx.tasks.find(a) !== null && a.task !== 0);
  return named.length === 0 ? "" : `\n  tasks: ${named.map((a) => s.ctx.tasks.describe(a)).join(", ")}`;
}

/** The typed error for a breach, with the model's sentence. */
function breachError(s: SocketRecord, actor: ActorId, op: Op, breach: Breach, step: number): OwnershipError {
  const o = breach.other;
  const other = o === null ? null : { actor: o.actor, index: o.index, step: o.step, socket: s.name, op: o.op };
  const sentence = violationSentence({
    rule: breach.rule,
    actor,
    op,
    step,
    socket: s.name,
    owner: s.owner,
    ownership: s.ctx.ownership,
    other,
    ...(s.closedAt >= 0 ? { closedAt: s.closedAt } : {}),
  });
  const names = tasksLine(s, other === null ? [actor, s.owner] : [actor, s.owner, other.actor]);
  return new OwnershipError({ rule: breach.rule, socket: s.name, owner: s.owner, caller: actor, op, other, step, createdAt: s.createdAt, creator: s.creator, sentence: sentence + names });
}

/**
 * The slow path, taken when the rules object to a call: an op the guard still counts as
 * pending may have settled already (its reaction has not run yet); forget those, ask the
 * rules again, and throw the typed error if they still object.
 */
function enforce(s: SocketRecord, actor: ActorId, op: SocketOp): boolean {
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
  ctx.report(error, true);
  // In an instrumented run a refused send or receive stops its task (the promise never settles), so the
  // run ends cleanly at the violation instead of spreading unhandled rejections; everything else throws.
  if (ctx.gate !== null && (op.kind === "send" || op.kind === "recv")) return true;
  throw error;
}

/** A promise that never settles: what an ended run's tasks wait on (it keeps nothing alive). */
function frozen(): Promise<never> {
  return new Promise<never>(() => {});
}

function pushReturn(s: SocketRecord, actor: ActorId, index: number, result: OpResult): void {
  s.ctx.history?.push({ kind: "return", step: s.ctx.nextStep(), actor, index, result });
}

/** An instantaneous op (close, poll, subscribe, handoff): invoke and return events. */
function instant(s: SocketRecord, actor: ActorId, op: Op, result: OpResult): void {
  const h = s.ctx.history;
  if (h === null) return;
  const index = s.ctx.nextIndex(actor);
  h.push({ kind: "invoke", step: s.ctx.nextStep(), actor, index, op });
  pushReturn(s, actor, index, result);
}

/** A send or receive finished (plain mode), or was delivered (instrumented mode). */
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
    const result: OpResult = !ok ? { kind: "error", code: errorCode(value), sync: false } : r.kind === "send" ? { kind: "done" } : { kind: "message", payload: payloadText(value), from: "?" };
    pushReturn(s, r.actor, r.index, result);
  }
  if (!ok && !r.observed) {
    const op = r.op;
    const sentence = violationSentence({ rule: "unobserved-rejection", actor: r.actor, op, step: ctx.step, socket: s.name, owner: s.owner, ownership: ctx.ownership, other: { actor: r.actor, index: r.index, step: r.step, socket: s.name, op } });
    ctx.report(new OwnershipError({ rule: "unobserved-rejection", socket: s.name, owner: s.owner, caller: r.actor, op, other: null, step: ctx.nextStep(), createdAt: s.createdAt, creator: s.creator, sentence }, { cause: value }), false);
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
    h.push({ kind: "invoke", step: r.step, actor, index: r.index, op: { ...r.op, nowait: false } as Op });
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
  gate.activity();
  const mine = new Promise<unknown>((resolve, reject) => {
    r.deliver = (ok, v) => (ok ? resolve(v) : reject(v));
  });
  Object.setPrototypeOf(mine, proto);
  r.promise = mine;
  nativeThen.call(real, (v: unknown) => gate.hold(s, r, true, v), (e: unknown) => gate.hold(s, r, false, e));
  return mine;
}

/** A synchronous throw from the real socket: recorded, then rethrown as it was. */
function threw(s: SocketRecord, actor: ActorId, op: Op, err: unknown): never {
  instant(s, actor, op, { kind: "error", code: errorCode(err), sync: true });
  throw err;
}

function send(this: Wrapper, message: unknown, options?: unknown): Promise<unknown> {
  const s = this[REC];
  const ctx = s.ctx;
  if (ctx.ended) return frozen();
  const actor = ctx.tasks.current();
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, SEND_PROBE, false) !== null && enforce(s, actor, { kind: "send", socket: s.name, payload: payloadText(message), nowait: false })) return frozen();
  const raw = s.raw;
  let p: Promise<unknown>;
  try {
    p = options === undefined ? raw.send!(message) : raw.send!(message, options);
  } catch (err) {
    threw(s, actor, { kind: "send", socket: s.name, payload: payloadText(message), nowait: false }, err);
  }
  return track(s, "send", actor, p, message);
}

function receive(this: Wrapper): Promise<unknown> {
  const s = this[REC];
  const ctx = s.ctx;
  if (ctx.ended) return frozen();
  const actor = ctx.tasks.current();
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, RECV_PROBE, false) !== null && enforce(s, actor, { kind: "recv", socket: s.name, nowait: false })) return frozen();
  let p: Promise<unknown>;
  try {
    p = s.raw.receive!();
  } catch (err) {
    threw(s, actor, { kind: "recv", socket: s.name, nowait: false }, err);
  }
  return track(s, "recv", actor, p, undefined);
}

function close(this: Wrapper): void {
  const s = this[REC];
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
  ctx.gate?.activity();
}

function poll(w: Wrapper, event: PollEvent): boolean {
  const s = w[REC];
  const ctx = s.ctx;
  if (ctx.ended) return false;
  const actor = ctx.tasks.current();
  const op: SocketOp = { kind: "poll", socket: s.name, event };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  const value = event === "readable" ? s.raw.readable : s.raw.writable;
  instant(s, actor, op, { kind: "poll", value });
  return value;
}

function subscription(w: Wrapper, kind: "subscribe" | "unsubscribe", prefixes: readonly unknown[]): void {
  const s = w[REC];
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
  instant(s, actor, op, { kind: "done" });
}

/** The guarded members every wrapper prototype gets. */
const GUARDED_MEMBERS: PropertyDescriptorMap = {
  [footprint]: { value: true },
  send: { configurable: true, writable: true, value: send },
  receive: { configurable: true, writable: true, value: receive },
  close: { configurable: true, writable: true, value: close },
  readable: { configurable: true, get: function readable(this: Wrapper) { return poll(this, "readable"); } },
  writable: { configurable: true, get: function writable(this: Wrapper) { return poll(this, "writable"); } },
  subscribe: { configurable: true, writable: true, value: function subscribe(this: Wrapper, ...prefixes: unknown[]) { subscription(this, "subscribe", prefixes); } },
  unsubscribe: { configurable: true, writable: true, value: function unsubscribe(this: Wrapper, ...prefixes: unknown[]) { subscription(this, "unsubscribe", prefixes); } },
};

const rawOf = (w: unknown): object => (w as Wrapper)[REC].raw;

/**
 * Guards a real zeromq socket: returns a socket of the same class whose every send,
 * receive, `readable`/`writable` read, subscribe and close is checked against the model's
 * rules for the calling actor (thread id plus the task from `context.task`) and throws an
 * `OwnershipError` before the call reaches the real socket when it breaks one. Use the
 * returned socket instead of the original.
 */
export function guard<S extends object>(socket: S, options: GuardOptions = {}): S {
  if (isGuarded(socket)) throw new InvalidOptionsError("guard: this socket is guarded already");
  const ctx = options.context ?? new GuardContext(options);
  const raw = socket as unknown as RawSocket;
  const name = options.name ?? ctx.nameFor(socketTypeOf(socket));
  const record = new SocketRecord(ctx, raw, name, options.owner ?? ctx.tasks.current(), creationSite());
  ctx.sockets.push(record);
  const wrapper = Object.create(wrapperPrototype(ctx.prototypes, socket, rawOf, GUARDED_MEMBERS)) as Record<symbol, unknown>;
  Object.defineProperty(wrapper, REC, { value: record });
  return wrapper as unknown as S;
}

/**
 * Moves a guarded socket to another task (a `TaskInfo` from `context.tasks.reserve`, a
 * task name, or an actor id). Refused with `handoff-across-threads` for another thread and
 * `handoff-while-pending` while an op is in flight.
 */
export function handoff(socket: object, to: TaskInfo | ActorId | string): void {
  const s = recordOf(socket);
  const ctx = s.ctx;
  let target: ActorId;
  if (typeof to === "string") {
    const t = ctx.tasks.find(to);
    if (t === null) throw new InvalidOptionsError(`handoff: no task named ${JSON.stringify(to)}; reserve it first with context.tasks.reserve(name)`);
    target = t.actor;
  } else target = "actor" in to ? to.actor : to;
  const actor = ctx.tasks.current();
  const op: SocketOp = { kind: "handoff", socket: s.name, to: target };
  if (socketBreach(ctx.rules, ctx.ownership, s, actor, op, false) !== null) enforce(s, actor, op);
  s.owner = target;
  instant(s, actor, op, { kind: "done" });
}
