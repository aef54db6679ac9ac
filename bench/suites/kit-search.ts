/**
 * Suite "kit-search": how well each search strategy finds seeded order bugs of depth 1, 2 and
 * 3 (bench/strategies/order-bugs.ts) on the model: median runs to find and success within
 * 1,000 runs over 20 seeds per run, and the failing runs per run with PCT's bound beside it;
 * how long bounded exhaustive search takes on 3-actor x 4-op spaces; and how fast the model
 * checks interleavings that run every op (the compiled kit, 4 actors x 5 ops).
 */
import { fileURLToPath } from "node:url";
import { checkInterleaving } from "../../src/model/check.js";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { InterleavingConstraints } from "../../src/arbitraries/constraints.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { KitBuild } from "../kit/build.js";
import { endingNotes, runKitChild, withEnding } from "../kit/child.js";
import { drawShaped } from "../kit/shape.js";
import { repoRoot } from "../rig/child.js";
import { caseMedian, fixed, formatValue, markdownTable } from "../rig/format.js";
import { measuredChild } from "../rig/measured.js";
import { ORDER_BUGS } from "../strategies/order-bugs.js";
import { STRATEGIES } from "../strategies/search.js";
import type { SuiteResults } from "../rig/results.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite, TaskTiming } from "../rig/suite.js";

const searchChild = fileURLToPath(new URL("../strategies/search-child.ts", import.meta.url));
const throughputChild = fileURLToPath(new URL("../strategies/throughput-child.mjs", import.meta.url));

/** Metric ids of the strategies, in the table's order (as search-child.ts names them). */
const IDS = ["random", "random-0.3", "pct-3", "exhaustive-2"] as const;
const BUDGET = 1000;
const seedsPerRun: Readonly<Record<Profile, number>> = { full: 20, quick: 5 };

const timings: Readonly<Record<Profile, TaskTiming>> = {
  full: { rounds: 6, timeMs: 150, iterations: 5, warmupMs: 100, warmupIterations: 3 },
  quick: { rounds: 2, timeMs: 60, iterations: 3, warmupMs: 40, warmupIterations: 2 },
};

/** 4 actors x 5 ops (2 threads x 2 tasks, exactly 5 ops each). */
const shape4x5: InterleavingConstraints = { threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5 };

function seedsFor(round: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => 0x5ea + 1009 * (round * count + i));
}

function strategyCase(profile: Profile, bug: string, family: string, depth: number): PlannedCase {
  const seeds = seedsPerRun[profile];
  return {
    id: `strategies/${bug}`,
    labels: { bug, family, depth: String(depth) },
    estimateMs: 1500 + seeds * 400,
    run: (context) => measuredChild(context.pool, searchChild, { kind: "strategies", bug, seeds: seedsFor(context.round, seeds), budget: BUDGET }, 600_000),
  };
}

function exhaustiveCase(profile: Profile): PlannedCase {
  const count = profile === "full" ? 20 : 5;
  return {
    id: "exhaustive/3x4",
    labels: { space: "3 tasks x 4 ops, preemption bound 2" },
    estimateMs: 1500 + count * 600,
    run: (context) => measuredChild(context.pool, searchChild, { kind: "exhaustive", seed: 0x3e4 + context.round, count }, 600_000),
  };
}

/** Samples whose check runs every op: respecting 4 x 5 programs that end ok, or "any" ones as drawn. */
function throughputSamples(which: "whole" | "any", count: number, seed: number): { samples: Interleaving[]; draws: number } {
  const shape = { actors: 4, ops: 5, threads: 2 };
  if (which === "any") {
    const shaped = drawShaped(interleavings({ ...shape4x5, ownership: "any" }), shape, { count, seed });
    return { samples: [...shaped.samples], draws: shaped.draws };
  }
  const shaped = drawShaped(interleavings({ ...shape4x5, ownership: "respect" }), shape, { count: Math.ceil(count * 1.1), seed });
  const whole = shaped.samples.filter((x) => {
    const r = checkInterleaving(x, { validate: false, history: false });
    return r.verdict.kind === "ok" && r.steps === 20;
  });
  return { samples: whole.slice(0, count), draws: shaped.draws };
}

function throughputCase(profile: Profile, build: KitBuild, which: "whole" | "any"): PlannedCase {
  const timing = timings[profile];
  return {
    id: `throughput/${which}`,
    labels: {
      samples: which === "whole" ? 'ownership "respect", 4 actors x 5 ops, ending ok with all 20 ops run' : 'ownership "any", 4 actors x 5 ops, as drawn',
    },
    estimateMs: 2500 + timing.warmupMs + timing.rounds * (timing.timeMs + 25),
    run: async (context: RunContext): Promise<RunRecord> => {
      const seed = 0x7b1 + context.round;
      const { samples, draws } = throughputSamples(which, profile === "full" ? 1000 : 300, seed);
      const result = await runKitChild(context.pool, { script: throughputChild, samples, config: { timing, dist: build.distDir }, timeoutMs: 120_000 });
      if (result.kind === "failed") return result;
      return {
        kind: "measured",
        metrics: { ...result.metrics, draws },
        outcome: withEnding("ok", result.ending),
        notes: { ...result.notes, ...endingNotes(result.ending), seed: String(seed), ...build.notes() },
      };
    },
  };
}

