import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { HistoryEvent } from "../../src/interleaving/types.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import type { RunResult } from "../../src/runtime/result.js";

// (c) The consequences for the process itself, each in a child process with a time limit: the
// parent reports how the child ended and never waits out a hang.

async function isolated(text: string): Promise<RunResult> {
  return runInterleaving(parseInterleaving(text), { mode: "unguarded", isolate: "always", timeLimitMs: 15_000 });
}

function returned(history: readonly HistoryEvent[], task: number, index: number, thread = 0): HistoryEvent | undefined {
  return history.find((e) => e.kind === "return" && e.actor.thread === thread && e.actor.task === task && e.index === index);
}

const PULL_PUSH = "s0 pull main/t0 bind e0 | s1 push main/t1 connect e0";

describe("isolated unguarded runs end the process the way zeromq.js does", () => {
  it("a worker torn down with a receive in flight aborts the whole process (SIGABRT, exit status 134)", async () => {
    const r = await isolated("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: recv s0 | w1/t1: exit | schedule");
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "teardown-while-pending" });
    expect(r.process).toMatchObject({ ending: "crashed", signal: "SIGABRT", reachedExit: false });
    expect(r.process?.stderrTail).toContain("terminate called");
  });

  it("an unobserved rejection ends the process (exit code 1, the EAGAIN on stderr)", async () => {
    const r = await isolated("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: void recv s0, close s0 | schedule");
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "unobserved-rejection" });
    expect(r.process).toMatchObject({ ending: "exited", exitCode: 1 });
    expect(r.process?.stderrTail).toContain("EAGAIN");
  });

  it("... also from a worker thread", async () => {
    const r = await isolated("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: void recv s0, close s0 | schedule");
    expect(r.process).toMatchObject({ ending: "exited", exitCode: 1 });
    expect(r.process?.stderrTail).toContain("EAGAIN");
  });

  it("a lost wakeup: the receive never resolves although the message is there; the process never exits", async () => {
    const r = await isolated(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0 | main/t1: void send s1 "x", poll s0 readable | schedule`);
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "lost-wakeup" });
    expect(returned(r.history, 1, 1)).toMatchObject({ result: { kind: "poll", value: true } });
    expect(returned(r.history, 0, 0)).toBeUndefined();
    expect(r.process).toMatchObject({ ending: "hung", reachedExit: false });
  });

  it("the same poll before the message arrives takes nothing: the receive completes and the process exits", async () => {
    const r = await isolated(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0, close s0 | main/t1: poll s0 readable, send s1 "x", close s1 | schedule`);
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "lost-wakeup" });
    expect(returned(r.history, 0, 0)).toMatchObject({ result: { kind: "message", payload: "x" } });
    expect(r.process).toMatchObject({ ending: "exited", exitCode: 0 });
  });

  it("a pending receive at the end keeps the process alive (stuck)", async () => {
    const r = await isolated("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule");
    expect(r.verdict.kind).toBe("stuck");
    expect(r.process).toMatchObject({ ending: "hung", reachedExit: false });
  });

  it("queued messages for a gone tcp peer with linger -1 hang the exit (exit-hang)", async () => {
    const r = await isolated(`zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: close s0 | main/t1: send s1 "x" | schedule`);
    expect(r.verdict.kind).toBe("exit-hang");
    expect(r.process).toMatchObject({ ending: "hung", reachedExit: true });
    expect(r.process?.stderrTail).toContain("Waiting for queued ZeroMQ messages to be delivered");
  });

  it("a tcp subscriber closed after its publisher, linger -1, hangs the exit too (it queued its topics again)", async () => {
    const r = await isolated('zi1 thread tcp | s0 pub main/t0 bind e0 | s1 sub main/t1 connect e0 topic="a" | main/t0: close s0 | main/t1: close s1 | schedule');
    expect(r.verdict.kind).toBe("exit-hang");
    expect(r.process).toMatchObject({ ending: "hung", reachedExit: true });
  });

  it("linger 0 lets the same process exit", async () => {
    const r = await isolated(`zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 linger=0 | main/t0: close s0 | main/t1: send s1 "x", close s1 | schedule`);
    expect(r.verdict.kind).toBe("ok");
    expect(r.process).toMatchObject({ ending: "exited", exitCode: 0 });
  });
});
