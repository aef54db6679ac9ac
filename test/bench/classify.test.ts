import { describe, expect, it } from "vitest";
import { classifyShutdown } from "../../bench/shutdown/classify.js";
import type { ChildOutcome } from "../../bench/rig/child.js";
import type { ChildMessage } from "../../bench/rig/protocol.js";

const t0 = 1_000_000;
const mark = (name: string, dt: number): ChildMessage => ({ kind: "mark", name, at: t0 + dt });
const delivered = (value: number): ChildMessage => ({ kind: "value", name: "delivered", value });

const exited = (messages: ChildMessage[], endedAfter: number, code: number | null = 0, signal: NodeJS.Signals | null = null, stderr = ""): ChildOutcome => ({
  kind: "exited",
  code,
  signal,
  endedAt: t0 + endedAfter,
  messages,
  stderr,
});
const killed = (messages: ChildMessage[]): ChildOutcome => ({ kind: "killed", limitMs: 1500, endedAt: t0 + 1500, messages, stderr: "" });

describe("classifyShutdown", () => {
  it("times an exit from the first step to the process's end and counts losses", () => {
    const r = classifyShutdown(exited([mark("shutdown", 0), mark("step:close-pub", 0.1), delivered(3500), mark("done", 40), mark("exit-event", 41)], 70), 10_000);
    expect(r).toMatchObject({ kind: "measured", outcome: "exit" });
    if (r.kind !== "measured") return;
    expect(r.metrics["exitMs"]).toBe(70);
    expect(r.metrics["afterStepsMs"]).toBe(30);
    expect(r.metrics["delivered"]).toBe(3500);
    expect(r.metrics["lost"]).toBe(6500);
    expect(r.metrics["steps"]).toBe(1);
  });

  it("tells a linger hang (after 'exit') from a live event loop and from a step that never returned", () => {
    const linger = classifyShutdown(killed([mark("shutdown", 0), mark("done", 5), mark("exit-event", 6)]), 10);
    const alive = classifyShutdown(killed([mark("shutdown", 0), mark("done", 5)]), 10);
    const step = classifyShutdown(killed([mark("shutdown", 0), mark("step:exit-worker", 1)]), 10);
    expect([linger, alive, step].map((r) => (r.kind === "measured" ? r.outcome : r.kind))).toEqual(["hang-linger", "hang-alive", "hang-step"]);
    if (linger.kind === "measured") expect(linger.metrics["exitMs"]).toBeUndefined();
  });

  it("calls exit code 134 or SIGABRT an abort and exit code 1 a crash", () => {
    const abortCode = classifyShutdown(exited([mark("shutdown", 0)], 10, 134), 10);
    if (abortCode.kind === "measured") expect(abortCode.metrics["exitMs"]).toBeUndefined();
    const abortSignal = classifyShutdown(exited([mark("shutdown", 0)], 10, null, "SIGABRT"), 10);
    const crash = classifyShutdown(exited([mark("shutdown", 0)], 10, 1, null, "Error: unhandled rejection EAGAIN"), 10);
    expect([abortCode, abortSignal, crash].map((r) => (r.kind === "measured" ? r.outcome : r.kind))).toEqual(["abort", "abort", "crash"]);
    if (crash.kind === "measured") expect(crash.notes["stderr"]).toContain("EAGAIN");
  });

  it("notes libzmq's linger warning", () => {
    const r = classifyShutdown({ ...killed([mark("shutdown", 0), mark("done", 1), mark("exit-event", 2)]), stderr: "WARNING: Waiting for queued ZeroMQ messages to be delivered." }, 1);
    expect(r.kind === "measured" && r.notes["warning"]).toBeTruthy();
  });

  it("is a rig failure when setup never reached the first step", () => {
    expect(classifyShutdown(exited([mark("start", 0)], 10, 3, null, "setup failed: JOIN_TIMEOUT"), 10)).toMatchObject({ kind: "failed" });
    expect(classifyShutdown(killed([]), 10)).toMatchObject({ kind: "failed" });
  });
});

describe("classifyShutdown on memory errors", () => {
  it("tells glibc's heap-corruption abort and a segfault from zeromq.js#411's abort", () => {
    const outcomeOf = (o: ChildOutcome): string => {
      const r = classifyShutdown(o, 1);
      return r.kind === "measured" ? r.outcome : r.kind;
    };
    const base = [mark("shutdown", 0)];
    expect(outcomeOf(exited(base, 5, null, "SIGABRT", "terminate called after throwing an instance of 'Napi::Error'"))).toBe("abort");
    expect(outcomeOf(exited(base, 5, null, "SIGABRT", "corrupted double-linked list"))).toBe("heap-corruption");
    expect(outcomeOf(exited(base, 5, null, "SIGABRT", "munmap_chunk(): invalid pointer"))).toBe("heap-corruption");
    expect(outcomeOf(exited(base, 5, null, "SIGSEGV"))).toBe("segfault");
  });
});
