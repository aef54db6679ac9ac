import { PROXY_THREAD } from "../interleaving/actor.js";
import type { SocketType } from "../interleaving/types.js";
import type { PendingRecord } from "../guard/pending.js";
import type { SocketRecord } from "../guard/socket-record.js";
import { mayLink } from "../guard/endpoints.js";
import { realNow } from "./real-time.js";

/** Sockets whose one send may reach every linked peer (so it is counted once per peer). */
const FAN_OUT: ReadonlySet<SocketType> = new Set(["pub", "xpub", "xsub"]);
/** Sockets that receive what no send of the run made (an XPUB gets its subscribers' subscriptions). */
const UNCOUNTED_SOURCES: ReadonlySet<SocketType> = new Set(["xpub"]);

/**
 * Does `s` make messages no send counts? A Stream delivers connect and disconnect
 * notifications, `probeRouter` sends an empty message on every connection, and an XPUB's
 * `welcomeMessage` goes to every subscriber that connects. (A closed socket sends nothing.)
 */
function sendsUncounted(s: SocketRecord): boolean {
  if (s.raw.closed) return false;
  for (let p: object | null = Object.getPrototypeOf(s.raw) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    if ((p as { constructor?: { name?: unknown } }).constructor?.name === "Stream") return true;
  }
  const options = s.raw as unknown as { readonly probeRouter?: unknown; readonly welcomeMessage?: unknown };
  try {
    return options.probeRouter === true || (s.type === "xpub" && options.welcomeMessage !== null && options.welcomeMessage !== undefined);
  } catch {
    return true;
  }
}

/**
 * How the scheduler decides that nothing is on its way over the network before it moves the
 * virtual clock while a tcp or ipc op waits:
 * - `"counted"` (default): it waits only while a counted message may still arrive, or after
 *   something whose effects travel uncounted (a bind, connect or subscription);
 * - `"always"`: it always waits, and in full, even past the next timer's delay (wrong: the real
 *   loop fires a timer when it is due, whatever is on its way, R18; kept as the evidence);
 * - `"sends-only"`: it counts messages and ignores binds, connects and subscriptions, and peers
 *   in other processes (wrong: a subscription or a reply from another process still on its way
 *   is overtaken; kept as the evidence that they count).
 */
export type NetworkWait = "counted" | "always" | "sends-only";

/** What may still come to one socket. */
interface Incoming {
  /** Deliveries to it that may be on their way. */
  expected: number;
  /** Deliveries counted before the last full wait: arrived (queued) or dropped. */
  backlog: number;
}

/**
 * What may still be travelling to the run's sockets. A message sent over tcp reaches its peer
 * in real time, so before the virtual clock jumps to the next timer while a receive waits on
 * the network, the scheduler lets real time pass (a wait of quiet) so that the message arrives
 * first, as it would on a real loopback where timers take their full time. The wait is needed
 * only while something may still arrive for a waiting receive. Two counts tell, and either
 * one saying "nothing" is enough:
 *
 * - per socket: every send counts one delivery to each socket it may reach (every linked
 *   socket: a PUSH's message goes to one of its peers, a PUB's to each subscriber; counting it
 *   for all of them only keeps counts high); nothing comes to the waiting receives' sockets;
 * - for the run: every send counts the deliveries it may make (one; one per linked peer for
 *   PUB, XPUB and XSUB, which fan out); nothing comes to any socket;
 * - every receive that got a message took one delivery, from both counts;
 * - a bind, connect or subscription on the network sets off what no count sees (handshakes,
 *   subscriptions): the next clock move waits in full;
 * - a full wait settles what was counted: it has arrived (queued, perhaps not yet received) or
 *   was dropped. Those deliveries move to a backlog, which receives take from first, so a
 *   later receive of an old queued message never cancels a new one on its way.
 *
 * Neither count falls below what is on its way: every delivery was counted
 * (`quiet` keeps out what is not: worker threads, whose sends are counted on their own
 * thread; a proxy, whose thread forwards uncounted; an XPUB, which receives subscriptions;
 * sockets that send on their own, `sendsUncounted`; and peers in other processes: a waiting
 * socket's every tcp endpoint must be a port the run's own wildcard bind got, which only the
 * program knows — a fixed port or an ipc path may have peers outside the process),
 * and a receive takes at most one. Counts that stay high cost a wait, never an order.
 */
