import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { History } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { checkEveryRace, outcomeLabels } from "../../src/model/every-race.js";

// Where libzmq's threads race a turn, the model follows what a real run observed.
describe("races the model follows from observations", () => {
  // s2 answers s3's request, then closes. s3 (REQ) reads writable (false: it waits for its
  // reply), takes the reply, and sends again: into the dying pipe (lost), or finding none (pending).
  const x = parseInterleaving(
    'zi1 thread inproc | s0 dealer main/t0 bind e0 | s1 router w1/t0 connect e0 | s2 router w2/t0 bind e1 | s3 req w2/t1 connect e1 | s4 dealer w2/t0 connect e1 | main/t0: send s0 "m0", send s0 "m1", send s0 "m2", recv s0, recv s0 | w1/t0: poll s1 writable, recv s1, send s1 "m3" to s0, recv s1, recv s1 | w2/t0: send s2 "m4" to s3, close s2, poll s4 readable, recv s4, recv s4 | w2/t1: send s3 "m5", poll s3 writable, recv s3, poll s3 readable, send s3 "m6" | schedule 0 0 0 3 3 0 3 0 0 0 3 0 3 3 2 0',
  );
  const t1 = { thread: 2, task: 1 };
  const observed = (send: "done" | null): History => [
    { kind: "return", step: 8, actor: t1, index: 1, result: { kind: "poll", value: false } },
    ...(send === null ? [] : [{ kind: "return", step: 11, actor: t1, index: 4, result: { kind: "done" } } as const]),
  ];
  const sendReturned = (h: History) => h.some((e) => e.kind === "return" && e.actor.thread === 2 && e.actor.task === 1 && e.index === 4);

  it("a REQ's writable that reads false while it waits for its reply does not show it noticed the close: a send seen to return is lost", () => {
    const r = checkInterleaving(x, { history: true, observed: observed("done") });
    expect(sendReturned(r.history)).toBe(true);
    expect(r.verdict.kind).toBe("stuck");
  });

  it("the same send, seen pending, found no pipe", () => {
    const r = checkInterleaving(x, { history: true, observed: observed(null) });
    expect(sendReturned(r.history)).toBe(false);
  });
});

// Where the pure check cannot know how a race went, it lists every outcome.
describe("checkEveryRace", () => {
  // main/t1 closes the PULL main/t0 waits on, then sends from its PUSH into the pipe that is
  // dying: the model's default loses the message (ok), but libzmq may already have torn the
  // pipe down, and then the send waits for ever (a guarded run on real sockets ended stuck).
  const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 linger=0 | main/t0: recv s0, recv s0, recv s0 | main/t1: close s0, send s1 "m0" | schedule 0 0');

  it("lists the verdicts of every race outcome; the default outcome is one of them", () => {
    expect(checkInterleaving(x).verdict.kind).toBe("ok");
    const every = checkEveryRace(x);
    expect(outcomeLabels(every.outcomes).sort()).toEqual(["ok", "stuck"]);
    expect(every.kind).toBe("fails");
    if (every.kind !== "fails") return;
    // The counterexample carries the race choices that replay the failing outcome.
    expect(checkInterleaving(every.counterexample).verdict.kind).toBe(every.failing.verdict.kind);
    expect(every.counterexample.races?.length ?? 0).toBeGreaterThan(0);
  });

  it("is ok only when every outcome is ok, and stops at its budget with unknown", () => {
    const calm = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "a" | schedule');
    expect(checkEveryRace(calm).kind).toBe("ok");
    const tcp = parseInterleaving('zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: poll s0 readable, poll s0 readable, poll s0 readable | main/t1: void send s1 "a", void send s1 "b" | schedule 1');
    const capped = checkEveryRace(tcp, { budget: 1 });
    expect(checkEveryRace(tcp).outcomes.length).toBeGreaterThan(1);
    expect(capped.kind).toBe("unknown");
  });
});
