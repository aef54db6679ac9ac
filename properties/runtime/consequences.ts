import { describeOp } from "../../src/interleaving/describe.js";
import type { HistoryEvent, Interleaving, OpResult } from "../../src/interleaving/types.js";
import type { Violation } from "../../src/model/verdict.js";
import type { RealResult } from "../../src/runtime/protocol.js";
import type { RunResult } from "../../src/runtime/result.js";

/** What each rule's violating step really does in zeromq.js 6.8.0 (DESIGN.md's table). */

function resultOf(history: readonly HistoryEvent[], actor: { thread: number; task: number }, index: number): RealResult | undefined {
  const e = history.find((h) => h.kind === "return" && h.actor.thread === actor.thread && h.actor.task === actor.task && h.index === index);
  return e?.kind === "return" ? (e.result as RealResult) : undefined;
}

const BUSY_SEND = "Socket is busy writing; only one send operation may be in progress at any time";
const BUSY_RECV = "Socket is busy reading; only one receive operation may be in progress at any time";

/** What DESIGN.md says the violating op (or the op it hits) returns; null when that is right. */
export function consequenceProblem(x: Interleaving, r: RunResult, v: Violation): string | null {
  const got = resultOf(r.history, v.actor, v.index);
  const is = (want: OpResult & { message?: string }, res: RealResult | undefined, what: string) => {
    const ok = res !== undefined && res.kind === want.kind && (res.kind !== "error" || (want.kind === "error" && res.code === want.code && res.sync === want.sync && (want.message === undefined || res.message === want.message))) && (res.kind !== "poll" || (want.kind === "poll" && res.value === want.value));
    return ok ? null : `${v.rule}: ${what} should give ${JSON.stringify(want)}, got ${JSON.stringify(res ?? "nothing")}`;
  };
  // A hazard this run's timing dodged: the op it would collide with had already returned.
  const at = (kind: "invoke" | "return", a: { thread: number; task: number }, index: number) => r.history.findIndex((e) => e.kind === kind && e.actor.thread === a.thread && e.actor.task === a.task && e.index === index);
  const dodged = v.other !== null && at("return", v.other.actor, v.other.index) >= 0 && at("return", v.other.actor, v.other.index) < at("invoke", v.actor, v.index);
  if (dodged) return null;
  switch (v.rule) {
    case "busy-send":
      return is({ kind: "error", code: "EBUSY", sync: true, message: BUSY_SEND }, got, describeOp(v.op));
    case "busy-recv":
      return is({ kind: "error", code: "EBUSY", sync: true, message: BUSY_RECV }, got, describeOp(v.op));
    case "use-after-close":
      if (v.op.kind === "send" || v.op.kind === "recv") return is({ kind: "error", code: "EBADF", sync: true, message: "Socket is closed" }, got, describeOp(v.op));
      if (v.op.kind === "subscribe" || v.op.kind === "unsubscribe") return is({ kind: "error", code: x.scenario.sockets.find((s) => s.id === v.socket)?.type === "xsub" ? "EBADF" : "ENOTSOCK", sync: true }, got, describeOp(v.op));
      if (v.op.kind === "poll") return is({ kind: "poll", value: false }, got, describeOp(v.op));
      return null;
    case "unobserved-rejection": {
      // It rejects (EAGAIN, or EFSM on a REQ/REP), unless this run's timing had a message
      // waiting that close() handed over (the hazard stands; the model predicted which).
      const other = v.other === null ? undefined : resultOf(r.history, v.other.actor, v.other.index);
      const ok = (other?.kind === "error" && !other.sync && (other.code === "EAGAIN" || other.code === "EFSM")) || other?.kind === "message" || other?.kind === "done";
      return ok ? null : `unobserved-rejection: the fire-and-forget op should settle at close, got ${JSON.stringify(other ?? "nothing")}`;
    }
    default:
      // foreign-owner within a thread, handoffs, lost-wakeup, teardown: nothing the op itself
      // returns; the model's step-by-step agreement (no divergence) covers what follows.
      return null;
  }
}

export function unguardedProblem(x: Interleaving, r: RunResult): string | null {
  if (r.verdict.kind === "diverged") return r.verdict.message;
  if (r.verdict.kind === "unknown" && r.verdict.reason !== "not-executable") return r.verdict.message;
  for (const v of r.violations) {
    // A step the executor could not run (a socket on another thread) has no consequence to check.
    if (!r.history.some((e) => e.kind === "invoke" && e.actor.thread === v.actor.thread && e.actor.task === v.actor.task && e.index === v.index)) continue;
    const p = consequenceProblem(x, r, v);
    if (p !== null) return p;
  }
  return null;
}

