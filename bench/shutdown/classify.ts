/**
 * Turns how a shutdown child ended into an outcome and numbers: exited (and how long after
 * the first step), aborted, crashed, or hung (and where: in a step, with the event loop
 * still alive after the last step, or after 'exit' while libzmq waits for lingering
 * messages). A hang is reported as such; its time is the limit it was killed at, never a
 * measured exit time.
 */
import type { ChildOutcome } from "../rig/child.js";
import type { RunRecord } from "../rig/suite.js";

/**
 * How a case's process ended: exited; hung (killed at the limit) in a step, with its event
 * loop alive after the last step, or after 'exit' while libzmq waits for lingering
 * messages; aborted (exit 134, e.g. zeromq.js#411's "terminate called after throwing an
 * instance of 'Napi::Error'"); aborted by glibc on a corrupted heap; killed by SIGSEGV; or
 * any other failure (exit 1 for an unhandled rejection).
 */
export type ShutdownOutcome = "exit" | "hang-step" | "hang-alive" | "hang-linger" | "abort" | "heap-corruption" | "segfault" | "crash";

const lingerWarning = "Waiting for queued ZeroMQ messages";
/** glibc's messages when it finds the heap corrupted (then it aborts). */
const heapMessage = /corrupted|invalid pointer|invalid size|double free|malloc\(\)|free\(\)|munmap_chunk|realloc\(\)/;

/** The run record of one shutdown child that was sent `messages` data messages. */
export function classifyShutdown(child: ChildOutcome, messages: number): RunRecord {
  const at = (name: string): number | undefined => {
    for (const m of child.messages) if (m.kind === "mark" && m.name === name) return m.at;
    return undefined;
  };
  const shutdownAt = at("shutdown");
  if (shutdownAt === undefined) {
    const tail = child.stderr.trim().split("\n").slice(-2).join(" | ");
    return { kind: "failed", reason: `setup did not finish (${child.kind === "killed" ? "killed at the time limit" : `exit ${child.code ?? child.signal}`}): ${tail}` };
  }
  const doneAt = at("done");
  const exitEventAt = at("exit-event");
  const values = child.messages.flatMap((m) => (m.kind === "value" && m.name === "delivered" ? [m.value] : []));
  const delivered = values[values.length - 1] ?? 0;
  const steps = child.messages.filter((m) => m.kind === "mark" && m.name.startsWith("step:")).length;
  const metrics: Record<string, number> = { delivered, lost: messages - delivered, steps };
  if (doneAt !== undefined) metrics["stepsMs"] = doneAt - shutdownAt;
  const notes: Record<string, string> = {};
  if (child.stderr.includes(lingerWarning)) notes["warning"] = lingerWarning;

  let outcome: ShutdownOutcome;
  if (child.kind === "killed") {
    outcome = exitEventAt !== undefined ? "hang-linger" : doneAt !== undefined ? "hang-alive" : "hang-step";
    notes["killedAfterMs"] = String(child.limitMs);
  } else if (child.code === 0 && child.signal === null) {
    outcome = "exit";
    metrics["exitMs"] = child.endedAt - shutdownAt;
    if (doneAt !== undefined) metrics["afterStepsMs"] = child.endedAt - doneAt;
  } else {
    const aborted = child.code === 134 || child.signal === "SIGABRT";
    outcome = aborted
      ? heapMessage.test(child.stderr) ? "heap-corruption" : "abort"
      : child.code === 139 || child.signal === "SIGSEGV" ? "segfault" : "crash";
    metrics["endMs"] = child.endedAt - shutdownAt;
    notes["exit"] = child.signal ?? String(child.code);
    const lines = child.stderr.trim().split("\n").filter((l) => l.trim() !== "");
    const reason = lines.find((l) => /error|abort|assert|reject|terminate called/i.test(l) || heapMessage.test(l)) ?? lines[lines.length - 1];
    if (reason !== undefined) notes["stderr"] = reason.slice(0, 200);
  }
  return { kind: "measured", metrics, outcome, notes };
}
