/**
 * Suite "kit-guard": what `guard()` adds to real socket ops. The budget: the guard
 * adds no more than 5% to an inproc send+receive round trip (`await send`, then `await
 * receive`, Push→Pull). Also measured, for information: a guarded `readable` read, a
 * poller-style round trip (send, then `while (readable) await receive()`), and the round
 * trip through the instrumented `zeromq` module (its scheduler holds every completion).
 *
 * The kit is measured compiled: `prepare` runs `npm run build` when dist/ is stale, and each
 * case runs `kit-guard.child.mjs` with plain `node` (tsx's transform would distort the
 * timings) on dist/. Raw and guarded ops run in the same process on the same sockets, in short
 * tinybench rounds in rotated order, so the guarded/raw ratio of a run pairs like with like;
 * the runner then summarises each ratio over the runs (median and IQR).
 */
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../kit/build.js";
import { measuredVersions, srcVersion } from "../kit/version.js";
import { repoRoot } from "../rig/child.js";
import { markdownTable } from "../rig/format.js";
import { measuredChild } from "../rig/measured.js";
import type { Panel } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { Summary } from "../rig/stats.js";
import type { PlannedCase, Profile, RatioSpec, RunContext, RunRecord, Suite, TaskTiming } from "../rig/suite.js";

const childScript = fileURLToPath(new URL("./kit-guard.child.mjs", import.meta.url));
const budget = 1.05;

const timings: Readonly<Record<Profile, TaskTiming>> = {
  full: { rounds: 40, timeMs: 25, iterations: 4, warmupMs: 150, warmupIterations: 4 },
  quick: { rounds: 12, timeMs: 15, iterations: 3, warmupMs: 150, warmupIterations: 2 },
};

/** A configuration: plain code, or code running inside a guard task (AsyncLocalStorage live). */
interface Variant {
  readonly id: string;
  readonly inTask: boolean;
  readonly tasks: string;
}

const variants: readonly Variant[] = [
  { id: "inproc-push-pull", inTask: false, tasks: "none" },
  { id: "inproc-push-pull-in-task", inTask: true, tasks: "in context.task()" },
];

/** The paired ratios (ns per op over ns per op, within one run). */
const ratios: readonly RatioSpec[] = [
  { name: "guarded/raw", numerator: "rt.guarded", denominator: "rt.raw" },
  { name: "readable guarded/raw", numerator: "poll.guarded", denominator: "poll.raw" },
  { name: "poller loop guarded/raw", numerator: "loop.guarded", denominator: "loop.raw" },
  { name: "instrumented/raw", numerator: "rt.instrumented", denominator: "rt.raw" },
];

function planCase(v: Variant, profile: Profile): PlannedCase {
  const timing = timings[profile];
  return {
    id: v.id,
    labels: { transport: "inproc", sockets: "Push→Pull", message: "16 B", tasks: v.tasks },
    // seven tasks per round, plus warm-up and start-up
    estimateMs: 1_000 + 7 * (timing.warmupMs + 1.3 * timing.rounds * timing.timeMs),
    run: (context) => runCase(v, timing, context),
  };
}

async function runCase(v: Variant, timing: TaskTiming, context: RunContext): Promise<RunRecord> {
  const record = await measuredChild(context.pool, childScript, { inTask: v.inTask, timing });
  return record.kind === "measured" ? { ...record, notes: { ...record.notes, src: srcVersion(repoRoot) } } : record;
}

/** "3.52 µs [3.41–3.60]": a per-op time in ns, median and IQR. */
function formatNs(s: Summary | undefined): string {
  if (s === undefined) return "–";
  const f = (ns: number): string => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
  return `${f(s.median)} [${f(s.q1)}–${f(s.q3)}]`;
}

/** "1.027 [1.020–1.034]": a ratio to three decimals (the budget is a few hundredths). */
function formatRatio(s: Summary | undefined): string {
  return s === undefined ? "–" : `${s.median.toFixed(3)} [${s.q1.toFixed(3)}–${s.q3.toFixed(3)}]`;
}

function caseLabel(c: CaseResult): string {
  return c.labels["tasks"] === "none" ? "plain code" : `code ${c.labels["tasks"] ?? ""}`;
}

