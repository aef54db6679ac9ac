/**
 * Suite "kit-model": what the kit costs without sockets, for interleavings of 4 actors x 5
 * ops (2 threads x 2 tasks: the main thread and one worker). The model alone over
 * pre-generated samples; generate-and-check through fc.check with the kit's arbitrary; and,
 * measured the same way in the same process, fast-check's own scheduler on the same shape and
 * a bare array of choices. The children run the compiled kit (dist/) under plain node.
 */
import { fileURLToPath } from "node:url";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { KitBuild } from "../kit/build.js";
import { endingNotes, runKitChild, withEnding } from "../kit/child.js";
import { modelMarkdown, modelPanels } from "../kit/present-model.js";
import { drawShaped, shapeLabel } from "../kit/shape.js";
import { repoRoot } from "../rig/child.js";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { Shape } from "../kit/shape.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite, TaskTiming } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("../kit/model-child.mjs", import.meta.url));

/** 2 threads x 2 tasks, exactly 5 ops each where an op fits (the brief's first choice). */
export const modelConstraints: InterleavingConstraints = { threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5 };
const shape: Shape = { actors: 4, ops: 5, threads: 2 };

interface Sizes {
  /** pre-generated interleavings checked per call of the model-only tasks */
  readonly samples: number;
  /** fc.check numRuns per call (the same for all three, so each pays fc.check's per-call set-up alike) */
  readonly genCheck: number;
  readonly scheduler: number;
  readonly choices: number;
}

const timings: Readonly<Record<Profile, TaskTiming>> = {
  full: { rounds: 6, timeMs: 150, iterations: 5, warmupMs: 100, warmupIterations: 3 },
  quick: { rounds: 2, timeMs: 60, iterations: 3, warmupMs: 40, warmupIterations: 2 },
};

const sizes: Readonly<Record<Profile, Sizes>> = {
  full: { samples: 1000, genCheck: 1000, scheduler: 1000, choices: 1000 },
  quick: { samples: 500, genCheck: 1000, scheduler: 1000, choices: 1000 },
};

const tasks = 7;

function planCase(profile: Profile, build: KitBuild): PlannedCase {
  const timing = timings[profile];
  // per task: its budget in every round (calls of 5-20 ms overrun it a little), warm-up once
  const perTask = timing.warmupMs + timing.rounds * (timing.timeMs + 25);
  return {
    id: "threads=2,tasks=2,ops=5",
    labels: {
      shape: `${shapeLabel(shape)} (2 threads x 2 tasks)`,
      arbitrary: "interleavings({ threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5 })",
    },
    estimateMs: 900 + tasks * perTask,
    run: (context) => runCase(profile, build, context),
  };
}

async function runCase(profile: Profile, build: KitBuild, context: RunContext): Promise<RunRecord> {
  const size = sizes[profile];
  const seed = 0x6b17 + context.round;
  const shaped = drawShaped(interleavings(modelConstraints), shape, { count: size.samples, seed });
  const result = await runKitChild(context.pool, {
    script: childScript,
    samples: shaped.samples,
    config: {
      constraints: modelConstraints,
      numRuns: { genCheck: size.genCheck, scheduler: size.scheduler, choices: size.choices },
      seed: seed * 1000,
      timing: timings[profile],
      dist: build.distDir,
    },
    timeoutMs: 120_000,
  });
  if (result.kind === "failed") return result;
  return {
    kind: "measured",
    metrics: { ...result.metrics, draws: shaped.draws, exact: shaped.samples.length / shaped.draws },
    outcome: withEnding("ok", result.ending),
    notes: { ...result.notes, ...endingNotes(result.ending), seed: String(seed), ...build.notes() },
  };
}

/** The model-only kit costs suite; it owns the record of which build it measures. */
function kitModelSuite(): Suite {
  const build = new KitBuild(repoRoot);
  return {
    name: "kit-model",
    title: "Kit costs without sockets: model check and generate + check, 4 actors x 5 ops",
    rounds: (profile) => (profile === "quick" ? 2 : 5),
    plan: (profile) => [planCase(profile, build)],
    prepare: (_profile, log) => build.prepare(log),
    ratios: [
      { name: "gen+check/fc-scheduler", numerator: "gen+check", denominator: "fc-scheduler" },
      { name: "check/gen+check", numerator: "check", denominator: "gen+check" },
      { name: "gen+check/choices", numerator: "gen+check", denominator: "choices" },
    ],
    present: (results) => ({ panels: modelPanels(results), markdown: modelMarkdown(results) }),
  };
}

/** The model-only kit costs suite. */
export const suite: Suite = kitModelSuite();
