import { setImmediate as nextTurn } from "node:timers/promises";
import type { ActorId, Op } from "../interleaving/types.js";
import type { PendingOp, Rule } from "../model/verdict.js";
import type { GuardContext } from "../guard/context.js";
import { OwnershipError } from "../guard/ownership-error.js";
import type { VirtualClock } from "./clock.js";
import type { DeliveryScheduler } from "./delivery.js";
import type { GuardRun } from "./guard-run.js";
import type { LaneMap } from "./lanes.js";
import { realNow } from "./real-time.js";
import { stuckMessage } from "./stuck.js";
import { taskOwnershipBreach } from "./task-ownership.js";

/**
 * How a guarded run of user code ended: every call legal and nothing left pending (`ok`), a
 * rule broken (`violation`), an op or a timer left pending when the code was done (`stuck`),
 * the code threw something else (`error`), or a time limit ran out or the kit could not check
 * the run faithfully (`unknown`, never a pass).
 */
export type GuardVerdict =
  | { readonly kind: "ok" }
  | {
      readonly kind: "violation";
      readonly rule: Rule;
      readonly error: OwnershipError;
      readonly step: number;
      readonly actor: ActorId;
      readonly op: Op;
      readonly message: string;
    }
  | {
      readonly kind: "stuck";
      /** Ops still pending on open sockets. */
      readonly pending: readonly PendingOp[];
      /** Timers still active (`setInterval(beat) at src/x.ts:3:5`): the process could not exit either. */
      readonly timers: readonly string[];
      readonly message: string;
    }
  | { readonly kind: "error"; readonly error: unknown; readonly message: string }
  | { readonly kind: "unknown"; readonly reason: string; readonly message: string };

/** The violation verdict for an ownership error. */
export function violationVerdict(error: OwnershipError): GuardVerdict {
  return { kind: "violation", rule: error.rule, error, step: error.step, actor: error.caller, op: error.op, message: error.message.replace(/^\[[a-z-]+\] /, "") };
}

