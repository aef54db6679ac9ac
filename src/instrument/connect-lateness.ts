import type { SocketRecord } from "../guard/socket-record.js";
import type { ChoicePoint, Selector } from "../schedule/strategy.js";

/** The two ways a connection point of `socket` can go: the connection lands now (0), or after the scheduler's next turn (1). */
function nowOrNextTurn(socket: SocketRecord): ChoicePoint {
  const resources = [`socket:${socket.name}`];
  return { kind: "race", candidates: [{ key: "lands", resources }, { key: "next-turn", resources }], current: -1 };
}

/** Sockets whose connect side sends no message of the program's (a SUB's subscriptions wait with it, guard.ts): landing later changes only when peers see them. */
const RECEIVE_ONLY = new Set(["pull", "sub"]);

/** A loopback tcp endpoint with a numeric port: the real connect cannot throw for it. */
const LOOPBACK = /^tcp:\/\/127\.0\.0\.1:\d+$/;

const NONE: readonly never[] = [];

interface Waiting {
  readonly socket: SocketRecord;
  readonly endpoint: string;
  readonly land: () => void;
}

/**
 * Connections that land late (R19 in docs/binding-timing.md). Over tcp a connection joins its
 * peer when libzmq's I/O thread has done the handshake, in real time: a PUSH's burst right
 * after its first PULL joined may reach only that one, or the first two, of three PULLs
 * connected in one block (test/binding/connect-race.test.ts). The kit makes that a race choice:
 * a PULL's or SUB's connect to a loopback tcp port asks a connection point, and when the answer
 * is late the real `connect` is made once the scheduler's next turn is over (a completion
 * handed over or a timer fired, and the microtasks it set off: a burst the resumed code sends
 * at once goes before it), or before the clock moves, whichever comes first. Connections to
 * one endpoint land in the order they were made (never seen otherwise): once one is late, the
 * later ones to that endpoint are late too, without a choice.
 *
 * Only receive-only sockets are held back. A connecting DEALER, PUSH or REQ has its pipe from
 * the call on (a send completes at once into it), so holding its connect back would change what
 * the program sees. A SUB sends its subscriptions down every pipe it has when it subscribes (its
 * new pipes get the whole set at once instead), and options apply to pipes made after they are
 * set: a subscription, an option set or any other call on the socket lands its connections
 * first (guard.ts), so the real socket sees the calls in the program's order.
 */
export class ConnectLateness {
  private readonly selector: Selector;
  private readonly waiting: Waiting[] = [];
  /** Endpoints with a late connection not landed yet. */
  private readonly late = new Set<string>();
  /** Connections that land when the turn the scheduler is taking (and its microtasks) is over. */
  private afterTurn: readonly Waiting[] = NONE;

  constructor(selector: Selector) {
    this.selector = selector;
  }

  /** Connections waiting to land. */
  get count(): number {
    return this.waiting.length;
  }

  /**
   * The program connects `socket` to `address`: true when the connection lands later (`land`
   * is then called by `land*` below, and the caller must not connect now).
   */
  connecting(socket: SocketRecord, address: unknown, land: () => void): boolean {
    if (!RECEIVE_ONLY.has(socket.type) || typeof address !== "string" || !LOOPBACK.test(address)) return false;
    if (!this.late.has(address)) {
      if (this.selector.select(nowOrNextTurn(socket)) === 0) return false;
      this.late.add(address);
    }
    this.waiting.push({ socket, endpoint: address, land });
    return true;
  }

  /** The connections waiting now (landed before the clock moves). */
  due(): readonly Waiting[] {
    return this.waiting.length === 0 ? NONE : [...this.waiting];
  }

  /** The scheduler takes a turn: the connections waiting now land once it is over (`turnOver`). */
  turnTaken(): void {
    if (this.waiting.length > 0) this.afterTurn = [...this.afterTurn, ...this.waiting];
  }

  /** The turn taken last is over: lands what it was to land. */
  turnOver(landed: (socket: SocketRecord) => void): void {
    if (this.afterTurn.length === 0) return;
    const due = this.afterTurn;
    this.afterTurn = NONE;
    this.land(due, landed);
  }

  /** Lands `these` (from `due`) that are still waiting; `landed` is told each socket. */
  land(these: readonly Waiting[], landed: (socket: SocketRecord) => void): void {
    for (const w of these) {
      const i = this.waiting.indexOf(w);
      if (i < 0) continue;
      this.waiting.splice(i, 1);
      if (!this.waiting.some((o) => o.endpoint === w.endpoint)) this.late.delete(w.endpoint);
      w.land();
      landed(w.socket);
    }
  }

  /** Lands every waiting connection of `socket` (before a subscription, option set or disconnect on it). */
  landFor(socket: SocketRecord, landed: (socket: SocketRecord) => void): void {
    if (this.waiting.length === 0) return;
    this.land(this.waiting.filter((w) => w.socket === socket), landed);
  }

  /** Drops `socket`'s waiting connections (it closed: they never land). */
  drop(socket: SocketRecord): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]?.socket === socket) this.waiting.splice(i, 1);
    this.late.clear();
    for (const w of this.waiting) this.late.add(w.endpoint);
  }

  /** Drops every waiting connection (the run is over). */
  clear(): void {
    this.waiting.length = 0;
    this.afterTurn = NONE;
    this.late.clear();
  }
}
