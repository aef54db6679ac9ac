import { mayLink } from "../guard/endpoints.js";
import type { SocketRecord } from "../guard/socket-record.js";
import { realNow } from "./real-time.js";

/** Sockets whose send waits while no peer has joined (a PUB, a ROUTER or an XPUB drops instead). */
const WAITS_FOR_A_PEER: ReadonlySet<string> = new Set(["push", "dealer", "req", "pair"]);

/**
 * Peers that have not joined yet (R21 in docs/binding-timing.md). Over tcp a connection joins
 * the socket it connects to when libzmq's I/O thread has done the handshake, some hundreds of
 * microseconds after `connect()`. A bound PUSH whose PULLs all connected in the turn it sends in
 * finds no peer: its send waits (92 to 96 of 100 trials, `test/binding/connect-race.test.ts`)
 * and completes from the event loop once handshakes are done, and what it sent and what the
 * sends right after it send go to the peers that joined by then. An instrumented run's turns
 * take longer, so some handshakes, not all, are done before the program's next line: the send
 * would complete at once, its message going to the first peer alone, and the sends after it,
 * resumed later by the scheduler, to every peer (an order of peers the binding gives about 1 in
 * 100 times).
 *
 * So before such a send the scheduler gives the handshakes their time (`settle`: the thread
 * sleeps, libzmq's I/O thread works), and then holds the send as one that waited: it completes
 * from the scheduler, a race with the other completions on the network, and the sends after it
 * find the same peers it found. Connections that land late (R19) are not there yet.
 * The turns are the scheduler's: a completion handed over or a timer fired starts one.
 */
export class Joins {
  private turn = 0;
  /** The turn each socket's last connection landed in. */
  private readonly landedIn = new WeakMap<SocketRecord, number>();
  /** Real time and turn of the last connection that landed. */
  private lastLanded = -Infinity;
  private lastLandedTurn = -1;
  /** The turn the thread last slept in for handshakes, until another connection lands (later sends need not sleep again). */
  private sleptIn = -1;
  /** Sockets about to send after `settle` (their send is held once it completes). */
  private readonly settled = new WeakSet<SocketRecord>();
  /** Blocks the thread without using the CPU (the I/O threads doing the handshakes need it). */
  private readonly still = new Int32Array(new SharedArrayBuffer(4));

  private sleep(ms: number): void {
    Atomics.wait(this.still, 0, 0, ms);
  }

  /** The scheduler took a turn. */
  turnTaken(): void {
    this.turn++;
  }

  /** A connection of `socket` landed (its real `connect` was made) now. */
  connected(socket: SocketRecord): void {
    this.landedIn.set(socket, this.turn);
    this.lastLanded = realNow();
    this.lastLandedTurn = this.turn;
    this.sleptIn = -1;
  }

  /**
   * Would a send on `socket` find no peer that joined in the binding? It is a socket whose send
   * waits for a peer, bound over tcp to ports only this run knows (no peer from outside), with
   * at least one peer of the run connected in this very turn and none connected earlier (a
   * peer whose connection has not landed yet has not joined either).
   */
  waitsForPeers(socket: SocketRecord): boolean {
    // Nothing landed in this turn (every send but those right after a connect): no peer is new.
    if (this.lastLandedTurn !== this.turn) return false;
    if (!socket.network || !WAITS_FOR_A_PEER.has(socket.type) || socket.picked.length === 0) return false;
    for (const e of socket.endpoints) if (e !== "tcp:*" && !socket.picked.includes(e)) return false;
    let now = 0;
    for (const peer of socket.ctx.sockets) {
      if (peer === socket || peer.raw.closed || !mayLink(peer.endpoints, socket.endpoints)) continue;
      const landed = this.landedIn.get(peer);
      if (landed === undefined) continue;
      if (landed !== this.turn) return false;
      now++;
    }
    return now > 0;
  }

  /**
   * The program is about to send on `socket`: when its peers have not joined in the binding,
   * gives their handshakes time once (the thread sleeps, libzmq's I/O thread works) and notes the
   * socket, whose send is then held (`held`). A PUSH (which never receives, so reading its
   * events loses no wakeup) waits until its first peer joined, then as long again as that
   * took (the others connected within microseconds of it; on a loaded machine every handshake
   * takes longer), at most `limitMs`; other sockets wait `ms` after the last connection.
   */
  settle(socket: SocketRecord, ms: number, limitMs: number): void {
    if (!this.waitsForPeers(socket)) return;
    this.settled.add(socket);
    if (this.sleptIn === this.turn) return;
    this.sleptIn = this.turn;
    const start = this.lastLanded;
    let until = start + ms;
    if (socket.type === "push") {
      const raw = socket.raw as unknown as { readonly writable: boolean };
      const limit = start + limitMs;
      while (!raw.writable && realNow() < limit) this.sleep(0.05);
      const first = realNow();
      until = Math.min(limit, first + Math.max(first - start, 0.2));
    }
    for (let left = until - realNow(); left > 0; left = until - realNow()) this.sleep(Math.min(left, 0.1));
  }

  /** Is this send on `socket` one to hold (it came after `settle`)? Asked once per send. */
  held(socket: SocketRecord): boolean {
    return this.settled.delete(socket);
  }
}
