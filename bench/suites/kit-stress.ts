/**
 * Suite "kit-stress": the runner under CPU oversubscription and over a long campaign. Each
 * case is one fresh child process per round running guarded real runs back to back through
 * `runInterleaving(x, { pool })` with one WorkerPool, counting every verdict:
 *
 * - oversubscribed: while busy-loop processes keep every core busy twice over (2 per core),
 *   1,200 runs per round (6,000 in the full profile's 5 rounds); the target is no `diverged`
 *   and no `unknown`: a loaded machine must not read as a divergence or a time-out.
 * - campaign: 100,000 runs in one process, memory sampled every 1,000 runs; the target is RSS
 *   growth under 50 MB from run 10,000 to the end.
 *
 * The runs are drawn 1,000 at a time from a fixed mix of the kit's arbitraries (`stressMix`).
 * The children run the compiled kit (a frozen dist/ snapshot) under plain node.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { KitBuild } from "../kit/build.js";
import { exitHangExplained } from "../kit/endings.js";
import { endingNotes, readOutcome, withEnding } from "../kit/child.js";
import { stressMarkdown, stressPanels } from "../kit/present-stress.js";
import { repoRoot } from "../rig/child.js";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("../kit/stress-child.mjs", import.meta.url));

/** One part of every batch of 1,000 runs. */
export interface MixPart {
  readonly name: string;
  readonly share: number;
  readonly constraints: InterleavingConstraints;
}

/** What the runs are drawn from: shares of each batch of 1,000 (they add up to 1). */
export const stressMix: readonly MixPart[] = [
  { name: "tasks on the main thread", share: 0.5, constraints: { threads: 1, tasksPerThread: 4, minTasksPerThread: 2, minOps: 2, maxOps: 6, ownership: "respect", executable: true } },
  { name: "main thread and a worker", share: 0.25, constraints: { threads: 2, minThreads: 2, tasksPerThread: 2, minOps: 2, maxOps: 6, ownership: "respect", executable: true } },
  { name: "any ownership (the guard refuses the violating step)", share: 0.15, constraints: { threads: 1, tasksPerThread: 3, minTasksPerThread: 2, minOps: 2, maxOps: 6, ownership: "any", executable: true } },
  { name: "tcp, tasks on the main thread", share: 0.1, constraints: { threads: 1, tasksPerThread: 2, minOps: 2, maxOps: 6, ownership: "respect", transport: "tcp", executable: true } },
];

/** The pool every run of a child borrows from (a run takes at most 1 worker thread). */
export const stressPool = { maxWorkers: 2, spares: 1 } as const;

type CaseName = "oversubscribed" | "campaign";

interface StressCase {
  readonly name: CaseName;
  readonly runs: number;
  /** busy-loop processes per core */
  readonly busyPerCore: number;
  /** memory is sampled every this many runs */
  readonly every: number;
  /** growth is measured from this run on */
  readonly baseAt: number;
  /** rough runs per second, for the estimate */
  readonly rate: number;
}

const cases: Readonly<Record<Profile, readonly StressCase[]>> = {
  full: [
    { name: "oversubscribed", runs: 1_200, busyPerCore: 2, every: 100, baseAt: 100, rate: 45 },
    { name: "campaign", runs: 100_000, busyPerCore: 0, every: 1_000, baseAt: 10_000, rate: 1_000 },
  ],
  quick: [
    { name: "oversubscribed", runs: 300, busyPerCore: 2, every: 50, baseAt: 50, rate: 45 },
    { name: "campaign", runs: 10_000, busyPerCore: 0, every: 500, baseAt: 2_000, rate: 1_000 },
  ],
};

/** A child that reports no progress for this long is stuck: killed, and the run fails. */
const stallMs = 180_000;

function planCase(c: StressCase, build: KitBuild): PlannedCase {
  const busy = c.busyPerCore * availableParallelism();
  return {
    id: c.name,
    labels: {
      case: c.name,
      runs: String(c.runs),
      load: busy === 0 ? "none added" : `${busy} busy-loop processes (${c.busyPerCore} per core)`,
      memory: `sampled every ${c.every} runs; growth from run ${c.baseAt}`,
      mix: stressMix.map((m) => `${Math.round(100 * m.share)}% ${m.name}: interleavings(${JSON.stringify(m.constraints)})`).join("; "),
      pool: `WorkerPool(${JSON.stringify(stressPool)})`,
    },
    estimateMs: 2_000 + (1000 * c.runs) / c.rate,
    run: (context) => runCase(c, busy, build, context),
  };
}

async function runCase(c: StressCase, busy: number, build: KitBuild, context: RunContext): Promise<RunRecord> {
  const seed = 0x57e5 + 1000 * context.round + (c.name === "campaign" ? 500 : 0);
  const config = {
    dist: build.distDir,
    runs: c.runs,
    seed,
    busy,
    every: c.every,
    baseAt: c.baseAt,
    pool: stressPool,
    mix: stressMix.map((m) => ({ share: m.share, constraints: m.constraints })),
  };
  const outcome = await context.pool.run({
    script: childScript,
    args: [JSON.stringify(config)],
    timeoutMs: stallMs,
    // Progress moves the limit: a long campaign is fine, a stalled one is not.
    onMessage: (message, control) => {
      if (message.kind === "value" && message.name === "runs") control.setDeadline(stallMs);
      else if (message.kind === "result") control.setDeadline(10_000);
    },
  });
  const result = readOutcome(outcome);
  if (result.kind === "failed") return result;
  const m = result.metrics;
  const odd = (m["diverged"] ?? 0) + (m["unknown"] ?? 0) + (m["errors"] ?? 0);
  const base = odd === 0 ? "ok" : ["diverged", "unknown", "errors"].filter((k) => (m[k] ?? 0) > 0).join("+");
  return {
    kind: "measured",
    metrics: m,
    outcome: withEnding(base, result.ending),
    notes: { ...result.notes, ...endingNotes(result.ending, exitHangExplained(m)), seed: String(seed), ...build.notes() },
  };
}

/** The stress suite; it owns the record of which build it measures. */
function kitStressSuite(): Suite {
  const build = new KitBuild(repoRoot);
  return {
    name: "kit-stress",
    title: "Kit under stress: guarded runs at 2x CPU oversubscription, and a long campaign's memory",
    rounds: (profile) => (profile === "quick" ? 1 : 5),
    plan: (profile) => cases[profile].map((c) => planCase(c, build)),
    prepare: (_profile, log) => build.prepare(log),
    ratios: [],
    present: (results) => ({ panels: stressPanels(results), markdown: stressMarkdown(results) }),
  };
}

/** The stress suite. */
export const suite: Suite = kitStressSuite();
