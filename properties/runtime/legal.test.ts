import { test } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkDelivery } from "../../src/model/delivery.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import type { RunResult } from "../../src/runtime/result.js";
import { RUNS, SHAPES } from "./configs.js";

// (b) Legal interleavings (each socket used by its owner task only, every op awaited, close
// last) complete on real sockets with no error, the delivery invariants hold on the real
// history, and nothing is left pending: an `ok` run returned every op; a `stuck` run's pending
// ops are exactly the model's.
const pool = new WorkerPool();
afterAll(() => pool.close());

function legalProblem(x: Interleaving, r: RunResult): string | null {
  if (r.verdict.kind !== "ok" && r.verdict.kind !== "stuck" && r.verdict.kind !== "exit-hang") return `verdict ${r.verdict.kind}: ${"message" in r.verdict ? r.verdict.message : ""}`;
  // The one error a legal program can meet: a send into a pipe whose peer just closed can lose
  // the race with libzmq's reaper and reject EAGAIN (the model follows what happened).
  const invoked = new Map(r.history.flatMap((e) => (e.kind === "invoke" ? [[`${e.actor.thread}/${e.actor.task}#${e.index}`, e.op] as const] : [])));
  const closedPeer = (socket: string) => {
    const spec = x.scenario.sockets.find((t) => t.id === socket);
    return x.scenario.sockets.some((t) => t.endpoint === spec?.endpoint && t.role !== spec.role && [...invoked.values()].some((op) => op.kind === "close" && op.socket === t.id));
  };
  const errors = r.history.filter((e) => {
    if (e.kind !== "return" || e.result.kind !== "error") return false;
    const op = invoked.get(`${e.actor.thread}/${e.actor.task}#${e.index}`);
    return !(e.result.code === "EAGAIN" && op?.kind === "send" && closedPeer(op.socket));
  });
  if (errors.length > 0) return `${errors.length} op(s) failed: ${JSON.stringify(errors)}`;
  const delivery = checkDelivery(x.scenario, r.history);
  if (delivery.kind !== "ok") return delivery.problems.map((p) => p.message).join("; ");
  const issued = r.history.filter((e) => e.kind === "invoke").length;
  const returned = r.history.filter((e) => e.kind === "return").length;
  const pending = r.verdict.kind === "stuck" ? r.verdict.pending.length : 0;
  if (issued - returned !== pending) return `${issued - returned} op(s) left pending, the verdict names ${pending}`;
  return null;
}

describe("legal runs on real sockets complete and deliver", () => {
  for (const shape of SHAPES) {
    test.prop([interleavings({ ...shape.constraints, ownership: "respect", executable: true, maxOps: 6 })], { numRuns: RUNS })(shape.name, async (x) => {
      const r = await runInterleaving(x, { pool });
      const problem = legalProblem(x, r);
      expect(problem === null ? null : `${problem}\n  in ${formatInterleaving(x)}`).toBeNull();
    });
  }
});
