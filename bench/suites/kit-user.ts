/**
 * Suite "kit-user": the kit on user code, the corpus programs of properties/corpus/ (shaped
 * like real zeromq.js services) run unmodified.
 * - cost/<program>: one run of a correct program on the plain binding vs one run of a
 *   `checkInterleaves` search on the instrumented binding (a fresh process each, the package
 *   instrumented in place; both warmed up with 3 runs). A run is the whole program, from its
 *   first socket to its last close; its completions and the virtual time it covered are
 *   reported beside the rates.
 * - cost/<program> x50: the same, with 50 times the program's default work per run (requests
 *   or messages), for the cost per completion apart from a run's start and end.
 * - search/<bug>/<strategy>: runs to the first failing run of `checkInterleaves` on the
 *   corpus's config-overtaken bugs of depth 1, 2 and 3, `random` vs `pct` (depth 3), budget
 *   1,000 runs a seed.
 * - replay/<program>: completeness; observed runs (real timing) replayed by the kit steered
 *   toward their order (properties/corpus/guided.ts), up to 45 kit runs each.
 */
import { fileURLToPath } from "node:url";
import { corpus } from "../../properties/corpus/index.js";
import { caseMedian, fixed, formatSummary, markdownTable } from "../rig/format.js";
import { measuredChild } from "../rig/measured.js";
import type { SuiteResults } from "../rig/results.js";
import type { PlannedCase, Profile, RunContext, RunRecord, Suite } from "../rig/suite.js";

const child = fileURLToPath(new URL("../user/user-child.ts", import.meta.url));
const BUDGET = 1000;
const runsPerChild: Readonly<Record<Profile, number>> = { full: 30, quick: 10 };
const seedsPerRun: Readonly<Record<Profile, number>> = { full: 20, quick: 5 };
const observedPerRun: Readonly<Record<Profile, number>> = { full: 40, quick: 10 };

const correct = corpus.filter((p) => p.kind === "correct" && p.isolation === "in-process");
const BUGS = ["config-overtaken-1", "config-overtaken-2", "config-overtaken-3"] as const;
const STRATEGIES = ["random", "pct"] as const;
/** Programs also measured with SCALE times their default work per run. */
const SCALED = ["req-rep", "request-map", "queue"] as const;
const SCALE = 50;

function costCase(profile: Profile, program: string, uses: string, scale?: number): PlannedCase {
  const runs = scale === undefined ? runsPerChild[profile] : Math.max(3, Math.round(runsPerChild[profile] / 10));
  return {
    id: scale === undefined ? `cost/${program}` : `cost/${program}/x${scale}`,
    labels: { program: scale === undefined ? program : `${program} x${scale}`, uses },
    estimateMs: 2000 + runs * 60,
    run: async (context: RunContext): Promise<RunRecord> => {
      // Alternate which side goes first, so neither always gets the warmer machine.
      const sides = context.round % 2 === 0 ? (["raw", "kit"] as const) : (["kit", "raw"] as const);
      const metrics: Record<string, number> = {};
      for (const kind of sides) {
        const r = await measuredChild(context.pool, child, { kind, program, runs, ...(scale === undefined ? {} : { scale }) }, 300_000);
        if (r.kind !== "measured") return r;
        if (r.outcome !== "ok") return { kind: "failed", reason: `${kind}: ${JSON.stringify(r.notes)}` };
        Object.assign(metrics, r.metrics);
      }
      return { kind: "measured", metrics: { ...metrics, runs }, outcome: "ok", notes: {} };
    },
  };
}

function searchCase(profile: Profile, bug: string, strategy: (typeof STRATEGIES)[number]): PlannedCase {
  const count = seedsPerRun[profile];
  return {
    id: `search/${bug}/${strategy}`,
    labels: { bug, strategy: strategy === "pct" ? "pct (depth 3)" : "random" },
    estimateMs: 2000 + count * (strategy === "pct" ? 200 : 3000),
    run: (context: RunContext) => {
      const seeds = Array.from({ length: count }, (_, i) => 0x5eed + 7919 * (context.round * count + i));
      return measuredChild(context.pool, child, { kind: "search", program: bug, strategy, depth: 3, seeds, budget: BUDGET }, 1_200_000);
    },
  };
}

function replayCase(profile: Profile, program: string): PlannedCase {
  const runs = observedPerRun[profile];
  return {
    id: `replay/${program}`,
    labels: { program },
    estimateMs: 2000 + runs * 150,
    run: (context: RunContext) => measuredChild(context.pool, child, { kind: "replay", program, runs }, 600_000),
  };
}

