import { InvalidOptionsError } from "../errors.js";
import { PROXY_THREAD } from "../interleaving/actor.js";
import { optionsRecord } from "../input/options.js";
import { showValue } from "../input/show.js";
import { endpointKey, transportOf } from "./endpoints.js";
import type { ActorId, PollEvent } from "../interleaving/types.js";
import { GuardContext, type GuardContextOptions, type TimeoutOption } from "./context.js";
import { creationSite } from "./creation-site.js";
import { wrapperPrototype } from "./forward.js";
import { leanClose, leanHandoff, leanPoll, leanReceive, leanSend, leanSubscription } from "./lean.js";
import { SocketRecord, socketTypeOf, type RawSocket } from "./socket-record.js";
import type { TaskInfo } from "./tasks.js";
import { trackedClose, trackedHandoff, trackedPoll, trackedReceive, trackedSend, trackedSubscription } from "./tracked.js";

const REC = Symbol("zmq-interleave.socket-record");
const footprint = Symbol.for("zmq-interleave.guarded-socket");

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

/** A zeromq.js socket: an object whose class chain has a `close` method and a `closed` accessor (every socket class of zeromq 6 has both). */
function isZmqSocket(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return false;
  return typeof (value as { close?: unknown }).close === "function" && "closed" in value && "readable" in value;
}

