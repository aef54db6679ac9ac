import { mayLink } from "../guard/endpoints.js";
import type { PendingRecord } from "../guard/pending.js";
import type { SocketRecord } from "../guard/socket-record.js";
import { PROXY_THREAD } from "../interleaving/actor.js";
import type { DeliveryRule } from "./delivery-options.js";

/** A deferred op that really finished and waits to be handed to its caller. */
export interface Held {
  readonly socket: SocketRecord;
  readonly record: PendingRecord;
  readonly ok: boolean;
  readonly value: unknown;
  // invariant: seq grows in the order the real completions happened
  readonly seq: number;
  /** Virtual time when it was held (real ms without a clock). */
  readonly heldAt: number;
}

/**
 * Do the socket's completions race (come in at times set by another thread)? Over tcp and ipc
 * they do (libzmq's I/O thread, R10), and over inproc when the socket is linked to a proxy's
 * socket: the proxy forwards on a thread of its own (R15: the issue order of two inproc
 * receives, kept 200/200 without a proxy, was reversed in 49 to 166 of 200 trials through one).
 */
export function racing(socket: SocketRecord): boolean {
  if (socket.network) return true;
  for (const s of socket.ctx.sockets) if (s.owner.thread === PROXY_THREAD && s !== socket && mayLink(s.endpoints, socket.endpoints)) return true;
  return false;
}

/**
 * What may happen next, oldest first: held completions that wait neither for an older
 * completion of their own socket nor for a held send of their message; of the ops held as the
 * 513th in a row, only the newest (zeromq.js runs deferred ops last-issued first), and nothing
 * that came after the oldest of them (they run at the end of the event-loop turn they were
 * issued in); then a timer due now (`timerDue`), unless such an op is held. `relaxed`: rules
 * switched off.
 */
export function candidatesOf(held: readonly Held[], relaxed: ReadonlySet<DeliveryRule>, timerDue: () => boolean): (Held | "timer")[] {
  const out: (Held | "timer")[] = [];
  const sockets = new Set<SocketRecord>();
  const ordered = !relaxed.has("deferred-order");
  const simulated = held.filter((h) => h.record.simulated);
  const until = ordered ? (simulated[0]?.seq ?? Infinity) : Infinity;
  const newest = simulated[simulated.length - 1];
  for (const h of held) {
    if (h.record.simulated && ordered) {
      if (h === newest) out.push(h);
      continue;
    }
    if (h.seq > until) continue;
    // One socket's completions come out in the order they happened: a Request's pending send
    // completes only after its receive did, in the same callback, and zeromq.js resolves them in that order.
    const first = !sockets.has(h.socket) || relaxed.has("socket-order");
    sockets.add(h.socket);
    if (first && !waitsForSend(held, h, relaxed)) out.push(h);
  }
  if (until === Infinity && timerDue()) out.push("timer");
  return out;
}

/** Is `h` a held receive whose message may come from a send that completed before it and is still held (R3)? */
export function waitsForSend(held: readonly Held[], h: Held, relaxed: ReadonlySet<DeliveryRule>): boolean {
  if (h.record.kind !== "recv" || relaxed.has("send-before-receive")) return false;
  for (const g of held) {
    if (g.seq >= h.seq) break;
    if (g.record.kind === "send" && (g.socket === h.socket || mayLink(g.socket.endpoints, h.socket.endpoints))) return true;
  }
  return false;
}