/** Ops still in flight on open sockets, oldest first. */
export function pendingOf(ctx: GuardContext): PendingOp[] {
  const out: PendingOp[] = [];
  for (const s of ctx.sockets) {
    if (s.closed) continue;
    for (const p of [s.pendingRecv, s.pendingSend]) if (p !== null) out.push({ actor: p.actor, index: p.index, step: p.step, socket: s.name, op: p.op });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** How long settling may run the program's timers after its code returned. */
export interface SettleLimits {
  /** Timer callbacks fired while settling, at most. Default 10,000. */
  readonly timers?: number;
  /** Virtual ms the clock may move while settling, at most. Default one hour. */
  readonly virtualMs?: number;
}

/** How settling ended: everything settled, or timers kept firing past the limits. */
export type Settled = { readonly kind: "settled" } | { readonly kind: "timers-left"; readonly timers: readonly string[] } | { readonly kind: "time-limit" };

/**
 * Lets held completions drain and the program's timers fire (on virtual time) until nothing
 * is held, no timer is left and `quiet` loop turns pass without a new op (`others` counts the
 * ops of the run's worker threads). A timer that keeps
 * firing past the limits (an interval nobody clears) ends it as `timers-left`; the real
 * `deadline` (a `realNow()` time) as `time-limit`.
 */
export async function settle(
  ctx: GuardContext,
  scheduler: DeliveryScheduler,
  clock: VirtualClock | null,
  deadline: number,
  limits: SettleLimits = {},
  quiet = 5,
  others: () => number = () => 0,
): Promise<Settled> {
  const firedAtStart = scheduler.fired;
  const startedAt = clock?.now ?? 0;
  const maxTimers = limits.timers ?? 10_000;
  const maxVirtual = limits.virtualMs ?? 3_600_000;
  let calm = 0;
  let seen = ctx.step;
  let elsewhere = others();
  scheduler.wake();
  while (calm < quiet) {
    if (realNow() > deadline) return { kind: "time-limit" };
    if (clock !== null && clock.pending > 0 && (scheduler.fired - firedAtStart > maxTimers || clock.now - startedAt > maxVirtual)) {
      return { kind: "timers-left", timers: clock.describePending() };
    }
    // The kit's own wait: its promise needs no look at the stack to know whose it is.
    await (ctx.tasks.quiet?.(nextTurn) ?? nextTurn());
    const now = others();
    if (scheduler.idle && ctx.step === seen && now === elsewhere) calm++;
    else calm = 0;
    seen = ctx.step;
    elsewhere = now;
  }
  return { kind: "settled" };
}

/** How the user code's part of a run ended (a violation ends it at once, as "done"). */
export type Outcome = { readonly kind: "done" } | { readonly kind: "threw"; readonly error: unknown } | { readonly kind: "timeout" };

/**
 * The verdict of a run: its first violation by step (including task ownership, judged now
 * that every task is known), else an error the code threw, a time limit, or what was left
 * pending (ops, timers), else ok.
 */
export function judge(run: GuardRun, lanes: LaneMap, outcome: Outcome, settled: Settled | null, limitMs: number): GuardVerdict {
  const ctx = run.context;
  // Orders against a real-time timeout may be false: nothing the run found can be trusted.
  const timeout = run.realTimeouts[0];
  if (timeout !== undefined) {
    return {
      kind: "unknown",
      reason: "real-time socket timeout",
      message:
        `${timeout.socket} has ${timeout.option} ${String(timeout.value)}: zeromq.js times ${timeout.option === "receiveTimeout" ? "a receive" : "a send"} out in real time, while the run's timers and clock are virtual, so the kit cannot order that timeout against the program's timers and sleeps (it would put them in orders the binding never gives). ` +
        `Run with \`virtualTime: false\` (real timers, real timeouts), or time the op out with a timer (\`Promise.race\` with \`setTimeout\`); this is not a pass.`,
    };
  }
  const byTask = taskOwnershipBreach(ctx, lanes);
  const first = [...ctx.violations, ...(byTask === null ? [] : [byTask])].sort((a, b) => a.step - b.step)[0];
  if (first !== undefined) return violationVerdict(first);
  const timer = run.timerErrors[0];
  if (timer !== undefined) {
    const e = timer.error;
    return { kind: "error", error: e, message: `the callback of ${timer.timer} threw, and nothing catches an exception thrown from a timer: the process would end on it. ${e instanceof Error ? e.message : String(e)}` };
  }
  const threw = run.workerErrors[0];
  if (threw !== undefined) {
    return { kind: "error", error: threw.error, message: `worker thread w${threw.thread} threw and nobody caught it: ${threw.error.message} (the kit closed its sockets first, so the process went on)` };
  }
  if (outcome.kind === "threw") {
    const e = outcome.error;
    return OwnershipError.is(e) ? violationVerdict(e) : { kind: "error", error: e, message: `the code under test threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (outcome.kind === "timeout" || settled?.kind === "time-limit") {
    const pending = pendingOf(ctx);
    const what = pending.length === 0 ? "" : ` (${pending.length} op${pending.length === 1 ? "" : "s"} still pending, first ${pending[0]?.socket}.${pending[0]?.op.kind})`;
    const when = outcome.kind === "timeout" ? "did not finish" : "did not settle";
    return { kind: "unknown", reason: "time limit", message: `the code under test ${when} within ${limitMs} ms of real time${what}; this is not a pass.` };
  }
  const outside = run.outside[0];
  if (outside !== undefined) {
    const more = run.outside.length > 1 ? ` (and ${run.outside.length - 1} more such socket${run.outside.length > 2 ? "s" : ""})` : "";
    return {
      kind: "unknown",
      reason: "socket outside the run",
      message:
        `${outside.name}, created at ${outside.createdAt} before the run started (at module load or in a test's setup), was used by the run${more}: the kit cannot order its completions or check it with the run's sockets. ` +
        `Create the socket inside the function under test (or in code it calls) so it belongs to the run; this is not a pass.`,
    };
  }
  const pending = [...pendingOf(ctx), ...run.workerPending()].sort((a, b) => a.step - b.step);
  const timers = settled?.kind === "timers-left" ? settled.timers : [];
  if (pending.length > 0 || timers.length > 0) return { kind: "stuck", pending, timers, message: stuckMessage(pending, timers, (a) => ctx.tasks.describe(a)) };
  return { kind: "ok" };
}
