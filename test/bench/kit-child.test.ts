import { describe, expect, it } from "vitest";
import { encodeMessage, decodeLine } from "../../bench/rig/protocol.js";
import { endingNotes, readOutcome, withEnding } from "../../bench/kit/child.js";
import type { ChildOutcome } from "../../bench/rig/child.js";
import type { ChildMessage } from "../../bench/rig/protocol.js";

const result = decodeLine(encodeMessage({ kind: "result", metrics: { real: 900 }, notes: {} }).trimEnd()) as ChildMessage;
const exited = (code: number | null, signal: NodeJS.Signals | null, messages: ChildMessage[], stderr = ""): ChildOutcome => ({ kind: "exited", code, signal, endedAt: 0, messages, stderr });

describe("kit child outcomes", () => {
  it("keeps the measurements of a child that hung or crashed after its result, and says so", () => {
    expect(readOutcome(exited(0, null, [result]))).toEqual({ kind: "result", metrics: { real: 900 }, notes: {}, ending: { kind: "clean" } });
    const hung = readOutcome({ kind: "killed", limitMs: 15_000, endedAt: 0, messages: [result], stderr: "WARNING: Waiting for queued ZeroMQ messages to be delivered.\n" });
    expect(hung).toMatchObject({ kind: "result", metrics: { real: 900 }, ending: { kind: "hang" } });
    expect(hung.kind === "result" && hung.ending.kind !== "clean" ? hung.ending.detail : "").toContain("Waiting for queued ZeroMQ messages");
    const crashed = readOutcome(exited(null, "SIGABRT", [result], "terminate called after throwing an instance of 'Napi::Error'\n"));
    expect(crashed).toMatchObject({ kind: "result", ending: { kind: "crash" } });
    expect(crashed.kind === "result" && crashed.ending.kind !== "clean" ? crashed.ending.detail : "").toMatch(/^exited SIGABRT after its result; stderr: terminate called/);
  });

  it("fails a run without a result, or with the child's own error", () => {
    expect(readOutcome(exited(1, null, [], "boom\n"))).toEqual({ kind: "failed", reason: "child exited 1 without a result: boom" });
    expect(readOutcome({ kind: "killed", limitMs: 5, endedAt: 0, messages: [], stderr: "" })).toMatchObject({ kind: "failed", reason: /killed after 5 ms without a result/ });
    const error = decodeLine(encodeMessage({ kind: "result", metrics: {}, notes: { error: "Error: no samples" } }).trimEnd()) as ChildMessage;
    expect(readOutcome(exited(1, null, [error]))).toEqual({ kind: "failed", reason: "Error: no samples" });
  });

  it("names the run's outcome after what it measured and how it ended", () => {
    expect(withEnding("ok", { kind: "clean" })).toBe("ok");
    expect(withEnding("ok", { kind: "hang", detail: "" })).toBe("process-hang");
    expect(withEnding("diverged", { kind: "crash", detail: "" })).toBe("diverged+process-crash");
    expect(endingNotes({ kind: "clean" }, "why")).toEqual({});
    expect(endingNotes({ kind: "hang", detail: "killed" })).toEqual({ exit: "hang: killed" });
    expect(endingNotes({ kind: "hang", detail: "killed" }, "2 runs ended exit-hang")).toEqual({ exit: "hang: killed (2 runs ended exit-hang)" });
  });
});

describe("kit child that dies mid-run", () => {
  it("names the sample it was running and its replay string", () => {
    const running = (value: number): ChildMessage => ({ kind: "value", name: "running", value });
    const died = readOutcome(exited(null, "SIGABRT", [running(3), running(17)], "terminate called after throwing an instance of 'Napi::Error'\n"), (i) => (i === 17 ? "zi1 replay" : undefined));
    expect(died).toEqual({
      kind: "failed",
      reason: "child exited SIGABRT while running sample 17 without a result: terminate called after throwing an instance of 'Napi::Error'; replay: zi1 replay",
    });
  });
});

describe("kit child whose run never ends", () => {
  it("says which sample's run was still going when the child was killed", () => {
    const running: ChildMessage = { kind: "value", name: "running", value: 16 };
    expect(readOutcome({ kind: "killed", limitMs: 30_000, endedAt: 0, messages: [running], stderr: "" }, () => "zi1 x")).toEqual({
      kind: "failed",
      reason: "child was killed when the run of sample 16 had taken 30000 ms without a result: (no stderr); replay: zi1 x",
    });
  });
});