export class Transit {
  private readonly mode: NetworkWait;
  private readonly incoming = new Map<SocketRecord, Incoming>();
  /** The run's count. */
  private readonly all: Incoming = { expected: 0, backlog: 0 };
  /** Each socket's linked sockets, as of the last bind or connect. */
  private readonly links = new Map<SocketRecord, SocketRecord[]>();
  /** A message no count saw was received: only a full wait settles that. */
  private unexpected = false;
  /** Real time of the last bind, connect or subscription on the network. */
  private changedAt = -Infinity;
  private readonly settleMs: number;
  private readonly now: () => number;

  /**
   * `settleMs`: real ms after a bind, connect or subscription within which what it set off
   * (handshakes, subscriptions) is taken to have arrived (the clock's full wait); `now`: real time.
   */
  constructor(mode: NetworkWait = "counted", settleMs = 20, now: () => number = realNow) {
    this.mode = mode;
    this.settleMs = settleMs;
    this.now = now;
  }

  /** A send on `socket` went out (completed at once, or its real completion came). */
  sent(socket: SocketRecord): void {
    let peers = this.links.get(socket);
    if (peers === undefined) {
      peers = socket.ctx.sockets.filter((s) => s !== socket && mayLink(socket.endpoints, s.endpoints));
      this.links.set(socket, peers);
    }
    for (const peer of peers) this.of(peer).expected++;
    this.all.expected += FAN_OUT.has(socket.type) ? Math.max(1, peers.length) : 1;
  }

  /** A receive on `socket` got a message. */
  received(socket: SocketRecord): void {
    if (UNCOUNTED_SOURCES.has(socket.type)) return;
    // A message no count saw: nothing can be told until the next full wait.
    if (!take(this.of(socket)) || !take(this.all)) this.unexpected = true;
  }

  /** `socket` bound, connected, subscribed or unsubscribed. */
  changed(socket: SocketRecord): void {
    this.links.clear();
    if (socket.network && this.mode === "counted") this.changedAt = this.now();
  }

  /** Is the clock's wait cut to the next timer's remaining delay (R18)? Not in `"always"`. */
  get capped(): boolean {
    return this.mode !== "always";
  }

  /**
   * May something set off outside the counts still be on its way: a bind, connect or
   * subscription less than `settleMs` of real time ago (its handshake or subscription travels
   * in libzmq's I/O thread, whatever the program does meanwhile), or a message no count saw?
   */
  get changing(): boolean {
    return this.unexpected || this.now() - this.changedAt < this.settleMs;
  }

  /** A full wait of quiet passed: whatever was on its way has arrived or was dropped. */
  settle(): void {
    for (const n of [...this.incoming.values(), this.all]) {
      n.backlog += n.expected;
      n.expected = 0;
    }
    this.unexpected = false;
    this.changedAt = -Infinity;
  }

  /**
   * Can nothing arrive for `waiting` (the ops in flight on the network, with their sockets)?
   * `threads`: worker threads of the run.
   */
  quiet(waiting: ReadonlyMap<PendingRecord, SocketRecord>, threads: number): boolean {
    if (this.mode === "always" || threads > 0 || this.changing) return false;
    let none = true;
    let ctx: SocketRecord["ctx"] | null = null;
    for (const [record, socket] of waiting) {
      if (record.kind !== "recv" || UNCOUNTED_SOURCES.has(socket.type)) return false;
      ctx = socket.ctx;
      if ((this.incoming.get(socket)?.expected ?? 0) > 0) none = false;
    }
    if (ctx === null) return true;
    const picked = new Set<string>();
    for (const s of ctx.sockets) {
      if (s.owner.thread === PROXY_THREAD || sendsUncounted(s)) return false;
      for (const key of s.picked) picked.add(key);
    }
    const mine = (key: string): boolean => key === "tcp:*" || key.startsWith("inproc://") || picked.has(key);
    if (this.mode === "counted") for (const socket of waiting.values()) if (!socket.endpoints.every(mine)) return false;
    return none || this.all.expected === 0;
  }

  private of(socket: SocketRecord): Incoming {
    let n = this.incoming.get(socket);
    if (n === undefined) this.incoming.set(socket, (n = { expected: 0, backlog: 0 }));
    return n;
  }
}

/** One delivery taken from a count (its backlog first); false when the count had none. */
function take(n: Incoming): boolean {
  if (n.backlog > 0) n.backlog--;
  else if (n.expected > 0) n.expected--;
  else return false;
  return true;
}
