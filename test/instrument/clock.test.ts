import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { endpoint } from "../guard/helpers.js";

const z = instrument(zmq);

describe("virtual time in instrumented runs", () => {
  it("sleeps of a minute take no real time; Date.now and performance.now follow the virtual clock", async () => {
    const seen: number[] = [];
    const started = performance.now();
    const report = await runInterleaved(
      async () => {
        const t0 = Date.now();
        const p0 = performance.now();
        await sleep(60_000);
        await new Promise((r) => setTimeout(r, 30_000));
        seen.push(Date.now() - t0, Math.round(performance.now() - p0));
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(seen).toEqual([90_000, 90_000]);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Real timers are back after the run.
    expect((globalThis.setTimeout as { clock?: unknown }).clock).toBeUndefined();
  });

  it("a heartbeat interval is a task of its own, its sends interleave with the main task's, and clearing it ends the run cleanly", async () => {
    const report = await runInterleaved(
      async ({ zmq: m }) => {
        const ep = endpoint();
        const pull = new m.Pull({ linger: 0 });
        await pull.bind(ep);
        const push = new m.Push({ linger: 0 });
        push.connect(ep);
        const beat = setInterval(() => void push.send("beat"), 1_000);
        const got: string[] = [];
        for (let i = 0; i < 3; i++) got.push(String(await pull.receive()));
        clearInterval(beat);
        expect(got).toEqual(["beat", "beat", "beat"]);
        push.close();
        pull.close();
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(report.text).toMatch(/main\/t1 = setInterval\(anonymous\)/);
  });

  it("an interval left running after the code returns is reported: the process would not exit", async () => {
    const report = await runInterleaved(
      async () => {
        setInterval(function beat() {}, 1_000);
      },
      { zmq: z },
    );
    expect(report.label).toBe("stuck");
    expect(report.text.replace(/\s+/g, " ")).toContain("setInterval(beat) at test/instrument/clock.test.ts");
    expect(report.text.replace(/\s+/g, " ")).toContain("is still active: the process would not exit");
  });

  it("fake timers of the test itself are refused with a clear error", async () => {
    const { vi } = await import("vitest");
    vi.useFakeTimers();
    try {
      await expect(runInterleaved(async () => {}, { zmq: z })).rejects.toThrow(/vi.useRealTimers/);
    } finally {
      vi.useRealTimers();
    }
  });
});
