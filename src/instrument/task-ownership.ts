import type { ActorId, HistoryEvent } from "../interleaving/types.js";
import { violationSentence } from "../model/sentences.js";
import type { GuardContext } from "../guard/context.js";
import { OwnershipError } from "../guard/ownership-error.js";
import type { LaneMap } from "./lanes.js";

/**
 * Task ownership (`ownership: "task"`) of an instrumented run, judged once the run is over:
 * which task an op belongs to is known only after its caller has awaited the call or not
 * (tracker.ts), so a check at the call could blame the wrong task. Walks the history in step
 * order, from each socket's creating task, following handoffs; returns the first op by a task
 * that did not own its socket, or null. Same thread, so the op did no harm to zeromq: the
 * verdict is the discipline's, reported at the op's step.
 */
export function taskOwnershipBreach(ctx: GuardContext, lanes: LaneMap): OwnershipError | null {
  if (ctx.ownershipRule !== "task" || !ctx.rules.has("foreign-owner")) return null;
  const owners = new Map<string, ActorId>();
  for (const s of ctx.sockets) owners.set(s.name, s.creator);
  const same = (a: ActorId, b: ActorId): boolean => {
    const x = lanes.actor(a);
    const y = lanes.actor(b);
    return x.thread === y.thread && x.task === y.task;
  };
  for (const e of ctx.history ?? []) {
    if (e.kind !== "invoke" || e.op.kind === "exit") continue;
    const owner = owners.get(e.op.socket);
    if (owner === undefined) continue;
    if (!same(owner, e.actor)) return breach(ctx, e, owner);
    if (e.op.kind === "handoff") owners.set(e.op.socket, e.op.to);
  }
  return null;
}

function breach(ctx: GuardContext, e: Extract<HistoryEvent, { kind: "invoke" }>, owner: ActorId): OwnershipError {
  const op = e.op;
  const socket = op.kind === "exit" ? null : op.socket;
  const s = ctx.sockets.find((x) => x.name === socket);
  const sentence = violationSentence({ rule: "foreign-owner", actor: e.actor, op, step: e.step, socket, owner, ownership: "task", other: null, name: (a) => ctx.tasks.describe(a) });
  return new OwnershipError({
    rule: "foreign-owner",
    socket,
    owner,
    caller: e.actor,
    op,
    other: null,
    step: e.step,
    createdAt: s?.createdAt ?? "(unknown)",
    creator: s?.creator ?? owner,
    sentence,
  });
}
