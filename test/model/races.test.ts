import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { History } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";

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
