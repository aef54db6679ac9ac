import type { ActorId } from "../interleaving/types.js";
import { stuckSentence } from "../model/sentences.js";
import type { PendingOp } from "../model/verdict.js";

/** The sentence of a run that ended with ops pending, timers still active, or both. */
export function stuckMessage(pending: readonly PendingOp[], timers: readonly string[], name: (actor: ActorId) => string): string {
  const first = pending[0];
  const ops = first === undefined ? "" : stuckSentence(first, pending.length, name);
  if (timers.length === 0) return ops;
  const live = `The program's code returned, but ${timers.join(", ")} ${timers.length === 1 ? "is" : "are"} still active: the process would not exit. Clear timers when the service stops.`;
  return ops === "" ? live : `${ops} ${live}`;
}
