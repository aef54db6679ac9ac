import * as zmq from "zeromq";
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

  it("unguarded: a REQ waiting for its reply does not race the pipe its peer's close tears down; its send rejects EFSM at close", async () => {
    const x = parseInterleaving('zi1 thread inproc | s0 router main/t0 bind e0 | s1 req main/t0 connect e0 | main/t0: send s1 "m", close s0, void send s1 "m", close s1 | schedule');
    const r = await runInterleaving(x, { pool, mode: "unguarded", isolate: "never" });
    expect(r.divergedAt).toBeNull();
    expect(r.history.find((e) => e.kind === "return" && e.index === 2)).toMatchObject({ result: { kind: "error", code: "EFSM", sync: false } });
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

  it("a watched tcp socket the program closes while its queue waits for a gone binder ends in bounded time, so the kit never blocks libzmq's I/O thread", async () => {
    // w1's dealer queues "m3" for its closed REP, then closes at linger -1: with the kit's
    // disconnect observer force-closed under it, its next monitor event would block libzmq's
    // one I/O thread, and no tcp socket of this process could deliver again.
    const x = parseInterleaving(
      'zi1 thread tcp | s0 rep w1/t0 bind e0 | s1 dealer w1/t0 connect e0 | s2 router main/t0 bind e1 | s3 dealer w2/t0 connect e1 | s4 req w2/t1 connect e1 | main/t0: poll s2 readable, send s2 "m0" to s3, poll s2 writable, recv s2, send s2 "m1" to s3 | w1/t0: send s1 "m2", close s0, send s1 "m3", close s1, exit | w2/t0: send s3 "m4", send s3 "m5", poll s3 writable, recv s3, send s3 "m6" | w2/t1: send s4 "m7", send s4 "m8", send s4 "m9", send s4 "m10", poll s4 readable | schedule 3 0 0 3 0 0 3 0 3 2 0 0 0 0',
    );
    for (let i = 0; i < 6; i++) expect(["ok", "stuck"]).toContain((await runInterleaving(x, { pool })).verdict.kind);
    const pull = new zmq.Pull({ linger: 0 });
    const push = new zmq.Push({ linger: 0 });
    try {
      await pull.bind("tcp://127.0.0.1:*");
      push.connect(pull.lastEndpoint as string);
      await push.send("after");
      let timer: NodeJS.Timeout | undefined;
      const got = await Promise.race([pull.receive().then((m) => String(m[0])), new Promise<string>((r) => (timer = setTimeout(() => r("nothing in 3 s"), 3000)))]);
      clearTimeout(timer);
      expect(got).toBe("after");
    } finally {
      push.close();
      pull.close();
    }
  });
});
