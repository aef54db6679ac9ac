/**
 * One run of a case whose child reports a `result` message: the child's metrics and notes
 * become the run's record. A child that is killed, ends without a result, or reports only
 * errors (`error*` notes and no metrics) makes a `failed` record; errors next to metrics
 * make the run `partial`.
 */
import type { ChildPool } from "./child.js";
import type { RunRecord } from "./suite.js";

/** Runs `script` with `config` (JSON in argv[2]) and turns its result into a run record. */
export async function measuredChild(pool: ChildPool, script: string, config: unknown, timeoutMs = 120_000): Promise<RunRecord> {
  const outcome = await pool.run({ script, args: [JSON.stringify(config)], timeoutMs });
  if (outcome.kind === "killed") return { kind: "failed", reason: `child killed after ${outcome.limitMs} ms` };
  const result = outcome.messages.find((m) => m.kind === "result");
  if (result === undefined || result.kind !== "result") {
    return { kind: "failed", reason: `child exited ${outcome.code ?? outcome.signal} without a result: ${outcome.stderr.trim().split("\n").slice(-3).join(" | ")}` };
  }
  const errors = Object.keys(result.notes).filter((k) => k.startsWith("error"));
  if (errors.length > 0 && Object.keys(result.metrics).length === 0) {
    return { kind: "failed", reason: errors.map((k) => `${k}: ${result.notes[k] ?? ""}`).join("; ") };
  }
  return { kind: "measured", metrics: result.metrics, outcome: errors.length === 0 ? "ok" : "partial", notes: result.notes };
}