function isActorId(value: unknown): boolean {
  const a = value as { thread?: unknown; task?: unknown } | null;
  return typeof a === "object" && a !== null && Number.isSafeInteger(a.thread) && (a.thread as number) >= 0 && Number.isSafeInteger(a.task) && (a.task as number) >= 0;
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

/**
 * A `zmq.Proxy` takes the socket over: from now on the proxy's thread owns it (a call from
 * the program is `foreign-owner`), until `release` (the proxy ended and closed it). Returns
 * the real socket, which is what the real `Proxy` needs.
 */
export function adoptByProxy(socket: object): object {
  const s = recordOf(socket);
  s.owner = { thread: PROXY_THREAD, task: 0 };
  return s.raw;
}

/** The proxy that took `socket` over has ended and closed it. */
export function releaseFromProxy(socket: object): void {
  const s = recordOf(socket);
  if (!s.closed) {
    s.closed = true;
    s.closedAt = s.ctx.step;
  }
}

/** The guard's name of a guarded socket (`pull1`). */
export function guardedName(socket: object): string {
  return recordOf(socket).name;
}

/** The context a guarded socket belongs to. */
export function contextOf(socket: object): GuardContext {
  return recordOf(socket).ctx;
}

function send(this: Wrapper, message: unknown, options?: unknown): Promise<unknown> {
  const s = this[REC];
  return s.ctx.tracked ? trackedSend(s, message, options) : leanSend(s, message, options);
}

function receive(this: Wrapper): Promise<unknown> {
  const s = this[REC];
  return s.ctx.tracked ? trackedReceive(s) : leanReceive(s);
}

function close(this: Wrapper): void {
  const s = this[REC];
  if (s.ctx.tracked) trackedClose(s);
  else leanClose(s);
}

function poll(w: Wrapper, event: PollEvent): boolean {
  const s = w[REC];
  return s.ctx.tracked ? trackedPoll(s, event) : leanPoll(s, event);
}

function subscription(w: Wrapper, kind: "subscribe" | "unsubscribe", prefixes: readonly unknown[]): void {
  const s = w[REC];
  landFirst(w);
  if (s.ctx.tracked) trackedSubscription(s, kind, prefixes);
  else leanSubscription(s, kind, prefixes);
}

function timeoutOption(w: Wrapper, option: TimeoutOption): unknown {
  return (w[REC].raw as unknown as Record<TimeoutOption, unknown>)[option];
}

/** Sets a real-time timeout option (the context is told first: a run on virtual time cannot order it). */
function setTimeoutOption(w: Wrapper, option: TimeoutOption, value: unknown): void {
  const s = w[REC];
  landFirst(w);
  s.ctx.onTimeoutOption?.(s, option, value);
  (s.raw as unknown as Record<TimeoutOption, unknown>)[option] = value;
}

/** Tells the context about the timeout options a socket was made with (constructor options). */
export function noteTimeoutOptions(socket: object): void {
  const s = recordOf(socket);
  for (const option of ["receiveTimeout", "sendTimeout"] as const) {
    const value = (s.raw as unknown as Record<TimeoutOption, unknown>)[option];
    if (typeof value === "number" && value > 0) s.ctx.onTimeoutOption?.(s, option, value);
  }
}

/** Notes an endpoint the socket binds or connects to; the first one, with its linger then, is what reports draw. */
function joined(s: SocketRecord, role: "bind" | "connect", address: unknown): void {
  const text = String(address);
  s.endpoints.push(endpointKey(text));
  if (transportOf(text) !== "inproc") s.network = true;
  s.ctx.gate?.changed?.(s);
  if (s.joined !== null) return;
  let linger = -1;
  try {
    linger = (s.raw as unknown as { linger: number }).linger;
  } catch {
    // a closed socket has no options; the real call below reports it
  }
  s.joined = { role, address: String(address), linger };
}

const nativeThen = Promise.prototype.then;

function bind(this: Wrapper, address: unknown): Promise<void> {
  const s = this[REC];
  joined(s, "bind", address);
  const raw = s.raw as unknown as { bind(a: unknown): Promise<void>; readonly lastEndpoint: string | null };
  const p = raw.bind(address);
  // A wildcard tcp port is known once the bind is done; a side reaction notes it (the caller's promise is the real one).
  if (p instanceof Promise && endpointKey(String(address)) === "tcp:*") {
    nativeThen.call(p, () => {
      const actual = raw.lastEndpoint;
      if (actual === null) return;
      // The port is known: it links the socket to its own peers only, no longer to any tcp socket.
      const wildcard = s.endpoints.indexOf("tcp:*");
      if (wildcard >= 0) s.endpoints.splice(wildcard, 1, endpointKey(actual));
      else s.endpoints.push(endpointKey(actual));
      s.picked.push(endpointKey(actual));
      // Reports name endpoints by address: the wildcard's real port tells two such binds apart.
      if (s.joined?.role === "bind" && s.joined.address === String(address)) s.joined = { ...s.joined, address: actual };
    }, () => undefined);
  }
  return p;
}

function connect(this: Wrapper, address: unknown, ...options: unknown[]): void {
  const s = this[REC];
  joined(s, "connect", address);
  const raw = s.raw as unknown as { connect(a: unknown, ...o: unknown[]): void; readonly closed: boolean };
  const land = (): void => {
    raw.connect(address, ...options);
    s.ctx.gate?.connected?.(s);
  };
  // The run may make the connection land later (connect-lateness.ts): nothing the program sees changes.
  if (options.length === 0 && !raw.closed && s.ctx.gate?.connecting?.(s, address, land) === true) return;
  land();
}

function disconnect(this: Wrapper, address: unknown): void {
  const s = this[REC];
  landFirst(this);
  (s.raw as unknown as { disconnect(a: unknown): void }).disconnect(address);
}

/**
 * `for await` over a guarded socket: zeromq.js's own iterator, called on the guarded socket (so
 * it reads with the guarded `receive`). When task identities come from a tracker, each `next()`
 * names its caller first and runs as the guard's own code (tasks.ts, `quiet`): the promises it
 * makes need no look at the stack.
 */
function asyncIterator(this: Wrapper): AsyncIterator<unknown> {
  const s = this[REC];
  const real = (s.raw as unknown as { [Symbol.asyncIterator](this: unknown): AsyncIterator<unknown> })[Symbol.asyncIterator];
  const it = real.call(this);
  const tasks = s.ctx.tasks;
  if (tasks.quiet === undefined) return it;
  const quiet = tasks.quiet.bind(tasks);
  return {
    next: () => {
      tasks.current();
      return quiet(() => it.next());
    },
  };
}

/** The guarded members every wrapper prototype gets. */
const GUARDED_MEMBERS: PropertyDescriptorMap = {
  [footprint]: { value: true },
  send: { configurable: true, writable: true, value: send },
  receive: { configurable: true, writable: true, value: receive },
  close: { configurable: true, writable: true, value: close },
  bind: { configurable: true, writable: true, value: bind },
  connect: { configurable: true, writable: true, value: connect },
  disconnect: { configurable: true, writable: true, value: disconnect },
  [Symbol.asyncIterator]: { configurable: true, writable: true, value: asyncIterator },
  receiveTimeout: { configurable: true, get: function receiveTimeout(this: Wrapper) { return timeoutOption(this, "receiveTimeout"); }, set: function receiveTimeout(this: Wrapper, v: unknown) { setTimeoutOption(this, "receiveTimeout", v); } },
  sendTimeout: { configurable: true, get: function sendTimeout(this: Wrapper) { return timeoutOption(this, "sendTimeout"); }, set: function sendTimeout(this: Wrapper, v: unknown) { setTimeoutOption(this, "sendTimeout", v); } },
  readable: { configurable: true, get: function readable(this: Wrapper) { return poll(this, "readable"); } },
  writable: { configurable: true, get: function writable(this: Wrapper) { return poll(this, "writable"); } },
  subscribe: { configurable: true, writable: true, value: function subscribe(this: Wrapper, ...prefixes: unknown[]) { subscription(this, "subscribe", prefixes); } },
  unsubscribe: { configurable: true, writable: true, value: function unsubscribe(this: Wrapper, ...prefixes: unknown[]) { subscription(this, "unsubscribe", prefixes); } },
};

const rawOf = (w: unknown): object => (w as Wrapper)[REC].raw;

/**
 * Lands the socket's connections the run holds back (connect-lateness.ts) before a call that
 * could change what they carry or how: a subscription (a SUB sends its subscriptions down each
 * pipe it has), an option set, any other forwarded call. In that order the real socket sees
 * what it would have seen.
 */
function landFirst(w: unknown): void {
  const s = (w as Wrapper)[REC];
  s.ctx.gate?.landing?.(s);
}

/**
 * Guards a real zeromq socket: returns a socket of the same class whose every send,
 * receive, `readable`/`writable` read, subscribe and close is checked against the model's
 * rules for the calling actor (thread id plus the task from `context.task`) and throws an
 * `OwnershipError` when it breaks one: before the call reaches the real socket, except for
 * a busy send or receive, which zeromq.js refuses itself (its EBUSY becomes the typed error).
 * In a plain context (no history), an op left unobserved is reported when Node reports its
 * rejection as unhandled, not by refusing the close that causes it (see unobserved.ts).
 * Use the returned socket instead of the original.
 */
export function guard<S extends object>(socket: S, options: GuardOptions = {}): S {
  if (!isZmqSocket(socket)) throw new InvalidOptionsError(`guard: the first argument must be a zeromq socket (new zmq.Pull(), say), got ${showValue(socket)}`);
  if (isGuarded(socket)) throw new InvalidOptionsError("guard: this socket is guarded already");
  const o = optionsRecord("guard", options, ["context", "name", "owner", "ownership", "disabled", "history", "onViolation"]);
  if (o["context"] !== undefined && !(o["context"] instanceof GuardContext)) throw new InvalidOptionsError(`guard: options.context must be a GuardContext (createGuardContext()), got ${showValue(o["context"])}`);
  if (o["name"] !== undefined && (typeof o["name"] !== "string" || o["name"] === "")) throw new InvalidOptionsError(`guard: options.name must be a non-empty string, got ${showValue(o["name"])}`);
  if (o["owner"] !== undefined && !isActorId(o["owner"])) throw new InvalidOptionsError(`guard: options.owner must be an actor id such as { thread: 0, task: 1 }, got ${showValue(o["owner"])}`);
  const ctx = options.context ?? new GuardContext(options);
  const raw = socket as unknown as RawSocket;
  const name = options.name ?? ctx.nameFor(socketTypeOf(socket));
  const record = new SocketRecord(ctx, raw, name, options.owner ?? ctx.tasks.current(), creationSite());
  ctx.sockets.push(record);
  if (!ctx.tracked) ctx.unobserved.opened();
  const wrapper = Object.create(wrapperPrototype(ctx.prototypes, socket, rawOf, GUARDED_MEMBERS, landFirst)) as Record<symbol, unknown>;
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
  if (ctx.tracked) trackedHandoff(s, actor, target);
  else leanHandoff(s, actor, target);
}
