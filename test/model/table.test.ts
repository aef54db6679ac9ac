import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving } from "../../src/model/check.js";
import { createModel, zeromqModel } from "../../src/model/model.js";
import { MAX_SYNC_OPERATIONS } from "../../src/model/profile.js";
import type { Violation } from "../../src/model/verdict.js";
import { label, run } from "../helpers.js";

// Every row of DESIGN.md's table of zeromq.js rules: the smallest interleaving that triggers
// it, and a legal one next to it that differs as little as possible.

const PULL = "s0 pull main/t0 bind e0";
const PULL_PUSH = "s0 pull main/t0 bind e0 | s1 push main/t0 connect e0";

function violation(text: string): Violation {
  const v = run(text).verdict;
  if (v.kind !== "violation") throw new Error(`expected a violation, got ${v.kind}`);
  return v;
}

describe("op by an actor that is not the owner (foreign-owner)", () => {
  it("flags a worker thread touching a main-thread socket", () => {
    const v = violation(`zi1 thread inproc | ${PULL} | main/t0: | w1/t0: poll s0 readable | schedule`);
    expect(v.rule).toBe("foreign-owner");
    expect(v).toMatchObject({ step: 0, actor: { thread: 1, task: 0 }, socket: "s0", owner: { thread: 0, task: 0 } });
    expect(v.message).toContain("w1/t0 called readable on s0, which belongs to thread main (owner main/t0)");
  });
  it("allows a sibling task on the owning thread under thread ownership", () => {
    expect(label(`zi1 thread inproc | ${PULL} | main/t0: | main/t1: poll s0 readable | schedule`)).toBe("ok");
  });
  it("flags a sibling task under task ownership, and allows the owner task", () => {
    expect(label(`zi1 task inproc | ${PULL} | main/t0: | main/t1: poll s0 readable | schedule`)).toBe("foreign-owner");
    expect(violation(`zi1 task inproc | ${PULL} | main/t0: | main/t1: close s0 | schedule`).message).toContain("which task main/t0 owns (ownership: task)");
    expect(label(`zi1 task inproc | ${PULL} | main/t0: poll s0 readable | main/t1: | schedule`)).toBe("ok");
  });
});

describe("second send while a send is pending (busy-send)", () => {
  it("flags the second send, naming the pending one", () => {
    const v = violation(`zi1 thread inproc | s0 push main/t0 bind e0 | main/t0: send s0 "a" | main/t1: send s0 "b" | schedule`);
    expect(v.rule).toBe("busy-send");
    expect(v.other).toMatchObject({ actor: { thread: 0, task: 0 }, step: 0, socket: "s0" });
    expect(v.message).toContain('main/t1 called send("b") on s0 while main/t0\'s send("a") (step 0) was still pending; zeromq.js throws EBUSY "Socket is busy writing"');
  });
  it("allows the second send once the first completed", () => {
    expect(label(`zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull main/t0 connect e0 | main/t0: send s0 "a" | main/t1: send s0 "b" | schedule`)).toBe("ok");
  });
  it("flags a fire-and-forget send followed by a send in the same task", () => {
    expect(label(`zi1 thread inproc | s0 push main/t0 bind e0 | main/t0: void send s0 "a", send s0 "b" | schedule`)).toBe("busy-send");
  });
});

