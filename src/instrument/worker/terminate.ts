import { actorName } from "../../interleaving/actor.js";
import { describeOp } from "../../interleaving/describe.js";
import type { ActorId, Op } from "../../interleaving/types.js";
import type { PendingOp } from "../../model/verdict.js";
import type { GuardContext } from "../../guard/context.js";
import { OwnershipError } from "../../guard/ownership-error.js";
import type { WorkerSnapshot } from "./protocol.js";

const EXIT: Op = { kind: "exit" };

/**
 * The error for `worker.terminate()` while `pending` ops of worker `thread` wait: zeromq.js
 * would abort the whole process (exit code 134, zeromq.js#411), so the call is refused. It
 * names the oldest waiting op when the worker's last snapshot has it.
 */
export function terminateBreach(ctx: GuardContext, thread: number, pending: number, oldest: number, snapshot: WorkerSnapshot | null, step = ctx.nextStep(), caller = ctx.tasks.current()): OwnershipError {
  const other = snapshot?.pending.find((p) => p.step === oldest) ?? snapshot?.pending[0] ?? null;
  const sentence = terminateSentence({ caller, thread, pending, other, oldest }, actorName);
  return new OwnershipError({
    rule: "teardown-while-pending",
    socket: other?.socket ?? null,
    owner: other === null ? null : { thread, task: other.actor.task },
    caller,
    op: EXIT,
    other,
    step,
    createdAt: snapshot?.sockets.find((s) => s.name === other?.socket)?.createdAt ?? `worker thread w${thread}`,
    creator: { thread, task: 0 },
    sentence,
    terminated: { thread, pending, oldest },
  });
}

/** What the sentence of a refused `terminate()` needs. */
export interface TerminateFacts {
  readonly caller: ActorId;
  readonly thread: number;
  readonly pending: number;
  /** The oldest op that waited, when the worker's snapshot had it. */
  readonly other: PendingOp | null;
  /** Its step. */
  readonly oldest: number;
}

/** The sentence of a refused `worker.terminate()`. */
export function terminateSentence(f: TerminateFacts, name: (actor: ActorId) => string): string {
  const what = f.other === null ? `an op (step ${f.oldest})` : `${name(f.other.actor)}'s ${describeOp(f.other.op)} on ${f.other.socket} (step ${f.other.step})`;
  const more = f.pending > 1 ? ` and ${f.pending - 1} more op${f.pending > 2 ? "s" : ""}` : "";
  return (
    `${name(f.caller)} called terminate() on worker thread w${f.thread} while ${what}${more} waited there; zeromq.js aborts the whole process with exit code 134 when a worker ends with an op in flight (zeromq.js#411). ` +
    `Ask the worker to close its sockets (or let their ops settle) and end by itself, then terminate it.`
  );
}