function costMarkdown(results: SuiteResults): string {
  const cases = results.cases.filter((c) => c.id.startsWith("cost/"));
  if (cases.length === 0) return "";
  const runs = caseMedian(cases[0], "runs") ?? 0;
  const rows = cases.map((c) => {
    const raw = caseMedian(c, "raw:ms");
    const kit = caseMedian(c, "kit:ms");
    return [
      c.labels["program"] ?? c.id,
      c.labels["uses"] ?? "",
      fixed(caseMedian(c, "completions")),
      fixed(caseMedian(c, "virtual:ms")),
      formatSummary(c.summary.metrics["raw:ms"], "ms"),
      formatSummary(c.summary.metrics["kit:ms"], "ms"),
      raw === undefined ? "–" : fixed(1000 / raw),
      kit === undefined ? "–" : fixed(1000 / kit),
      formatSummary(c.summary.ratios["kit/raw"], "ratio"),
    ];
  });
  return [
    `Per run: one whole run of the program (first socket to last close). raw = the plain binding, ${runs} runs after 3 warm-up runs; kit = a \`checkInterleaves\` search of ${runs} runs (default settings, every run a full run that passes) on the binding instrumented in place, after a 3-run search. Both sides: the time of all their runs over the runs (a mean; a fresh process each, so the code is as cold as in a test file's first search). Completions and virtual time are those of one kit run; raw runs sleep for real, so for programs with timers the ratio compares unlike work. Rows marked x${SCALE} run ${SCALE} times the program's default requests or messages per run (same sockets and tasks; a tenth as many runs per side), so a run's fixed start and end weigh less. Median [IQR] over ${results.rounds} runs of the case.`,
    markdownTable(["program", "uses", "completions per run", "virtual ms per run", "raw ms/run", "kit ms/run", "raw runs/s", "kit runs/s", "kit / raw"], rows),
  ].join("\n\n");
}

function searchMarkdown(results: SuiteResults): string {
  const cases = results.cases.filter((c) => c.id.startsWith("search/"));
  if (cases.length === 0) return "";
  const seeds = caseMedian(cases[0], "seeds") ?? 0;
  const rows = cases.map((c) => {
    const runs = caseMedian(c, "runs-to-find");
    return [c.labels["bug"] ?? c.id, c.labels["strategy"] ?? "", runs === undefined ? "–" : runs > BUDGET ? `> ${BUDGET}` : fixed(runs, 1).replace(/\.0$/, ""), `${fixed((caseMedian(c, "found") ?? 0) * seeds)}/${seeds}`];
  });
  return [
    `\`checkInterleaves\` on config-overtaken-d (the configuration, sent first over tcp, must be overtaken by d jobs sent after it on other sockets). Median over ${results.rounds} runs, each a fresh process with ${seeds} seeds of its own, of the median runs to the first failing run (a seed that finds nothing within ${BUDGET} runs counts as more) and the seeds that found it.`,
    markdownTable(["bug", "strategy", "runs to find (median)", "found"], rows),
  ].join("\n\n");
}

function replayMarkdown(results: SuiteResults): string {
  const cases = results.cases.filter((c) => c.id.startsWith("replay/"));
  if (cases.length === 0) return "";
  const observed = caseMedian(cases[0], "observed") ?? 0;
  const rows = cases.map((c) => [
    c.labels["program"] ?? c.id,
    fixed(caseMedian(c, "orders")),
    `${Math.round(100 * (caseMedian(c, "reproduced") ?? 0))}%`,
    `${Math.round(100 * (caseMedian(c, "reproduced-search") ?? 0))}%`,
    fixed(caseMedian(c, "choices/run"), 1),
    fixed(caseMedian(c, "no-choice")),
    fixed(caseMedian(c, "not-offered")),
  ]);
  return [
    `Completeness: ${observed} observed runs per run of the case (real timing, real timers, nothing held); each replayed by up to 45 kit runs steered toward its order of completions, a depth-first search over which lateness points (timers started late, connections landing a turn late, tcp messages still on their way) to answer late (properties/corpus/guided.ts); the first 5 runs are counted apart. A run not reproduced left the order where the kit asked no choice (the binding's own timing decided) or at a choice that did not offer the observed completion. Median over ${results.rounds} runs.`,
    markdownTable(["program", "distinct orders", "reproduced within 5 runs", "reproduced within 45", "choices per kit run", "not reproduced: no choice", "not reproduced: not offered"], rows),
  ].join("\n\n");
}

/** The user-code suite. */
export const suite: Suite = {
  name: "kit-user",
  title: "User code: the kit on corpus programs (cost per run, search, completeness)",
  rounds: (profile) => (profile === "quick" ? 2 : 5),
  plan: (profile) => [
    ...correct.map((p) => costCase(profile, p.name, p.uses.join(", "))),
    ...correct.filter((p) => (SCALED as readonly string[]).includes(p.name)).map((p) => costCase(profile, p.name, p.uses.join(", "), SCALE)),
    ...BUGS.flatMap((b) => STRATEGIES.map((s) => searchCase(profile, b, s))),
    ...correct.filter((p) => !p.uses.includes("workers")).map((p) => replayCase(profile, p.name)),
  ],
  ratios: [{ name: "kit/raw", numerator: "kit:ms", denominator: "raw:ms" }],
  present: (results) => ({ panels: [], markdown: [costMarkdown(results), searchMarkdown(results), replayMarkdown(results)].filter((m) => m !== "").join("\n\n") }),
};
