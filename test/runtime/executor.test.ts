import { afterAll, describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { formatReplay } from "../../src/report/replayLine.js";
import { replay } from "../../src/report/replay.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";

const pool = new WorkerPool();
afterAll(() => pool.close());

const BUSY = "zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule";

describe("runInterleaving", () => {
  it("guarded: refuses the violating step before it touches the socket", async () => {
    const r = await runInterleaving(parseInterleaving(BUSY), { pool });
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "busy-recv", step: 1 });
    // Only the first receive was issued; the refused one never reached zeromq.js.
    expect(r.history).toEqual([{ kind: "invoke", step: 0, actor: { thread: 0, task: 0 }, index: 0, op: { kind: "recv", socket: "s0", nowait: false } }]);
    expect(r.predicted).toEqual(r.history);
    expect(r.divergedAt).toBeNull();
    expect(r.process).toBeNull();
  });

  it("unguarded: the step runs and zeromq.js throws EBUSY with its message", async () => {
    const r = await runInterleaving(parseInterleaving(BUSY), { pool, mode: "unguarded", isolate: "never" });
    expect(r.violations.map((v) => v.rule)).toEqual(["busy-recv"]);
    const ret = r.history.find((e) => e.kind === "return" && e.actor.task === 1);
    expect(ret).toMatchObject({ result: { kind: "error", code: "EBUSY", sync: true, message: "Socket is busy reading; only one receive operation may be in progress at any time" } });
  });

  it("runs tasks on the main thread and on workers, over tcp, and agrees with the model", async () => {
    const x = parseInterleaving('zi1 thread tcp | s0 router main/t0 bind e0 | s1 dealer w1/t0 connect e0 | s2 req w2/t0 connect e0 | main/t0: recv s0, recv s0, send s0 "r1" to s1, send s0 "r2" to s2 | w1/t0: send s1 "q1", recv s1 | w2/t0: send s2 "q2", recv s2 | schedule');
    const r = await runInterleaving(x, { pool });
    expect(r.verdict.kind).toBe("ok");
    const replies = r.history.flatMap((e) => (e.kind === "return" && e.result.kind === "message" && e.actor.thread > 0 ? [e.result.payload] : []));
    expect(replies.sort()).toEqual(["r1", "r2"]);
  });

  it("is what replay() runs to check a replay line against real sockets", async () => {
    const line = formatReplay({ verdict: "busy-recv", interleaving: parseInterleaving(BUSY) });
    const out = await replay(line, { run: (x) => runInterleaving(x, { pool }) });
    expect(out.kind).toBe("reproduced");
  });
});
