import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { checkEveryRace, outcomeLabels } from "../../src/model/every-race.js";
import { zeromqModel } from "../../src/model/model.js";
import { verdictLabel } from "../../src/model/verdict.js";
import type { RunResult } from "../../src/runtime/result.js";

/** Why a guarded run does not conform, or null. */
export function guardedProblem(x: Interleaving, r: RunResult): string | null {
  if (r.verdict.kind === "diverged" || r.verdict.kind === "unknown") return `the run ended ${r.verdict.kind}: ${r.verdict.message}`;
  // The full model, following what really happened where the binding is not fixed.
  const ref = checkInterleaving(x, { model: zeromqModel, observed: r.history });
  if (verdictLabel(ref.verdict) !== verdictLabel(r.verdict)) return `the run says ${verdictLabel(r.verdict)}, the model says ${verdictLabel(ref.verdict)} for the same run`;
  if (ref.verdict.kind === "violation" && r.verdict.kind === "violation" && ref.verdict.step !== r.verdict.step) return `violation at step ${r.verdict.step}, the model says step ${ref.verdict.step}`;
  // Never touched a socket in violation: every op issued is one the model allows, in order.
  const issued = r.history.filter((e) => e.kind === "invoke");
  const allowed = ref.history.filter((e) => e.kind === "invoke");
  if (issued.length > allowed.length) return `the run issued ${issued.length} ops, the model allows only the first ${allowed.length}`;
  for (let k = 0; k < issued.length; k++) {
    const a = issued[k];
    const b = allowed[k];
    if (a === undefined || b === undefined || a.kind !== "invoke" || b.kind !== "invoke" || a.actor.thread !== b.actor.thread || a.actor.task !== b.actor.task || a.index !== b.index) {
      return `op ${k} issued differs from what the model allows`;
    }
  }
  if (r.verdict.kind === "violation") {
    const v = r.verdict;
    if (issued.some((e) => e.kind === "invoke" && e.actor.thread === v.actor.thread && e.actor.task === v.actor.task && e.index === v.index)) return "the refused op was issued";
  }
  return null;
}

/**
 * Why a real run's verdict is not among the outcomes the pure check lists for its races, or
 * null. Runs that diverged or ran out of time say nothing about the model's races.
 */
export function raceProblem(x: Interleaving, r: RunResult): string | null {
  if (r.verdict.kind === "diverged" || r.verdict.kind === "unknown") return null;
  const every = checkEveryRace(x);
  const labels = outcomeLabels(every.outcomes);
  const real = verdictLabel(r.verdict);
  if (labels.includes(real)) return null;
  return `the run says ${real}; under every way its races go the model says ${labels.join(", ")}${every.kind === "unknown" ? ` (${every.message})` : ""}`;
}
