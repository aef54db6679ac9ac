import { sameActor } from "../interleaving/actor.js";
import type { ActorId, ErrorCode, Op } from "../interleaving/types.js";
import type { Breach } from "../model/rules.js";
import { violationSentence } from "../model/sentences.js";
import { OwnershipError } from "./ownership-error.js";
import type { SocketRecord } from "./socket-record.js";

/** The model's error code for an error a real socket threw or rejected with. */
export function errorCode(err: unknown): ErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "EBUSY" || code === "EBADF" || code === "ENOTSOCK" ? code : "EAGAIN";
}

function tasksLine(s: SocketRecord, actors: readonly ActorId[]): string {
  const named = actors.filter((a, i) => actors.findIndex((b) => sameActor(a, b)) === i && s.ctx.tasks.find(a) !== null && a.task !== 0);
  return named.length === 0 ? "" : `\n  tasks: ${named.map((a) => s.ctx.tasks.describe(a)).join(", ")}`;
}

/**
 * When a breach involves an op that completed at once in this run and was only held as if it
 * had to wait: what really makes zeromq.js fail, so a user can tell when the hazard bites.
 */
export function hazardSentence(rule: Breach["rule"], other: { readonly op: Op; readonly step: number }): string {
  const send = other.op.kind === "send";
  const waits = send ? "makes a send wait when the socket is at its high-water mark or has no peer yet" : "makes a receive wait when no message is queued";
  const then = rule === "busy-send" || rule === "busy-recv" ? `while it waits, a second ${send ? "send" : "receive"} throws EBUSY` : "while it waits, the same breach happens";
  return `(In this run the ${send ? "send" : "receive"} at step ${other.step} completed at once. zeromq.js ${waits}, and defers the 513th op in a row that could complete at once to the next event-loop turn (zeromq.js#406): ${then}.)`;
}

/** The typed error for a breach on socket `s`, with the model's sentence (and the real error as `cause`, when there is one). */
export function breachError(s: SocketRecord, actor: ActorId, op: Op, breach: Breach, step: number, cause?: unknown): OwnershipError {
  const o = breach.other;
  const other = o === null ? null : { actor: o.actor, index: o.index, step: o.step, socket: s.name, op: o.op };
  const sentence = violationSentence({
    rule: breach.rule,
    actor,
    op,
    step,
    socket: s.name,
    owner: s.owner,
    ownership: s.ctx.ownership,
    other,
    ...(s.closedAt >= 0 ? { closedAt: s.closedAt } : {}),
  });
  const names = tasksLine(s, other === null ? [actor, s.owner] : [actor, s.owner, other.actor]);
  const simulated = (o as { simulated?: unknown } | null)?.simulated === true;
  const facts = {
    rule: breach.rule,
    socket: s.name,
    owner: s.owner,
    caller: actor,
    op,
    other,
    step,
    createdAt: s.createdAt,
    creator: s.creator,
    sentence: sentence + names,
    ...(s.closedAt >= 0 ? { closedAt: s.closedAt } : {}),
    ...(simulated && o !== null ? { hazard: hazardSentence(breach.rule, o) } : {}),
  };
  return cause === undefined ? new OwnershipError(facts) : new OwnershipError(facts, { cause });
}
