import { describe, expect, it } from "vitest";
import { summarizeRuns } from "../../bench/rig/aggregate.js";
import { suite } from "../../bench/suites/kit-runtime.js";
import type { RoundRun } from "../../bench/rig/aggregate.js";
import type { SuiteResults } from "../../bench/rig/results.js";

const replay = 'zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull main/t1 connect e0 | main/t0: send s0 "m0" | main/t1: recv s1 | schedule';

function results(runs: RoundRun[]): SuiteResults {
  return {
    name: "kit-runtime",
    title: suite.title,
    profile: "full",
    rounds: runs.length,
    finishedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    machine: { cpus: 2, cpuModel: "test", memoryGiB: 1, os: "test", node: "v20", zeromq: "6.8.0", libzmq: "4.3.5", tinybench: "6", loadAtStart: 0 },
    cases: [
      {
        id: "tasks/inproc",
        labels: { placement: "tasks", threads: "main thread, 4 tasks", transport: "inproc" },
        runs,
        summary: summarizeRuns(runs, suite.ratios),
      },
    ],
  };
}

const run = (round: number, metrics: Record<string, number>, notes: Record<string, string> = {}): RoundRun => ({
  kind: "measured",
  round,
  metrics: { samples: 100, real: 1200, model: 36_000, ...metrics },
  outcome: "ok",
  notes: { src: "abc1234", ...notes },
});

describe("kit-runtime presentation", () => {
  it("reads the target, the paired cost ratio and the verdict counts", () => {
    const md = suite.present(results([run(0, { "verdict:ok": 10, "verdict:stuck": 290 }), run(1, { "verdict:stuck": 300 })])).markdown;
    expect(md).toContain("| main thread, 4 tasks, inproc | 1.2k [1.2k–1.2k]/s | ≥ 1.0k/s | met |");
    expect(md).toContain("30.00 [30.00–30.00]");
    expect(md).toContain("ok 10 · stuck 590");
    expect(md).toContain("no `diverged`, no `unknown`");
    expect(md).toContain("Code measured: abc1234.");
    expect(md).toContain("| 2/2 |");
    expect(md).toContain("Every child process exited on its own");
  });

  it("lists child processes that hung or crashed after their runs, keeping their numbers", () => {
    const md = suite.present(results([run(0, { "verdict:stuck": 300 }), run(1, { "verdict:stuck": 300 }, { exit: "crash: exited SIGABRT after its result; stderr: terminate called" })])).markdown;
    expect(md).toContain("1.2k [1.2k–1.2k]/s");
    expect(md).toContain("| 1/2 |");
    expect(md).toContain("**Child processes that hung or crashed:** main thread, 4 tasks, inproc 1/2");
    expect(md).toContain("- main thread, 4 tasks, inproc, run 2: crash: exited SIGABRT after its result; stderr: terminate called");
  });

  it("never hides a run that ended other than ok/stuck/exit-hang: kind, count and replay string are printed", () => {
    const md = suite.present(results([run(0, { "verdict:stuck": 299, "verdict:diverged": 1 }, { "problem:17": "diverged: recv s1 returned nothing", "replay:17": replay })])).markdown;
    expect(md).toContain("stuck 299 · diverged 1");
    expect(md).toContain("**Runs that ended other than ok/stuck/exit-hang:** main thread, 4 tasks, inproc: diverged");
    expect(md).toContain(`run 1, sample 17: diverged: recv s1 returned nothing\n  \`${replay}\``);
  });

  it("lists a child that died before reporting, with the sample it was running", () => {
    const failed: RoundRun = { kind: "failed", round: 1, reason: `child exited SIGABRT while running sample 17 without a result: terminate called; replay: ${replay}` };
    const md = suite.present(results([run(0, { "verdict:stuck": 300 }), failed])).markdown;
    expect(md).toContain("| 1/2 |");
    expect(md).toContain(`- main thread, 4 tasks, inproc, run 2: failed, no measurements: child exited SIGABRT while running sample 17 without a result: terminate called; replay: ${replay}`);
  });
});
