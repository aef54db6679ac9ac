import { actorName } from "../interleaving/actor.js";
import type { ActorId } from "../interleaving/types.js";
import { violationSentence } from "../model/sentences.js";
import type { PendingOp } from "../model/verdict.js";
import type { GuardContext } from "../guard/context.js";
import { OwnershipError } from "../guard/ownership-error.js";
import { escapedSentence } from "./escaped.js";
import { terminateSentence } from "./worker/terminate.js";
import type { LaneMap } from "./lanes.js";
import { stuckMessage } from "./stuck.js";
import type { GuardVerdict } from "./verdict.js";

/** `main/t1 (serve)`: a lane and its task's name (the main task is just `main/t0`). */
export function laneName(lanes: LaneMap): (a: ActorId) => string {
  return (a) => (a.task === 0 && a.thread === 0 ? actorName(a) : `${actorName(a)} (${lanes.name(a)})`);
}

/**
 * A run's error with lane actors (as the report numbers tasks) and its sentence written with
 * task names. While the run lasts, an error names tracker nodes, which may later turn out to be
 * part of their callers; `lanes.history` must have been called first (it numbers op indices).
 */
export function laneError(e: OwnershipError, lanes: LaneMap, ctx: GuardContext): OwnershipError {
  const name = laneName(lanes);
  const caller = lanes.actor(e.caller);
  const owner = e.owner === null ? null : lanes.actor(e.owner);
  const op = lanes.op(e.op);
  const other: PendingOp | null = e.other === null ? null : { ...e.other, actor: lanes.actor(e.other.actor), index: lanes.index(e.other.actor, e.other.index), op: lanes.op(e.other.op) };
  const escaped = e.escaped === null ? null : { closer: e.escaped.closer === null ? null : lanes.actor(e.escaped.closer), closedAt: e.escaped.closedAt };
  const sentence =
    e.terminated !== null
      ? terminateSentence({ caller, thread: e.terminated.thread, pending: e.terminated.pending, other, oldest: e.terminated.oldest }, name)
      : escaped !== null && e.socket !== null && owner !== null
      ? escapedSentence({ actor: caller, op, socket: e.socket, step: other?.step ?? e.step, owner, ...escaped }, name)
      : violationSentence({ rule: e.rule, actor: caller, op, step: e.step, socket: e.socket, owner, ownership: ctx.ownershipRule, other, name, ...(e.closedAt === null ? {} : { closedAt: e.closedAt }) });
  return new OwnershipError(
    {
      rule: e.rule,
      socket: e.socket,
      owner,
      caller,
      op,
      other,
      step: e.step,
      createdAt: e.createdAt,
      creator: lanes.actor(e.creator),
      sentence,
      ...(e.closedAt === null ? {} : { closedAt: e.closedAt }),
      ...(e.hazard === null ? {} : { hazard: e.hazard }),
      ...(escaped === null ? {} : { escaped }),
      ...(e.terminated === null ? {} : { terminated: e.terminated }),
    },
    { cause: e.cause ?? e },
  );
}

/** The verdict with lane actors and sentences that name tasks. */
export function laneVerdict(v: GuardVerdict, lanes: LaneMap, ctx: GuardContext): GuardVerdict {
  const name = laneName(lanes);
  switch (v.kind) {
    case "violation": {
      const error = laneError(v.error, lanes, ctx);
      return { kind: "violation", rule: v.rule, error, step: v.step, actor: error.caller, op: error.op, message: error.message.replace(/^\[[a-z-]+\] /, "") };
    }
    case "stuck": {
      const pending = v.pending.map((p) => ({ ...p, actor: lanes.actor(p.actor), index: lanes.index(p.actor, p.index) }));
      return { ...v, pending, message: stuckMessage(pending, v.timers, name) };
    }
    default:
      return v;
  }
}