describe("second recv while a recv is pending (busy-recv)", () => {
  it("flags two tasks receiving on one socket", () => {
    const v = violation(`zi1 thread inproc | ${PULL} | main/t0: recv s0 | main/t1: recv s0 | schedule`);
    expect(v.rule).toBe("busy-recv");
    expect(v.message).toContain('zeromq.js throws EBUSY "Socket is busy reading"');
  });
  it("allows the second receive when the first took a waiting message", () => {
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: send s1 "a", recv s0 | main/t1: recv s0 | schedule`)).toBe("stuck");
    expect(run(`zi1 thread inproc | ${PULL_PUSH} | main/t0: send s1 "a", send s1 "b", recv s0 | main/t1: recv s0 | schedule`).verdict.kind).toBe("ok");
  });
});

describe("one pending send and one pending recv on one socket", () => {
  it("is legal; both stay pending until something answers", () => {
    const r = run(`zi1 thread inproc | s0 dealer main/t0 bind e0 | main/t0: send s0 "a" | main/t1: recv s0 | schedule`);
    expect(r.verdict.kind).toBe("stuck");
    expect(r.verdict.kind === "stuck" && r.verdict.pending.map((p) => p.op.kind)).toEqual(["recv", "send"]);
  });
  it("both complete when the peer is there", () => {
    const r = run(`zi1 thread inproc | s0 dealer main/t0 bind e0 | s1 dealer main/t2 connect e0 | main/t0: send s0 "a" | main/t1: recv s0 | main/t2: recv s1, send s1 "b" | schedule`);
    expect(r.verdict.kind).toBe("ok");
  });
});

describe("poll while a recv is pending (lost-wakeup)", () => {
  it("flags reading readable while another task's receive is pending", () => {
    const v = violation(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0 | main/t1: poll s0 readable, send s1 "x" | schedule`);
    expect(v.rule).toBe("lost-wakeup");
    expect(v.message).toContain("read s0.readable while main/t0's receive() (step 0) was pending");
  });
  it("flags writable too", () => {
    expect(label(`zi1 thread inproc | ${PULL} | main/t0: recv s0 | main/t1: poll s0 writable | schedule`)).toBe("lost-wakeup");
  });
  it("allows the poll before the receive is issued", () => {
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0 | main/t1: poll s0 readable, send s1 "x" | schedule 1`)).toBe("ok");
  });
  it("with the rule off, a poll between the message's arrival and the loop turn takes the wakeup for good", () => {
    const off = { model: createModel({ disabled: ["lost-wakeup"] }) };
    const r = run(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0 | main/t1: void send s1 "x", poll s0 readable | schedule`, off);
    expect(r.verdict.kind).toBe("stuck");
    expect(r.state.sockets[0]?.lostWakeup).toBe(true);
    expect(r.state.sockets[0]?.inbox.map((m) => m.payload)).toEqual(["x"]);
    // A poll before anything arrived takes nothing: the receive wakes when the message comes.
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: recv s0 | main/t1: poll s0 readable, send s1 "x" | schedule`, off)).toBe("ok");
  });
});

describe("check readable, another task receives, then recv", () => {
  it("is a legal step that leaves the late receive pending (stuck)", () => {
    // t0 sees readable=true, t1 takes the message, t0's receive then waits forever.
    const r = run(`zi1 thread inproc | ${PULL_PUSH} | main/t0: send s1 "x", poll s0 readable, recv s0 | main/t1: recv s0 | schedule 0 0 1`);
    expect(r.verdict.kind).toBe("stuck");
    const poll = r.history.find((e) => e.kind === "return" && e.result.kind === "poll");
    expect(poll?.kind === "return" && poll.result).toEqual({ kind: "poll", value: true });
  });
  it("completes when a second message arrives", () => {
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: send s1 "x", send s1 "y", poll s0 readable, recv s0 | main/t1: recv s0 | schedule 0 0 0 1`)).toBe("ok");
  });
});

describe("close while another task's op is pending", () => {
  it("rejects the awaited op with EAGAIN and ends that task; the run is legal", () => {
    const r = run(`zi1 thread inproc | ${PULL} | main/t0: recv s0, poll s0 readable | main/t1: close s0 | schedule`);
    expect(r.verdict.kind).toBe("ok");
    const rejected = r.history.find((e) => e.kind === "return" && e.result.kind === "error");
    expect(rejected).toMatchObject({ actor: { task: 0 }, index: 0, result: { kind: "error", code: "EAGAIN", sync: false } });
    // The task ended: its poll (which would be use-after-close) never ran.
    expect(r.history.filter((e) => e.kind === "invoke" && e.actor.task === 0)).toHaveLength(1);
  });
});

