import { describe, expect, it } from "vitest";
import { decodeLine, encodeMessage } from "../../bench/rig/protocol.js";
import type { ChildMessage } from "../../bench/rig/protocol.js";

describe("child protocol", () => {
  it("round-trips every kind of message through one line", () => {
    const messages: ChildMessage[] = [
      { kind: "mark", name: "shutdown", at: 1_700_000_000_123.456 },
      { kind: "value", name: "delivered", value: 10_000 },
      { kind: "result", metrics: { A: 1, "events:A": 2 }, notes: { "error:B1": "boom" } },
    ];
    for (const m of messages) {
      const line = encodeMessage(m);
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1).includes("\n")).toBe(false);
      expect(decodeLine(line.slice(0, -1))).toEqual(m);
    }
  });

  it("ignores ordinary output and malformed messages", () => {
    expect(decodeLine("hello")).toBeUndefined();
    expect(decodeLine("@zmq-bench {not json")).toBeUndefined();
    expect(decodeLine('@zmq-bench {"kind":"mark","name":"x"}')).toBeUndefined();
    expect(decodeLine('@zmq-bench {"kind":"result","metrics":{"a":"1"},"notes":{}}')).toBeUndefined();
  });
});
