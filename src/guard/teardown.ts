import { writeSync } from "node:fs";
import type { Op } from "../interleaving/types.js";
import { exitBreach, type SocketView } from "../model/rules.js";
import { violationSentence } from "../model/sentences.js";
import type { GuardContext } from "./context.js";
import { leanView } from "./lean.js";
import { OwnershipError } from "./ownership-error.js";
import { isSettled } from "./settled.js";

const EXIT: Op = { kind: "exit" };

/**
 * Would this thread's exit now tear down a pending op (`teardown-while-pending`)? zeromq.js
 * aborts the whole process (exit code 134) when a worker ends with an op in flight, so ask
 * before the worker exits. Returns the error to throw, or null when the exit is safe.
 */
export function teardownBreach(ctx: GuardContext): OwnershipError | null {
  if (ctx.gate === null && ctx.tracked) {
    for (const s of ctx.sockets) {
      if (s.pendingSend?.promise != null && isSettled(s.pendingSend.promise)) s.pendingSend = null;
      if (s.pendingRecv?.promise != null && isSettled(s.pendingRecv.promise)) s.pendingRecv = null;
    }
  }
  // Lean sockets: what is in flight is read from the remembered promises (a rare path).
  const views: readonly SocketView[] = ctx.tracked ? ctx.sockets : ctx.sockets.map((s) => (s.closed ? s : leanView(s, true, true)));
  const actor = ctx.tasks.current();
  const breach = exitBreach(ctx.rules, views, actor);
  if (breach === null) return null;
  const s = ctx.sockets[breach.socket];
  if (s === undefined) return null;
  const o = breach.other;
  const other = { actor: o.actor, index: o.index, step: o.step, socket: s.name, op: o.op };
  const step = ctx.nextStep();
  const sentence = violationSentence({ rule: "teardown-while-pending", actor, op: EXIT, step, socket: s.name, owner: s.owner, ownership: ctx.ownership, other });
  return new OwnershipError({ rule: "teardown-while-pending", socket: s.name, owner: s.owner, caller: actor, op: EXIT, other, step, createdAt: s.createdAt, creator: s.creator, sentence });
}

/**
 * `process.exit(code)` for a worker thread, refused with an `OwnershipError` while one of
 * the thread's guarded sockets has an op in flight (the exit would abort the process).
 */
export function guardedExit(ctx: GuardContext, code = 0): never {
  const error = teardownBreach(ctx);
  if (error !== null) {
    ctx.report(error, "thrown");
    throw error;
  }
  process.exit(code);
}

/**
 * Prints the `teardown-while-pending` sentence to stderr when this thread exits with an op
 * in flight. It cannot stop the abort that follows (a terminated worker gets no say), but
 * the process's last words then name the socket and the op. Returns a function that removes the hook.
 */
export function installTeardownCheck(ctx: GuardContext): () => void {
  const onExit = (): void => {
    const error = teardownBreach(ctx);
    if (error !== null) writeSync(2, `${error.message}\n`);
  };
  process.on("exit", onExit);
  return () => {
    process.off("exit", onExit);
  };
}