describe("a rejection nobody observes (unobserved-rejection)", () => {
  it("flags closing under a fire-and-forget receive", () => {
    const v = violation(`zi1 thread inproc | ${PULL} | main/t0: void recv s0, close s0 | schedule`);
    expect(v.rule).toBe("unobserved-rejection");
    expect(v.message).toContain("rejects main/t0's void receive() (step 0) with EAGAIN");
  });
  it("allows closing under an awaited receive", () => {
    expect(label(`zi1 thread inproc | ${PULL} | main/t0: recv s0 | main/t1: close s0 | schedule`)).toBe("ok");
  });
  it("allows closing after the fire-and-forget receive completed", () => {
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: void recv s0, send s1 "x", close s0 | schedule`)).toBe("ok");
  });
});

describe("any op after close (use-after-close)", () => {
  it("flags send, recv, poll and subscribe after close", () => {
    for (const op of ['send s1 "x"', "recv s0", "poll s0 readable"]) {
      expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: close s0, close s1, ${op} | schedule`)).toBe("use-after-close");
    }
    expect(label(`zi1 thread inproc | s0 pub main/t0 bind e0 | s1 sub main/t0 connect e0 | main/t0: close s1, subscribe s1 "a" | schedule`)).toBe("use-after-close");
  });
  it("allows close again (a no-op)", () => {
    expect(label(`zi1 thread inproc | ${PULL} | main/t0: close s0, close s0 | schedule`)).toBe("ok");
  });
  it("with the rule off, behaves as zeromq.js: EBADF, ENOTSOCK, false", () => {
    const model = createModel({ disabled: ["use-after-close"] });
    const r = run(`zi1 thread inproc | s0 sub main/t0 bind e0 | s1 pub main/t1 connect e0 | main/t0: close s0, poll s0 readable, recv s0 | main/t1: close s1, subscribe s0 "a" | schedule`, { model });
    const results = r.history.flatMap((e) => (e.kind === "return" ? [e.result] : []));
    expect(results).toContainEqual({ kind: "poll", value: false });
    expect(results).toContainEqual({ kind: "error", code: "EBADF", sync: true });
  });
});

describe("handoff to another thread (handoff-across-threads)", () => {
  it("flags it", () => {
    const v = violation(`zi1 task inproc | ${PULL} | main/t0: handoff s0 w1/t0 | w1/t0: | schedule`);
    expect(v.rule).toBe("handoff-across-threads");
    expect(v.message).toContain("a zeromq.js socket cannot cross threads");
  });
  it("allows a handoff between tasks of one thread, after which the new owner may use it", () => {
    expect(label(`zi1 task inproc | ${PULL} | main/t0: handoff s0 main/t1 | main/t1: poll s0 readable | schedule`)).toBe("ok");
    expect(label(`zi1 task inproc | ${PULL} | main/t0: handoff s0 main/t1, poll s0 readable | main/t1: | schedule`)).toBe("foreign-owner");
  });
});

describe("handoff while an op is pending (handoff-while-pending)", () => {
  it("flags it", () => {
    const v = violation(`zi1 task inproc | ${PULL} | main/t0: void recv s0, handoff s0 main/t1 | main/t1: | schedule`);
    expect(v.rule).toBe("handoff-while-pending");
  });
  it("allows the handoff once the socket is idle", () => {
    expect(label(`zi1 task inproc | ${PULL_PUSH} | main/t0: void recv s0, send s1 "x", handoff s0 main/t1 | main/t1: | schedule`)).toBe("ok");
  });
});

describe("worker exits with a pending op (teardown-while-pending)", () => {
  it("flags the exit", () => {
    const v = violation(`zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: recv s0 | w1/t1: exit | schedule`);
    expect(v.rule).toBe("teardown-while-pending");
    expect(v.message).toContain("exit code 134");
  });
  it("allows the exit after the socket is closed, and the thread's sockets close with it", () => {
    expect(label(`zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: close s0, exit | schedule`)).toBe("ok");
    const r = run(`zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: poll s0 readable, exit | schedule`);
    expect(r.verdict.kind).toBe("ok");
    expect(r.state.sockets[0]?.closed).toBe(true);
  });
  it("kills the thread's other tasks", () => {
    const r = run(`zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: exit | w1/t1: poll s0 readable | schedule`);
    expect(r.verdict.kind).toBe("ok");
    expect(r.history.filter((e) => e.kind === "invoke")).toHaveLength(1);
  });
});

