import { describe, expect, it } from "vitest";
import { summarizeRuns } from "../../bench/rig/aggregate.js";
import { stressMix, suite } from "../../bench/suites/kit-stress.js";
import type { RoundRun } from "../../bench/rig/aggregate.js";
import type { CaseResult, SuiteResults } from "../../bench/rig/results.js";

const replay = 'zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull main/t1 connect e0 | main/t0: send s0 "m0" | main/t1: recv s1 | schedule';

function stressCase(id: "oversubscribed" | "campaign", runs: RoundRun[]): CaseResult {
  const labels =
    id === "campaign"
      ? { case: id, runs: "100000", load: "none added", memory: "sampled every 1000 runs; growth from run 10000", mix: "50% tasks", pool: "WorkerPool({})" }
      : { case: id, runs: "1200", load: "4 busy-loop processes (2 per core)", memory: "sampled every 100 runs; growth from run 100", mix: "50% tasks", pool: "WorkerPool({})" };
  return { id, labels, runs, summary: summarizeRuns(runs, suite.ratios) };
}

function results(cases: CaseResult[]): SuiteResults {
  return {
    name: "kit-stress",
    title: suite.title,
    profile: "full",
    rounds: 2,
    finishedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    machine: { cpus: 2, cpuModel: "test", memoryGiB: 1, os: "test", node: "v20", zeromq: "6.8.0", libzmq: "4.3.5", tinybench: "6", loadAtStart: 0 },
    cases,
  };
}

const run = (round: number, metrics: Record<string, number>, notes: Record<string, string> = {}): RoundRun => ({
  kind: "measured",
  round,
  metrics: { opsPerRun: 7.5, actorsPerRun: 2, socketsPerRun: 3.3, rate: 100, load1: 6, lostWorkers: 0, ...metrics },
  outcome: "ok",
  notes: { src: "abc1234", ...notes },
});

const campaignRun = (round: number, growth: number, extra: Record<string, number> = {}): RoundRun =>
  run(round, { runs: 100_000, "verdict:ok": 40_000, "verdict:stuck": 60_000, diverged: 0, unknown: 0, "rss:1000": 100, "rss:10000": 120, "rss:100000": 120 + growth, rssBase: 120, rssEnd: 120 + growth, rssGrowth: growth, rssMaxGrowth: growth + 2, heapGrowth: 1, ...extra });

describe("kit-stress", () => {
  it("draws each batch from a mix that adds up to the whole batch", () => {
    expect(stressMix.reduce((s, m) => s + m.share, 0)).toBeCloseTo(1, 10);
    expect(suite.plan("full").map((c) => [c.id, c.labels["runs"]])).toEqual([
      ["oversubscribed", "1200"],
      ["campaign", "100000"],
    ]);
    expect(suite.rounds("full") * Number(suite.plan("full")[0]?.labels["runs"])).toBeGreaterThanOrEqual(5000);
  });

  it("sums the verdicts of every process against the targets and reads the RSS growth against its budget", () => {
    const over = stressCase("oversubscribed", [run(0, { runs: 1200, "verdict:ok": 200, "verdict:stuck": 1000 }), run(1, { runs: 1200, "verdict:ok": 200, "verdict:stuck": 999, "verdict:violation": 1 })]);
    const campaign = stressCase("campaign", [campaignRun(0, 3), campaignRun(1, 5)]);
    const p = suite.present(results([over, campaign]));
    expect(p.markdown).toContain("2,400 runs in 2 processes: **diverged 0, unknown 0** (target 0 and 0: met)");
    expect(p.markdown).toContain("growth 4.0 MB [3.5 MB–4.5 MB]");
    expect(p.markdown).toContain("target under 50 MB: met in every process");
    expect(p.markdown).toContain("| oversubscribed | 4 busy-loop processes (2 per core) | 2,400 |");
    expect(p.markdown).toContain("ok 400 · stuck 1,999 · violation 1");
    expect(p.markdown).toContain("steps 2.0 actors through 7.5 ops");
    expect(p.panels.map((panel) => panel.title)).toEqual(["kit-stress: RSS over a 100k-run campaign", "kit-stress: guarded real runs/s"]);
  });

  it("never hides a diverged or unknown run, nor memory growth over the budget", () => {
    const campaign = stressCase("campaign", [campaignRun(0, 60, { "verdict:diverged": 1, diverged: 1 }), campaignRun(1, 4)]);
    const md = suite.present(results([campaign])).markdown;
    expect(md).toContain("**diverged 1, unknown 0** (target 0 and 0: missed)");
    expect(md).toContain("met by the median, missed in some process");
    const noted = suite.present(results([stressCase("campaign", [campaignRun(0, 1, { "verdict:unknown:time-limit": 1, unknown: 1 }), campaignRun(1, 1)].map((r, i) => (i === 0 ? { ...r, notes: { ...("notes" in r ? r.notes : {}), "problem:17": "unknown:time-limit: slow", "replay:17": replay } } : r)))])).markdown;
    expect(noted).toContain("- campaign, process 1, run 17: unknown:time-limit: slow");
    expect(noted).toContain(`\`${replay}\``);
  });
});
