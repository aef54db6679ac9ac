import { sameActor } from "../interleaving/actor.js";
import type { ActorId, Op, Ownership } from "../interleaving/types.js";
import type { ModelRule, Rule } from "./verdict.js";

/**
 * The step rules of the zeromq.js profile, over a minimal view of a socket. The model's
 * engine and the runtime guard both decide with these functions, so a rule has one home.
 */

/** An op in flight, as a rule sees it. */
export interface PendingView {
  readonly actor: ActorId;
  readonly index: number;
  readonly step: number;
  readonly op: Op;
  readonly nowait: boolean;
}

/** What a rule needs to know about one socket. */
export interface SocketView {
  readonly owner: ActorId;
  readonly closed: boolean;
  // invariant: at most one pending op per direction while the busy rules are on
  readonly pendingSend: PendingView | null;
  readonly pendingRecv: PendingView | null;
  /** A `poll` already took the pending receive's wakeup. */
  readonly lostWakeup: boolean;
}

/** A broken rule and the other op involved. */
export interface Breach {
  readonly rule: Rule;
  readonly other: PendingView | null;
}

/** Does `actor` own the socket under this ownership? */
export function isOwner(ownership: Ownership, s: SocketView, actor: ActorId): boolean {
  return ownership === "thread" ? s.owner.thread === actor.thread : sameActor(s.owner, actor);
}

/**
 * The rule `op` by `actor` breaks on socket `s`, or null. `messageWaiting` says whether a
 * receive that lost its wakeup would take a waiting message at close (then it does not reject).
 */
export function socketBreach(
  rules: ReadonlySet<ModelRule>,
  ownership: Ownership,
  s: SocketView,
  actor: ActorId,
  op: Exclude<Op, { kind: "exit" }>,
  messageWaiting: boolean,
  // Ops come in many object shapes, and a read of a field every kind has is slow: a caller that
  // has read the op's kind already passes it.
  kind: Op["kind"] = op.kind,
): Breach | null {
  if (!isOwner(ownership, s, actor) && rules.has("foreign-owner")) return { rule: "foreign-owner", other: null };
  // A socket cannot cross threads, open or closed.
  if (kind === "handoff" && (op as Extract<Op, { kind: "handoff" }>).to.thread !== s.owner.thread && rules.has("handoff-across-threads")) return { rule: "handoff-across-threads", other: null };
  if (s.closed) {
    return kind !== "close" && kind !== "handoff" && rules.has("use-after-close") ? { rule: "use-after-close", other: null } : null;
  }
  switch (kind) {
    case "send":
      return s.pendingSend !== null && rules.has("busy-send") ? { rule: "busy-send", other: s.pendingSend } : null;
    case "recv":
      return s.pendingRecv !== null && rules.has("busy-recv") ? { rule: "busy-recv", other: s.pendingRecv } : null;
    case "poll":
      return s.pendingRecv !== null && !s.lostWakeup && rules.has("lost-wakeup") ? { rule: "lost-wakeup", other: s.pendingRecv } : null;
    case "close": {
      if (!rules.has("unobserved-rejection")) return null;
      const recvSettlesWithMessage = s.lostWakeup && messageWaiting;
      if (s.pendingRecv?.nowait === true && !recvSettlesWithMessage) return { rule: "unobserved-rejection", other: s.pendingRecv };
      if (s.pendingSend?.nowait === true) return { rule: "unobserved-rejection", other: s.pendingSend };
      return null;
    }
    case "handoff": {
      const pending = s.pendingSend ?? s.pendingRecv;
      return pending !== null && rules.has("handoff-while-pending") ? { rule: "handoff-while-pending", other: pending } : null;
    }
    default:
      // subscribe, unsubscribe
      return null;
  }
}

/** For a worker exit by `actor`: the first socket (index) whose pending op the exit would tear down. */
export function exitBreach(rules: ReadonlySet<ModelRule>, sockets: readonly SocketView[], actor: ActorId): { socket: number; other: PendingView } | null {
  if (!rules.has("teardown-while-pending")) return null;
  for (let i = 0; i < sockets.length; i++) {
    const s = sockets[i];
    if (s === undefined || s.closed) continue;
    for (const p of [s.pendingSend, s.pendingRecv]) {
      if (p !== null && (p.actor.thread === actor.thread || s.owner.thread === actor.thread)) return { socket: i, other: p };
    }
  }
  return null;
}