function headline(results: SuiteResults): string {
  const main = results.cases.find((c) => c.id === "inproc-push-pull") ?? results.cases[0];
  if (main === undefined) return "No runs.";
  const r = main.summary.ratios["guarded/raw"];
  const m = main.summary.metrics;
  const judged = r === undefined ? "not measured" : r.median <= budget ? `within the ${Math.round((budget - 1) * 100)}% budget` : `over the ${Math.round((budget - 1) * 100)}% budget`;
  // A quick run is a smoke test: a few short runs on a shared machine move the ratio by several hundredths.
  const verdict = results.profile === "quick" ? `${judged} in this quick run (a smoke test: judge the budget on a full run)` : judged;
  return [
    `**Guard overhead on an inproc Push→Pull round trip** (\`await send\`, then \`await receive\`, 16 B): guarded/raw = ${formatRatio(r)} (median [IQR] of ${r?.n ?? 0} runs, each ratio paired within its run), ${verdict}; raw ${formatNs(m["rt.raw"])}, guarded ${formatNs(m["rt.guarded"])} per round trip.`,
    `A guarded \`readable\` read costs ${formatNs(m["poll.guarded"])} (raw ${formatNs(m["poll.raw"])}). A socket that reads \`readable\` gets one reaction on each receive from then on (so the read after a receive needs no slow promise inspection): a poller-style round trip (send, then \`while (readable) await receive()\`) takes ${formatNs(m["loop.guarded"])} guarded vs ${formatNs(m["loop.raw"])} raw, ${formatRatio(main.summary.ratios["poller loop guarded/raw"])}. Through the instrumented module, whose scheduler holds each completion for a quiet loop turn, a round trip takes ${formatNs(m["rt.instrumented"])} (${formatRatio(main.summary.ratios["instrumented/raw"])} x raw): it is for exploring orders in tests, not for production.`,
  ].join("\n\n");
}

function table(results: SuiteResults): string {
  const rows = results.cases.map((c) => {
    const m = c.summary.metrics;
    const r = c.summary.ratios;
    return [
      caseLabel(c),
      formatNs(m["rt.raw"]),
      formatNs(m["rt.guarded"]),
      formatRatio(r["guarded/raw"]),
      `${formatNs(m["poll.raw"])} / ${formatNs(m["poll.guarded"])}`,
      `${formatNs(m["loop.raw"])} / ${formatNs(m["loop.guarded"])}`,
      formatRatio(r["poller loop guarded/raw"]),
      formatNs(m["rt.instrumented"]),
      formatRatio(r["instrumented/raw"]),
    ];
  });
  return markdownTable(["case", "round trip raw", "guarded", "guarded/raw", "readable raw / guarded", "poller loop raw / guarded", "loop guarded/raw", "instrumented", "instrumented/raw"], rows);
}

function panels(results: SuiteResults): Panel[] {
  const groups = results.cases.map((c) => ({
    label: caseLabel(c),
    values: ["guarded/raw", "readable guarded/raw", "poller loop guarded/raw"].map((name) => c.summary.ratios[name]),
  }));
  return [
    {
      kind: "bars",
      title: "kit-guard: guarded / raw, paired per run",
      subtitle: `inproc Push→Pull; median of ${results.rounds} runs, whisker = IQR`,
      width: "half",
      format: "ratio",
      series: [
        { name: "round trip", color: "#2171b5" },
        { name: "readable", color: "#9ecae1" },
        { name: "poller loop", color: "#e69f00" },
      ],
      groups,
      references: [{ value: budget, label: "round-trip budget" }],
    },
    {
      kind: "bars",
      title: "kit-guard: instrumented module / raw round trip",
      subtitle: "the scheduler holds each completion for a quiet loop turn (informational)",
      width: "half",
      format: "ratio",
      series: [{ name: "instrumented/raw", color: "#555555" }],
      groups: results.cases.map((c) => ({ label: caseLabel(c), values: [c.summary.ratios["instrumented/raw"]] })),
    },
  ];
}

/** The guard's cost suite. */
export const suite: Suite = {
  name: "kit-guard",
  title: "Kit: what guard() costs on an inproc round trip",
  rounds: (profile) => (profile === "quick" ? 3 : 7),
  plan: (profile) => variants.map((v) => planCase(v, profile)),
  prepare: (_profile, log) => ensureBuilt(repoRoot, log),
  ratios,
  present: (results) => ({
    panels: panels(results),
    markdown: [headline(results), table(results), `Code measured: ${measuredVersions(results.cases).join("; ") || "unknown"}.`].join("\n\n"),
  }),
};
