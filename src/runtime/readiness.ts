import type { Interleaving } from "../interleaving/types.js";
import { predictReadable, predictWritable } from "../model/model.js";
import type { ModelState } from "../model/state.js";
import { Observed } from "./compare.js";
import type { ReadinessCheck } from "./protocol.js";
import { watchesBinder } from "./setup.js";

/**
 * What the executor checks on the real sockets after a turn, from the model's state: the
 * readiness it predicts, and the tcp connecters that must notice their binder's close.
 */

/** Readiness the model predicts, by socket, for sockets with no op in flight (polling then is harmless). */
export function predictedReadiness(x: Interleaving, state: ModelState, dead: ReadonlySet<number>): Map<string, ReadinessCheck[]> {
  const out = new Map<string, ReadinessCheck[]>();
  state.sockets.forEach((s, i) => {
    const spec = x.scenario.sockets[i];
    if (spec === undefined || s.closed || s.pendingRecv !== null || s.pendingSend !== null || dead.has(spec.owner.thread)) return;
    // Readable only where the model is sure: what may still be on its way is settled by the
    // next op that looks (the model then follows what it saw).
    const readable = predictReadable(state, spec.id);
    const checks: ReadinessCheck[] = [{ socket: spec.id, event: "writable", expected: predictWritable(state, spec.id) }];
    if (!readable || s.inbox.some((m) => m.sure && m.arrived)) checks.unshift({ socket: spec.id, event: "readable", expected: readable });
    out.set(spec.id, checks);
  });
  return out;
}

/** The checks of `after` that differ from `before`, by the thread that owns the socket. */
export function changedReadiness(x: Interleaving, before: ReadonlyMap<string, readonly ReadinessCheck[]>, after: ReadonlyMap<string, readonly ReadinessCheck[]>): Map<number, ReadinessCheck[]> {
  const byThread = new Map<number, ReadinessCheck[]>();
  for (const [id, checks] of after) {
    const old = before.get(id);
    const changed = checks.filter((c) => old?.find((o) => o.event === c.event)?.expected !== c.expected);
    if (changed.length === 0) continue;
    const thread = x.scenario.sockets.find((s) => s.id === id)?.owner.thread ?? -1;
    byThread.set(thread, [...(byThread.get(thread) ?? []), ...changed]);
  }
  return byThread;
}

/** Sockets closed so far, by index. */
export function closedSockets(state: ModelState): Set<number> {
  const out = new Set<number>();
  state.sockets.forEach((s, i) => {
    if (s.closed) out.add(i);
  });
  return out;
}

/**
 * Over tcp, the live connecters that must notice that their binder closed since
 * `closedBefore` (those whose fate depends on it), by thread.
 */
export function disconnectsToSee(x: Interleaving, state: ModelState, closedBefore: ReadonlySet<number>, dead: ReadonlySet<number>): Map<number, string[]> {
  const { sockets } = x.scenario;
  const byThread = new Map<number, string[]>();
  if (x.scenario.transport !== "tcp") return byThread;
  state.sockets.forEach((s, i) => {
    const spec = sockets[i];
    if (!s.closed || closedBefore.has(i) || spec?.role !== "bind") return;
    sockets.forEach((c, j) => {
      if (c.endpoint !== spec.endpoint || c.role !== "connect" || !watchesBinder(c) || state.sockets[j]?.closed === true || dead.has(c.owner.thread)) return;
      byThread.set(c.owner.thread, [...(byThread.get(c.owner.thread) ?? []), c.id]);
    });
  });
  return byThread;
}

/** Pending receives whose wakeup is at risk, by op key. */
export function provisionalRisks(state: ModelState): string[] {
  return state.sockets.flatMap((s) => (s.wakeAtRisk && s.pendingRecv !== null ? [Observed.key(s.pendingRecv.actor, s.pendingRecv.index)] : []));
}
