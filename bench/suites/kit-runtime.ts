/**
 * Suite "kit-runtime": real interleavings per second on zeromq sockets, set-up included
 * (each run creates, binds, connects and closes its sockets), for 4 actors x 5 ops in tasks
 * on the main thread and spread over the main thread and two workers, on inproc (with
 * targets) and tcp (for information); the same samples through the model alone give the
 * real/model cost ratio, paired per run. Every run's verdict is counted. The children run
 * the compiled kit (dist/) under plain node.
 */
import { fileURLToPath } from "node:url";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { KitBuild } from "../kit/build.js";
import { exitHangExplained } from "../kit/endings.js";
import { endingNotes, runKitChild, withEnding } from "../kit/child.js";
import { runtimeMarkdown, runtimePanels } from "../kit/present-runtime.js";
import { expectedVerdicts, runOutcome } from "../kit/verdicts.js";
import { drawShaped, shapeLabel } from "../kit/shape.js";
import { repoRoot } from "../rig/child.js";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { Shape } from "../kit/shape.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite, TaskTiming } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("../kit/runtime-child.mjs", import.meta.url));

type Placement = "tasks" | "workers";
type Transport = "inproc" | "tcp";

interface RuntimeCase {
  readonly placement: Placement;
  readonly transport: Transport;
}

/** The arbitrary of each placement (the transport is added). */
export const runtimeConstraints: Readonly<Record<Placement, InterleavingConstraints>> = {
  tasks: { threads: 1, tasksPerThread: 4, minTasksPerThread: 4, maxOps: 5, minOps: 5, ownership: "respect", executable: true },
  workers: { threads: 3, minThreads: 3, tasksPerThread: 2, maxOps: 5, minOps: 5, ownership: "respect", executable: true },
};

/** The samples kept: 4 actors with exactly 5 ops each, on every thread of the placement. */
export const runtimeShapes: Readonly<Record<Placement, Shape>> = {
  tasks: { actors: 4, ops: 5, threads: 1 },
  workers: { actors: 4, ops: 5, threads: 3 },
};

const placementLabels: Readonly<Record<Placement, string>> = {
  tasks: "main thread, 4 tasks",
  workers: "main + 2 worker threads",
};

const timings: Readonly<Record<Profile, TaskTiming>> = {
  // The executor's code keeps getting faster for the first thousand or so runs (JIT): the full
  // profile warms up for 1.5 s before measuring; quick only runs one pass first (cold numbers).
  full: { rounds: 3, timeMs: 1000, iterations: 2, warmupMs: 1500, warmupIterations: 2 },
  quick: { rounds: 1, timeMs: 150, iterations: 2, warmupMs: 0, warmupIterations: 1 },
};

const sampleCounts: Readonly<Record<Profile, number>> = { full: 150, quick: 40 };

/**
 * The pool every run of a child borrows from: a run takes 2 worker threads; once a worker has
 * exited in a run, one more is kept started, so the run after an exit does not wait for a
 * thread to start.
 */
export const runtimePool = { maxWorkers: 3, spares: 1 } as const;

/** Rough real runs per second on this machine kind, for the estimate only. */
const expectedRate: Readonly<Record<string, number>> = { "tasks/inproc": 1200, "workers/inproc": 300, "tasks/tcp": 250, "workers/tcp": 150 };

/** Both placements on inproc, then on tcp; the same in both profiles (quick runs fewer samples). */
function cases(): RuntimeCase[] {
  const all: RuntimeCase[] = [];
  for (const transport of ["inproc", "tcp"] as const) {
    for (const placement of ["tasks", "workers"] as const) all.push({ placement, transport });
  }
  return all;
}

function planCase(c: RuntimeCase, profile: Profile, build: KitBuild): PlannedCase {
  const timing = timings[profile];
  const count = sampleCounts[profile];
  const passMs = (1000 * count) / (expectedRate[`${c.placement}/${c.transport}`] ?? 100);
  const budget = (callMs: number): number =>
    Math.max(timing.warmupMs, timing.warmupIterations * callMs) + timing.rounds * Math.max(timing.timeMs, timing.iterations * callMs);
  // real, model (calls of a few ms), and for workers real:no-exit (about a third of a real pass)
  const estimate = 1200 + budget(passMs) + budget(5) + (c.placement === "workers" ? budget(passMs / 3) : 0);
  const shape = runtimeShapes[c.placement];
  return {
    id: `${c.placement}/${c.transport}`,
    labels: {
      placement: c.placement,
      threads: placementLabels[c.placement],
      transport: c.transport,
      shape: shapeLabel(shape),
      arbitrary: `interleavings(${JSON.stringify({ ...runtimeConstraints[c.placement], ...(c.transport === "tcp" ? { transport: "tcp" } : {}) })})`,
      pool: `WorkerPool(${JSON.stringify(runtimePool)})`,
    },
    estimateMs: estimate,
    run: (context) => runCase(c, profile, build, context),
  };
}

async function runCase(c: RuntimeCase, profile: Profile, build: KitBuild, context: RunContext): Promise<RunRecord> {
  const seed = 0x7a11 + 100 * context.round + (c.placement === "tasks" ? 0 : 10) + (c.transport === "inproc" ? 0 : 1);
  const arb = interleavings({ ...runtimeConstraints[c.placement], transport: c.transport });
  const shaped = drawShaped(arb, runtimeShapes[c.placement], { count: sampleCounts[profile], seed });
  const result = await runKitChild(context.pool, {
    script: childScript,
    samples: shaped.samples,
    config: { timing: timings[profile], pool: runtimePool, expected: expectedVerdicts, splitExit: c.placement === "workers", dist: build.distDir },
    timeoutMs: 180_000,
    // a run's own time limit is 20 s (runInterleaving's default); past 30 s it is not ending
    runLimitMs: 30_000,
  });
  if (result.kind === "failed") return result;
  return {
    kind: "measured",
    metrics: { ...result.metrics, draws: shaped.draws, exact: shaped.samples.length / shaped.draws },
    outcome: withEnding(runOutcome(result.metrics), result.ending),
    notes: { ...result.notes, ...endingNotes(result.ending, exitHangExplained(result.metrics)), seed: String(seed), ...build.notes() },
  };
}

/** The real-socket kit costs suite; it owns the record of which build it measures. */
function kitRuntimeSuite(): Suite {
  const build = new KitBuild(repoRoot);
  return {
    name: "kit-runtime",
    title: "Kit costs on real sockets: runInterleaving, 4 actors x 5 ops, set-up included",
    rounds: (profile) => (profile === "quick" ? 2 : 5),
    plan: (profile) => cases().map((c) => planCase(c, profile, build)),
    prepare: (_profile, log) => build.prepare(log),
    ratios: [{ name: "real/model cost", numerator: "model", denominator: "real" }],
    present: (results) => ({ panels: runtimePanels(results), markdown: runtimeMarkdown(results) }),
  };
}

/** The real-socket kit costs suite. */
export const suite: Suite = kitRuntimeSuite();
