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
  const facts = { rule: breach.rule, socket: s.name, owner: s.owner, caller: actor, op, other, step, createdAt: s.createdAt, creator: s.creator, sentence: sentence + names, ...(s.closedAt >= 0 ? { closedAt: s.closedAt } : {}) };
  return cause === undefined ? new OwnershipError(facts) : new OwnershipError(facts, { cause });
}