function strategiesMarkdown(results: SuiteResults): string {
  const cases = results.cases.filter((c) => c.id.startsWith("strategies/"));
  if (cases.length === 0) return "";
  const seeds = caseMedian(cases[0], "seeds") ?? 0;
  const rows = cases.flatMap((c) =>
    STRATEGIES.map((s, k) => {
      const id = IDS[k] ?? "";
      const runs = caseMedian(c, `runs:${id}`);
      const bound = caseMedian(c, `bound:${id}`);
      return [
        c.labels["bug"] ?? c.id,
        s.label,
        runs === undefined ? "–" : runs > BUDGET ? `> ${BUDGET}` : fixed(runs, 1).replace(/\.0$/, ""),
        `${fixed(caseMedian(c, `found:${id}`))}/${seeds}`,
        fixed(caseMedian(c, `perRun:${id}`), 4),
        bound === undefined ? "" : fixed(bound, 5),
      ];
    }),
  );
  return [
    `Median over ${results.rounds} runs (each a fresh process with ${seeds} seeds of its own) of: the median runs to the first failing run (a seed that finds nothing within ${BUDGET} runs counts as more), the seeds that found the bug within ${BUDGET} runs, and the failing runs per run over ${BUDGET} runs a seed; PCT's bound 1/(n·k^(d−1)) for d = 3, n the tasks of the bug, k its task points.`,
    markdownTable(["bug", "strategy", "runs to find (median)", "found", "failing runs per run", "PCT bound"], rows),
  ].join("\n\n");
}

function exhaustiveMarkdown(results: SuiteResults): string {
  const c = results.cases.find((x) => x.id === "exhaustive/3x4");
  if (c === undefined) return "";
  const rows = ["respect", "respect:full", "any", "any:full"].map((id) => [
    id.replace(":full", " (no reduction)"),
    fixed(caseMedian(c, `spaces:${id}`)),
    formatValue(caseMedian(c, `ms:${id}`) ?? 0, "ms"),
    formatValue(caseMedian(c, `ms-max:${id}`) ?? 0, "ms"),
    fixed(caseMedian(c, `runs:${id}`)),
    fixed(caseMedian(c, `runs-max:${id}`)),
    `${Math.round(100 * (caseMedian(c, `complete:${id}`) ?? 0))}%`,
  ]);
  return [
    "Exhaustive search, preemption bound 2, on 3-task x 4-op interleavings (one thread): time to run every schedule (median and slowest space, median over runs).",
    markdownTable(["programs", "spaces", "time (median)", "time (slowest)", "schedules (median)", "schedules (most)", "exhausted"], rows),
  ].join("\n\n");
}

function throughputMarkdown(results: SuiteResults): string {
  const rows = results.cases
    .filter((c) => c.id.startsWith("throughput/"))
    .map((c) => {
      const endings = Object.keys(c.summary.metrics)
        .filter((k) => k.startsWith("verdict:"))
        .map((k) => `${k.slice(8)} ${fixed(caseMedian(c, k))}`)
        .join(", ");
      return [c.labels["samples"] ?? c.id, formatValue(caseMedian(c, "interleavings/s") ?? 0, "rate"), formatValue(caseMedian(c, "steps/s") ?? 0, "rate"), fixed(caseMedian(c, "steps/check"), 1), endings];
    });
  if (rows.length === 0) return "";
  return ["Model checks of pre-drawn samples (the compiled kit, history off, no validation), how the samples end.", markdownTable(["samples", "interleavings/s", "model steps/s", "steps per check", "how the samples end"], rows)].join("\n\n");
}

function kitSearchSuite(): Suite {
  const build = new KitBuild(repoRoot);
  return {
    name: "kit-search",
    title: "Search strategies: seeded order bugs, bounded exhaustive search, model throughput",
    rounds: (profile) => (profile === "quick" ? 2 : 5),
    plan: (profile) => [
      ...ORDER_BUGS.map((b) => strategyCase(profile, b.name, b.family, b.depth)),
      exhaustiveCase(profile),
      throughputCase(profile, build, "whole"),
      throughputCase(profile, build, "any"),
    ],
    prepare: (_profile, log) => build.prepare(log),
    ratios: [],
    present: (results) => ({ panels: [], markdown: [strategiesMarkdown(results), exhaustiveMarkdown(results), throughputMarkdown(results)].filter((m) => m !== "").join("\n\n") }),
  };
}

/** The search suite. */
export const suite: Suite = kitSearchSuite();
