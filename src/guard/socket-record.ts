import type { ActorId, SocketType } from "../interleaving/types.js";
import type { SocketView } from "../model/rules.js";
import type { GuardContext } from "./context.js";
import { IssuedOp } from "./issued.js";
import type { PendingRecord } from "./pending.js";

/** The methods of a real zeromq socket the guard calls (any socket class fits). */
export interface RawSocket {
  send?(message: unknown, ...options: unknown[]): Promise<void>;
  receive?(): Promise<unknown>;
  close(): void;
  readonly closed: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
}

const TYPES: Readonly<Record<string, SocketType>> = {
  Pair: "pair",
  Publisher: "pub",
  Subscriber: "sub",
  XPublisher: "xpub",
  XSubscriber: "xsub",
  Push: "push",
  Pull: "pull",
  Request: "req",
  Reply: "rep",
  Dealer: "dealer",
  Router: "router",
};

/** The model's type name of a zeromq.js socket, from its class (`XPublisher` → `xpub`); `pair` when unknown. */
export function socketTypeOf(socket: object): SocketType {
  for (let p: object | null = Object.getPrototypeOf(socket); p !== null; p = Object.getPrototypeOf(p)) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && TYPES[name] !== undefined) return TYPES[name];
  }
  return "pair";
}

const nativeThen = Promise.prototype.then;

/**
 * What the guard tracks for one socket. It is the rules' `SocketView` itself, so
 * `socketBreach` reads it without copying. In lean mode (see lean.ts) `pendingSend` and
 * `pendingRecv` stay null, and `lastSend`/`lastRecv` say what may be in flight.
 */
export class SocketRecord implements SocketView {
  readonly ctx: GuardContext;
  readonly raw: RawSocket;
  readonly name: string;
  readonly type: SocketType;
  private readonly site: () => string;
  /** The actor that created (or guarded) the socket. */
  readonly creator: ActorId;
  owner: ActorId;
  /** Closed through the guard. */
  closed = false;
  /** Step of the close, -1 while open. */
  closedAt = -1;
  /** Who closed it through the guard (lean mode names the closer when a close rejected an unobserved op). */
  closedBy: ActorId | null = null;
  /** How the socket first joined an endpoint (`bind` or `connect`) and where, for reports; null until it does. */
  joined: { readonly role: "bind" | "connect"; readonly address: string; readonly linger: number } | null = null;
  /** Every endpoint the socket bound or connected to, as `links.ts` compares them. */
  readonly endpoints: string[] = [];
  /** Endpoint keys of tcp ports the system picked for a wildcard bind of this socket (`tcp://127.0.0.1:*`): only the program knows them. */
  readonly picked: string[] = [];
  /** Bound or connected over tcp or ipc (messages go through libzmq's I/O thread, so they take real time). */
  network = false;
  /** Lean mode: the last send issued (the only one that can be in flight). */
  readonly lastSend = new IssuedOp("send");
  /** Lean mode: the last receive issued. */
  readonly lastRecv = new IssuedOp("recv");
  /** Lean mode, once the socket has been polled: the reaction pair every receive gets (see lean.ts). */
  onWatchedRecv: [(value: unknown) => unknown, (error: unknown) => never] | null = null;
  // invariant: pendingSend is null or the newest entry of sends
  pendingSend: PendingRecord | null = null;
  // invariant: pendingRecv is null or the newest entry of recvs
  pendingRecv: PendingRecord | null = null;
  lostWakeup = false;
  /** The program's last read of `readable` gave true and no receive was issued since: its message is in the socket. */
  readableSeen = false;
  /** Sends issued whose real promise has not settled yet, oldest first (they settle in this order). */
  readonly sends: PendingRecord[] = [];
  /** Receives issued whose real promise has not settled yet, oldest first. */
  readonly recvs: PendingRecord[] = [];
  /** Plain mode: reactions on the real promises, made once per socket (ops of one direction settle in issue order). */
  onSend: [(value: unknown) => void, (error: unknown) => void] | null = null;
  onRecv: [(value: unknown) => void, (error: unknown) => void] | null = null;
  /** Prototype given to send promises: its `constructor` getter notes that someone awaits or chains them. */
  readonly sendProto: object;
  /** Same for receive promises. */
  readonly recvProto: object;

  /** `createdAt`: one stack line, where the socket was created or guarded (written when first read). */
  constructor(ctx: GuardContext, raw: RawSocket, name: string, owner: ActorId, createdAt: string | (() => string)) {
    this.ctx = ctx;
    this.raw = raw;
    this.name = name;
    this.type = socketTypeOf(raw);
    this.owner = owner;
    this.creator = owner;
    this.site = typeof createdAt === "string" ? () => createdAt : createdAt;
    this.sendProto = observingPrototype(this.sends);
    this.recvProto = observingPrototype(this.recvs);
  }

  /** One stack line: where the socket was created or guarded. */
  get createdAt(): string {
    return this.site();
  }
}

/**
 * A prototype for op promises whose `constructor` and `then` getters mark the op observed.
 * `await p`, `p.catch`, `p.finally` and `Promise.all/race/allSettled([p])` read
 * `p.constructor` (spec: PromiseResolve and SpeciesConstructor); `p.then(...)`, and adopting
 * `p` as the result of another promise (`return p` from an async function or a `.then`
 * callback, `resolve(p)`) read `p.then`. So this sees every way of attaching a handler, without
 * adding a tick to `await`.
 */
function observingPrototype(inFlight: readonly PendingRecord[]): object {
  const observe = (p: unknown): void => {
    for (let i = inFlight.length - 1; i >= 0; i--) {
      const r = inFlight[i];
      if (r !== undefined && r.promise === p) {
        r.observed = true;
        break;
      }
    }
  };
  return Object.create(Promise.prototype, {
    constructor: {
      configurable: true,
      get(this: unknown): PromiseConstructor {
        observe(this);
        return Promise;
      },
    },
    then: {
      configurable: true,
      get(this: unknown): typeof Promise.prototype.then {
        observe(this);
        return nativeThen;
      },
    },
  });
}
