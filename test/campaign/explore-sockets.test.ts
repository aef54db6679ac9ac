import { afterAll, describe, expect, it } from "vitest";
import { exploreOnSockets } from "../../src/campaign/explore-sockets.js";
import { explore } from "../../src/campaign/explore.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { exhaustive } from "../../src/schedule/exhaustive.js";

const pool = new WorkerPool();
afterAll(() => pool.close());

describe("exploreOnSockets", () => {
  // On the model the search also walks race outcomes (which sender fair queuing serves); on real
  // sockets the binding decides them. With one sender per receiver there are none.
  it("runs every schedule within the bound on real sockets, as many as on the model", async () => {
    const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 pull main/t0 bind e1 | s3 push main/t2 connect e1 | main/t0: recv s0, recv s2 | main/t1: send s1 "a" | main/t2: send s3 "b" | schedule');
    const real = await exploreOnSockets(x, { strategy: { strategy: "exhaustive", preemptionBound: 2, reduction: false }, run: { pool } });
    const model = explore(x, { strategy: { strategy: "exhaustive", preemptionBound: 2, reduction: false } });
    expect(real.kind).toBe("ok");
    expect(real.runs).toBe(model.runs);
    expect(real.coverage.verdicts).toEqual({ ok: model.runs });
  });

  it("reports a failing run with the plain schedule that replays it", async () => {
    // main/t1 reads readable while main/t0's receive waits: a lost wakeup, refused (guarded).
    const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t2 connect e0 | main/t0: recv s0 | main/t1: poll s0 readable | main/t2: send s1 "a" | schedule');
    const r = await exploreOnSockets(x, { strategy: exhaustive({ preemptionBound: 2 }), run: { pool } });
    expect(r.kind).toBe("failed");
    if (r.kind !== "failed") return;
    expect(r.failure.verdict).toMatchObject({ kind: "violation", rule: "lost-wakeup" });
    const again = await runInterleaving(r.failure.interleaving, { pool });
    expect(again.verdict).toMatchObject({ kind: "violation", rule: "lost-wakeup" });
    // The same program with the poll before the receive, in the receiver's own task, passes every schedule.
    const fixed = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t2 connect e0 | main/t0: poll s0 readable, recv s0 | main/t2: send s1 "a" | schedule');
    expect((await exploreOnSockets(fixed, { strategy: "exhaustive", run: { pool } })).kind).toBe("ok");
  });

  it("refuses a selector where the run may go to a child process", async () => {
    const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule');
    await expect(exploreOnSockets(x, { strategy: "random", run: { pool, mode: "unguarded" } })).rejects.toThrow(/selector/);
  });
});
