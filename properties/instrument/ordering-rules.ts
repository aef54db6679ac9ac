import type { DeliveryEvent } from "../../src/instrument/delivery.js";
import { mayLink } from "../../src/guard/endpoints.js";

type Hold = Extract<DeliveryEvent, { kind: "hold" }>;

/**
 * The orders zeromq.js can produce (docs/binding-timing.md), checked on what a delivery
 * scheduler did with the completions of one run. Returns the first breach in words, or null.
 * Written from the measured rules, apart from the scheduler's code:
 *
 * - R1: an op that completed inside its call resumes its caller in that turn: it is never held,
 *   except as a hazard (the 513th op), when it is a receive whose message a held send may have
 *   sent (in the run's world that send has not gone out), or when it is a tcp send whose peers
 *   had not joined yet in the binding (R21: they all connected in its turn), or when it is a
 *   receive over the network (tcp, ipc, through a proxy), whose message could as well have
 *   still been on its way (R25).
 * - R3: a receive is not handed over while a send that completed before it, on a socket that
 *   may be linked to it, is still held.
 * - R5/R11: one socket's completions are handed over in the order they happened (ops held as
 *   the 513th excepted), unless a close hands them over.
 * - R10/R11: inproc completions are handed over in the order they happened.
 * - R7/R9: ops held as the 513th come out last-issued first, and nothing that came after the
 *   oldest of them comes out before it.
 * - R5: a send that completes at once on an inproc socket completes the socket's held receive
 *   inside the call (unless a send of its message is still held), and the receiver resumes
 *   first: no such receive is still held when the send's caller resumes. What comes out inside
 *   the call comes out ahead of older inproc completions of other sockets (no poll callback runs).
 */
export function orderingBreach(trace: readonly DeliveryEvent[]): string | null {
  const held = new Map<number, Hold>();
  const linked = (a: Hold, b: Hold): boolean => a.socket === b.socket || mayLink(a.endpoints, b.endpoints);
  const waitsForSend = (h: Hold): boolean => [...held.values()].some((g) => g.seq < h.seq && g.op === "send" && linked(g, h));
  for (const [i, e] of trace.entries()) {
    if (e.kind === "in-call") {
      if (e.op !== "send" || e.network) continue;
      const recv = [...held.values()].find((g) => g.socket === e.socket && g.op === "recv" && !g.simulated && !waitsForSend(g));
      if (recv !== undefined) return `R5: a send on ${e.socket} completed at once while its receive (#${recv.seq}), whose message had come in, was still held`;
      continue;
    }
    if (e.kind === "hold") {
      if (e.atOnce && !e.simulated && !(e.joining && e.op === "send" && e.network) && !(e.op === "recv" && e.network)) {
        const cause = e.op === "recv" && [...held.values()].some((g) => g.op === "send" && linked(g, e));
        if (!cause) return `R1: ${e.socket}.${e.op} (#${e.seq}) completed inside its call but was held`;
      }
      held.set(e.seq, e);
      continue;
    }
    const h = held.get(e.seq);
    if (h === undefined) return `delivery #${e.seq} of a completion never held`;
    held.delete(e.seq);
    if (e.atClose) continue;
    const older = [...held.values()].filter((g) => g.seq < h.seq);
    if (h.op === "recv") {
      const send = older.find((g) => g.op === "send" && linked(g, h));
      if (send !== undefined) return `R3: ${h.socket}.recv (#${h.seq}) handed over while ${send.socket}.send (#${send.seq}), completed before it, was still held`;
    }
    if (!h.simulated) {
      const same = older.find((g) => g.socket === h.socket && !g.simulated);
      if (same !== undefined) return `R5/R11: ${h.socket}.${h.op} (#${h.seq}) handed over before the older ${same.socket}.${same.op} (#${same.seq}) of the same socket`;
      // Inside the call of an op of its socket (the in-call event after these deliveries), no poll callback orders it.
      const call = e.inCall ? trace.slice(i + 1).find((x) => x.kind !== "deliver") : undefined;
      if (e.inCall && (call?.kind !== "in-call" || call.socket !== h.socket || call.network)) return `${h.socket}.${h.op} (#${h.seq}) handed over inside a call that is not an at-once op of its inproc socket`;
      if (!h.network && !e.inCall) {
        const inproc = older.find((g) => !g.network && !g.simulated);
        if (inproc !== undefined) return `R10/R11: inproc ${h.socket}.${h.op} (#${h.seq}) handed over before the older inproc ${inproc.socket}.${inproc.op} (#${inproc.seq})`;
      }
      const deferred = older.find((g) => g.simulated);
      if (deferred !== undefined) return `R7: ${h.socket}.${h.op} (#${h.seq}) came after ${deferred.socket}.${deferred.op} (#${deferred.seq}), held as the 513th op, and was handed over first`;
    } else {
      const newer = [...held.values()].find((g) => g.simulated && g.seq > h.seq);
      if (newer !== undefined) return `R9: ${h.socket}.${h.op} (#${h.seq}) held as the 513th op came out before the later one, ${newer.socket}.${newer.op} (#${newer.seq})`;
    }
  }
  return null;
}
