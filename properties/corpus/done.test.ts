import * as zmq from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { checkInterleaves } from "../../src/instrument/check.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { corpus, type CorpusProgram } from "./index.js";
import * as retryResend from "./programs/retry-resend.js";

vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

const byName = (name: string): CorpusProgram => {
  const p = corpus.find((x) => x.name === name);
  if (p === undefined) throw new Error(`no corpus program ${name}`);
  return p;
};
const program = (p: CorpusProgram) => async (): Promise<void> => {
  const result = await p.run();
  p.check?.(result);
};

describe("tasks of unmodified code are lanes", () => {
  it("kernel-client's three reader loops show as three lanes named after their functions", async () => {
    const report = await runInterleaved(program(byName("kernel-client")), { zmq });
    expect(report.label).toBe("ok");
    const names = (report.timeline.actorNames ?? []).map((a) => a.name);
    for (const loop of ["readIopub", "readShell", "readControl"]) expect(names.some((n) => n.endsWith(loop))).toBe(true);
  });
});

describe("a timer-driven bug on virtual time", () => {
  it("retry-resend is found, shrinks to at most 20 steps, replays 100 of 100 times, and a run takes less real time than its sleeps", async () => {
    // Sleeps as a service has them: the server starts after 2 s, the client retries every second.
    const p: CorpusProgram = { ...byName("retry-resend"), run: () => retryResend.run({ startupMs: 2_000, retryMs: 1_000 }) };
    const found = await checkInterleaves(program(p), { zmq, runs: 200, seed: 20261207 });
    expect(found.kind).toBe("failed");
    if (found.kind !== "failed" || found.schedule === null) return;
    expect(found.label).toBe("busy-send");
    const first = await runInterleaved(program(p), { zmq, schedule: found.schedule });
    expect(first.label).toBe("busy-send");
    expect(first.timeline.history.length).toBeLessThanOrEqual(20);
    // The same events in the same order (payloads hold fresh request ids, so they are left out).
    const shape = (h: typeof first.history): string => JSON.stringify(h.map((e) => (e.kind === "invoke" ? [e.step, e.actor, e.op.kind, "socket" in e.op ? e.op.socket : ""] : [e.step, e.actor, e.result.kind])));
    let same = 0;
    let realMs = 0;
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      const again = await runInterleaved(program(p), { zmq, schedule: found.schedule });
      realMs += performance.now() - started;
      if (again.label === first.label && shape(again.timeline.history) === shape(first.timeline.history)) same++;
    }
    expect(same).toBe(100);
    // The program's sleeps and timers took virtual time; the real time a run took is well under it.
    expect(first.virtualMs).toBeGreaterThan(0);
    expect(realMs / 100).toBeLessThan(first.virtualMs);
  }, 300_000);
});
