import type { Interleaving } from "../interleaving/types.js";
import { predictReadable, predictWritable, predictWritableUnaware } from "../model/model.js";
import type { ModelState } from "../model/state.js";
import { Observed } from "./compare.js";
import type { HostHandle } from "./handle.js";
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
    const writable = predictWritable(state, spec.id);
    const checks: ReadinessCheck[] = [{ socket: spec.id, event: "writable", expected: writable, ...(!writable && s.peerGone !== null && predictWritableUnaware(state, spec.id) ? { peerGone: true as const } : {}) }];
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

/** Where a readiness check that failed ends the run (a divergence at `step`). */
export type ReadinessDiverged = (step: number, expected: string, actual: string) => never;

/**
 * The readiness checks after each turn. The main thread's are made at once; a worker's wait
 * for the next request that thread gets anyway, if that is the next turn's (its host makes
 * them before it issues the turn), and are otherwise made, every thread at once, before
 * anything else runs: nothing on another thread may change a socket's readiness first.
 */
export class ReadinessChecks {
  private readonly waiting = new Map<number, { readonly checks: ReadinessCheck[]; readonly step: number }>();
  private readonly hostOf: (thread: number) => HostHandle;
  private readonly observed: Observed;
  private readonly timeoutMs: number;
  private readonly diverged: ReadinessDiverged;

  constructor(hostOf: (thread: number) => HostHandle, observed: Observed, timeoutMs: number, diverged: ReadinessDiverged) {
    this.hostOf = hostOf;
    this.observed = observed;
    this.timeoutMs = timeoutMs;
    this.diverged = diverged;
  }

  /** After the turn that ended at `step`: the checks, by thread, of what its end changed. */
  async after(byThread: ReadonlyMap<number, ReadinessCheck[]>, step: number): Promise<void> {
    for (const [thread, checks] of byThread) if (thread !== 0) this.waiting.set(thread, { checks, step });
    const local = byThread.get(0);
    if (local !== undefined) this.read(local, await this.hostOf(0).request({ cmd: "readiness", checks: local, timeoutMs: this.timeoutMs }), step);
  }

  /** Makes the waiting checks of every thread but `keep`, at once. */
  async flush(keep: number | null): Promise<void> {
    const due = [...this.waiting].filter(([thread]) => thread !== keep);
    for (const [thread] of due) this.waiting.delete(thread);
    const replies = await Promise.all(due.map(([thread, w]) => this.hostOf(thread).request({ cmd: "readiness", checks: w.checks, timeoutMs: this.timeoutMs })));
    due.forEach(([, w], k) => this.read(w.checks, replies[k] ?? [], w.step));
  }

  /** The checks that go with the next request to `thread`, made by its host first. */
  take(thread: number): { readonly checks: ReadinessCheck[]; readonly step: number } | undefined {
    const w = this.waiting.get(thread);
    this.waiting.delete(thread);
    return w;
  }

  /** A host's answer to `checks`: those that did not show in time. */
  read(checks: readonly ReadinessCheck[], wrong: readonly ReadinessCheck[], step: number): void {
    const differs = (c: ReadinessCheck) => wrong.some((w) => w.socket === c.socket && w.event === c.event);
    // A socket that would read writable through its closed peer's pipe, and now reads false,
    // has noticed the close (a REQ waiting for its reply reads false either way).
    for (const c of checks) if (c.event === "writable" && c.peerGone === true && !differs(c)) this.observed.noticedGone.add(c.socket);
    const first = wrong[0];
    if (first !== undefined) this.diverged(step, `${first.socket}.${first.event} reads ${first.expected}`, `it still reads ${!first.expected} after ${this.timeoutMs} ms`);
  }
}
