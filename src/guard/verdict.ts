import { setImmediate as nextTurn } from "node:timers/promises";
import type { ActorId, Op } from "../interleaving/types.js";
import { stuckSentence } from "../model/sentences.js";
import type { PendingOp, Rule } from "../model/verdict.js";
import type { GuardContext } from "./context.js";
import type { OwnershipError } from "./ownership-error.js";
import type { CompletionScheduler } from "./scheduler.js";

/**
 * How a guarded run of user code ended: every call legal and nothing left pending (`ok`), a
 * rule broken (`violation`), an op left pending when the code was done (`stuck`), the code
 * threw something else (`error`), or a time limit ran out (`unknown`, never a pass).
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
  | { readonly kind: "stuck"; readonly pending: readonly PendingOp[]; readonly message: string }
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

/**
 * Waits until the scheduler holds nothing and `quiet` loop turns pass without a new op, then
 * judges the end state. Returns `unknown` when `deadline` (a `performance.now()` time) passes first.
 */
export async function settleRun(ctx: GuardContext, scheduler: CompletionScheduler, deadline: number, quiet = 5): Promise<GuardVerdict> {
  let calm = 0;
  let seen = ctx.step;
  while (calm < quiet) {
    if (performance.now() > deadline) {
      return { kind: "unknown", reason: "time limit", message: "the time limit ran out while waiting for the program's socket operations to settle; this is not a pass." };
    }
    await nextTurn();
    if (scheduler.pending === 0 && ctx.step === seen) calm++;
    else calm = 0;
    seen = ctx.step;
  }
  const first = ctx.violations[0];
  if (first !== undefined) return violationVerdict(first);
  const pending = pendingOf(ctx);
  const p = pending[0];
  if (p !== undefined) return { kind: "stuck", pending, message: stuckSentence(p, pending.length) };
  return { kind: "ok" };
}
