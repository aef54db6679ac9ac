/**
 * `npm run bench`: runs the selected suites' cases in fresh child processes, interleaved
 * round-robin, then writes the results file, the chart and the results section of bench/README.md.
 */
import { join } from "node:path";
import { summarizeRuns } from "./rig/aggregate.js";
import { parseBenchArgs, usage } from "./rig/args.js";
import { renderChart } from "./rig/chart.js";
import { ChildPool, repoRoot } from "./rig/child.js";
import { BenchError, describeError } from "./rig/errors.js";
import { formatDuration } from "./rig/format.js";
import { describeMachine, machineLine } from "./rig/machine.js";
import { Progress } from "./rig/progress.js";
import { loadSuites, selectSuites } from "./rig/registry.js";
import { renderGenerated, updateReadme } from "./rig/readme.js";
import { mergeResults, readResults, writeAtomically, writeResults } from "./rig/results.js";
import { interleave } from "./rig/schedule.js";
import type { RoundRun } from "./rig/aggregate.js";
import type { BenchArgs } from "./rig/args.js";
import type { Panel } from "./rig/chart.js";
import type { ResultsFile, SuiteResults } from "./rig/results.js";
import type { PlannedCase, Presentation, RunRecord, Suite } from "./rig/suite.js";

const resultsDir = join(repoRoot, "bench", "results");

interface SuitePlan {
  readonly suite: Suite;
  readonly cases: readonly PlannedCase[];
  readonly rounds: number;
}

async function main(args: BenchArgs): Promise<void> {
  const all = await loadSuites();
  const selected = selectSuites(all, args.suites);
  const plans: SuitePlan[] = selected.map((suite) => ({
    suite,
    cases: suite.plan(args.profile),
    rounds: args.rounds ?? suite.rounds(args.profile),
  }));
  const schedule = interleave(plans.map((p) => ({ suite: p.suite.name, cases: p.cases.length, rounds: p.rounds })));
  const planOf = (name: string): SuitePlan => plans.find((p) => p.suite.name === name) as SuitePlan;
  const caseOf = (name: string, index: number): PlannedCase => planOf(name).cases[index] as PlannedCase;
  const progress = new Progress(schedule.map((r) => caseOf(r.suite, r.caseIndex).estimateMs), (line) => console.log(line));

  const machine = describeMachine();
  console.log(`zmq-interleave benchmarks, ${args.profile} profile on ${machineLine(machine)}`);
  for (const p of plans) {
    const ms = p.cases.reduce((s, c) => s + c.estimateMs, 0) * p.rounds;
    console.log(`  ${p.suite.name}: ${p.cases.length} configurations x ${p.rounds} runs, about ${formatDuration(ms)}`);
  }
  console.log(`Estimated duration: about ${formatDuration(progress.estimateMs)} (${schedule.length} child processes, one at a time).`);
  if (args.list) return;
  try {
    for (const p of plans) await p.suite.prepare?.(args.profile, (line) => console.log(line));
  } catch (err) {
    console.error(describeError(err));
    process.exitCode = 1;
    return;
  }

  const pool = new ChildPool();
  const uninstall = pool.killOnExit();
  const runs = new Map<string, RoundRun[]>();
  const spent = new Map<string, number>();
  try {
    for (const item of schedule) {
      const planned = caseOf(item.suite, item.caseIndex);
      const started = performance.now();
      let record: RunRecord;
      try {
        record = await planned.run({ pool, profile: args.profile, round: item.round });
      } catch (err) {
        record = { kind: "failed", reason: describeError(err) };
      }
      spent.set(item.suite, (spent.get(item.suite) ?? 0) + performance.now() - started);
      const key = `${item.suite}\u0000${planned.id}`;
      runs.set(key, [...(runs.get(key) ?? []), { ...record, round: item.round }]);
      progress.step(`${item.suite} ${planned.id} (run ${item.round + 1})`, record.kind === "failed" ? `FAILED: ${record.reason}` : record.outcome);
    }
  } finally {
    pool.killAll();
    uninstall();
  }

  const now = new Date();
  const suiteResults: SuiteResults[] = plans.map((p) => ({
    name: p.suite.name,
    title: p.suite.title,
    profile: args.profile,
    rounds: p.rounds,
    finishedAt: now.toISOString(),
    durationMs: Math.round(spent.get(p.suite.name) ?? 0),
    machine,
    cases: p.cases.map((c) => {
      const caseRuns = runs.get(`${p.suite.name}\u0000${c.id}`) ?? [];
      return { id: c.id, labels: c.labels, runs: caseRuns, summary: summarizeRuns(caseRuns, p.suite.ratios) };
    }),
  }));

  const canonical = args.profile === "full" && args.rounds === undefined;
  const name = canonical ? "latest" : args.profile === "quick" ? "quick.tmp" : "partial.tmp";
  const jsonPath = join(resultsDir, `${name}.json`);
  const file: ResultsFile = canonical ? mergeResults(readResults(jsonPath), suiteResults, now) : mergeResults(undefined, suiteResults, now);
  writeResults(jsonPath, file);
  const presentations = draw(file, all, name, canonical);

  for (const s of suiteResults) {
    console.log(`\n## ${s.title}\n`);
    console.log(presentations.get(s.name)?.markdown ?? "");
  }
  console.log(`\nDone in ${formatDuration(progress.elapsedMs)} (estimated ${formatDuration(progress.estimateMs)}).`);
  console.log(`Results: ${jsonPath}`);
}

/** Writes the chart (and for the canonical results, the results in bench/README.md); returns the presentations. */
function draw(file: ResultsFile, suites: readonly Suite[], name: string, canonical: boolean): Map<string, Presentation> {
  const presentations = present(file, suites);
  const chartPath = join(resultsDir, canonical ? "chart.svg" : `${name}.svg`);
  writeAtomically(chartPath, renderChart("zmq-interleave benchmarks", chartSubtitle(file), [...presentations.values()].flatMap((p): Panel[] => [...p.panels])));
  console.log(`Chart:   ${chartPath}`);
  if (canonical) {
    updateReadme(join(repoRoot, "bench", "README.md"), renderGenerated(file, presentations, "results/chart.svg"));
    console.log("bench/README.md: results updated");
  }
  return presentations;
}

/** --render: redraws from the committed results without running anything. */
async function render(): Promise<void> {
  const file = readResults(join(resultsDir, "latest.json"));
  if (file === undefined) throw new BenchError("BAD_RESULTS", "no bench/results/latest.json yet: run `npm run bench` first");
  draw(file, await loadSuites(), "latest", true);
}

function present(file: ResultsFile, suites: readonly Suite[]): Map<string, Presentation> {
  const out = new Map<string, Presentation>();
  for (const results of Object.values(file.suites)) {
    const suite = suites.find((s) => s.name === results.name);
    if (suite !== undefined) out.set(results.name, suite.present(results));
  }
  return out;
}

function chartSubtitle(file: ResultsFile): string {
  const first = Object.values(file.suites)[0];
  const where = first === undefined ? "" : machineLine(first.machine);
  return `${where}; updated ${file.updatedAt.slice(0, 16).replace("T", " ")} UTC`;
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(BenchError.is(err) ? err.message : describeError(err));
  process.exit(2);
}
if (args.help) {
  console.log(usage);
} else if (args.render) {
  await render();
} else {
  await main(args);
}
