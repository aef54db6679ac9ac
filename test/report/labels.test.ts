import { describe, expect, it } from "vitest";
import type { Op, SocketSpec } from "../../src/interleaving/types.js";
import { opLabel, resultLabel, socketLabel } from "../../src/report/labels.js";

describe("labels", () => {
  it("writes each op as code on its socket", () => {
    const ops: Array<[Op, string]> = [
      [{ kind: "send", socket: "s0", payload: "a", nowait: false }, 's0.send("a")'],
      [{ kind: "send", socket: "s0", payload: "a", nowait: true, to: "s3" }, 'void s0.send("a", to s3)'],
      [{ kind: "recv", socket: "s1", nowait: true }, "void s1.receive()"],
      [{ kind: "poll", socket: "s1", event: "writable" }, "s1.writable"],
      [{ kind: "close", socket: "s2" }, "s2.close()"],
      [{ kind: "subscribe", socket: "s2", topic: "t" }, 's2.subscribe("t")'],
      [{ kind: "unsubscribe", socket: "s2", topic: "" }, 's2.unsubscribe("")'],
      [{ kind: "handoff", socket: "s0", to: { thread: 1, task: 2 } }, "s0.handoff(w1/t2)"],
      [{ kind: "exit" }, "exit()"],
    ];
    for (const [op, text] of ops) expect(opLabel(op)).toBe(text);
  });

  it("cuts long payloads before escaping them", () => {
    const op: Op = { kind: "send", socket: "s0", payload: `${"\n".repeat(3)}${"q".repeat(30)}`, nowait: false };
    expect(opLabel(op, { maxPayload: 6 })).toBe('s0.send("\\n\\n\\nqq…")');
    expect(opLabel(op, { maxPayload: 6, ascii: true })).toBe('s0.send("\\n\\n\\n...")');
    expect(resultLabel({ kind: "message", payload: "r".repeat(20), from: "s1" })).toBe(`"${"r".repeat(15)}…" from s1`);
  });

  it("writes results and sockets in a few words", () => {
    expect(resultLabel({ kind: "done" })).toBe("ok");
    expect(resultLabel({ kind: "poll", value: false })).toBe("false");
    expect(resultLabel({ kind: "error", code: "EBUSY", sync: true })).toBe("throws EBUSY");
    expect(resultLabel({ kind: "error", code: "EAGAIN", sync: false })).toBe("rejects EAGAIN");
    const sub: SocketSpec = { id: "s1", type: "sub", owner: { thread: 2, task: 0 }, endpoint: "e0", role: "connect", subscriptions: ["a", "b"], linger: 0 };
    expect(socketLabel(sub)).toBe('s1 sub, owner w2/t0, connect e0, topics "a" "b", linger 0');
  });
});