describe("program ends with a pending op (stuck) or queued messages (exit-hang)", () => {
  it("is stuck with a pending receive", () => {
    const r = run(`zi1 thread inproc | ${PULL} | main/t0: recv s0 | schedule`);
    expect(r.verdict).toMatchObject({ kind: "stuck", actor: { thread: 0, task: 0 }, socket: "s0" });
  });
  it("hangs at exit with messages queued for a gone tcp peer and linger -1", () => {
    const r = run(`zi1 thread tcp | ${PULL_PUSH} | main/t0: close s0 | main/t1: send s1 "x" | schedule`);
    expect(r.verdict).toMatchObject({ kind: "exit-hang", sockets: ["s1"] });
    expect(r.verdict.kind === "exit-hang" && r.verdict.message).toContain("linger -1");
  });
  it("over tcp, a send in the same turn as the peer's close still goes out on the dying connection (lost, no hang)", () => {
    expect(label(`zi1 thread tcp | ${PULL_PUSH} | main/t0: close s0, send s1 "x" | schedule`)).toBe("ok");
    expect(label(`zi1 thread tcp | ${PULL_PUSH} | main/t0: close s0, send s1 "x", send s1 "y" | schedule`)).toBe("exit-hang");
  });
  it("exits with linger 0, and closing the sender drops the queue", () => {
    expect(label(`zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 linger=0 | main/t0: close s0 | main/t1: send s1 "x" | schedule`)).toBe("ok");
  });
  it("over inproc the send has no pipe and stays pending instead (a turn later; within the turn it is lost)", () => {
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: close s0 | main/t1: send s1 "x" | schedule`)).toBe("stuck");
    expect(label(`zi1 thread inproc | ${PULL_PUSH} | main/t0: close s0, send s1 "x" | schedule`)).toBe("ok");
  });
});

describe("the 513th consecutive immediate op (zeromq.js#406)", () => {
  it("is deferred to the end of the turn; legal when awaited, and the count resets", () => {
    const x = parseInterleaving(`zi1 thread inproc | ${PULL_PUSH} | main/t0: | schedule`);
    let state = zeromqModel.initial(x.scenario);
    const actor = { thread: 0, task: 0 };
    for (let k = 0; k < MAX_SYNC_OPERATIONS; k++) {
      const r = zeromqModel.step(state, actor, k, { kind: "send", socket: "s1", payload: `m${k}`, nowait: false });
      expect(r.violation).toBeNull();
      state = r.state;
    }
    expect(state.sockets[1]?.syncOps).toBe(MAX_SYNC_OPERATIONS);
    const r = zeromqModel.step(state, actor, MAX_SYNC_OPERATIONS, { kind: "send", socket: "s1", payload: "last", nowait: false });
    expect(r.violation).toBeNull();
    expect(r.events.map((e) => e.kind)).toEqual(["invoke"]);
    expect(r.state.sockets[1]?.pendingSend).not.toBeNull();
    const t = zeromqModel.endTurn(r.state);
    expect(t.events).toEqual([{ kind: "return", step: MAX_SYNC_OPERATIONS, actor, index: MAX_SYNC_OPERATIONS, result: { kind: "done" } }]);
    expect(t.state.sockets[1]?.syncOps).toBe(0);
  });
  it("is busy for a second op in the same direction within the turn", () => {
    const sends = Array.from({ length: MAX_SYNC_OPERATIONS + 2 }, (_, k) => `void send s1 "m${k}"`).join(", ");
    const r = run(`zi1 thread inproc | ${PULL_PUSH} | main/t0: ${sends} | schedule`);
    expect(r.verdict).toMatchObject({ kind: "violation", rule: "busy-send", step: MAX_SYNC_OPERATIONS + 1 });
  });
});

describe("step is pure", () => {
  it("leaves its input state untouched", () => {
    const x = parseInterleaving(`zi1 thread inproc | ${PULL_PUSH} | main/t0: | schedule`);
    const s0 = zeromqModel.initial(x.scenario);
    const before = JSON.stringify(s0.sockets);
    const r = zeromqModel.step(s0, { thread: 0, task: 0 }, 0, { kind: "send", socket: "s1", payload: "a", nowait: false });
    expect(JSON.stringify(s0.sockets)).toBe(before);
    expect(r.state.sockets[0]?.inbox).toHaveLength(1);
    expect(checkInterleaving(x).verdict.kind).toBe("ok");
  });
});
