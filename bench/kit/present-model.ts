/**
 * How the kit-model suite's results read: one bar panel (interleavings/s per measure, with
 * the two targets), a table of medians and IQRs against the targets and the planning
 * numbers of the references, the paired ratios, and what the samples were.
 */
import { formatSummary, formatValue, markdownTable } from "../rig/format.js";
import { rateCell, targetLabel, targetVerdict, total } from "./targets.js";
import { endingsParagraph } from "./endings.js";
import { measuredVersions } from "./version.js";
import type { Panel } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { Target } from "./targets.js";

/** One measured rate of the suite, as a row and a bar. */
interface Measure {
  readonly metric: string;
  readonly label: string;
  /** short, for the chart's x axis */
  readonly short: string;
  readonly color: string;
  readonly target?: Target;
  /** for the references: what planning measured on this machine kind */
  readonly planned?: number;
}

/** Targets of the brief. */
export const modelTargets = {
  check: { atLeast: 200_000 },
  genCheck: { atLeast: 30_000 },
} as const;

const measures: readonly Measure[] = [
  { metric: "check", label: "model only: `checkInterleaving(x, { validate: false, history: false })`", short: "model only", color: "#2171b5", target: modelTargets.check },
  { metric: "check+history", label: "model only, history recorded (`history: true`)", short: "+ history", color: "#6baed6" },
  { metric: "check+validate", label: "model only, validated first (`validate: true`)", short: "+ validate", color: "#9ecae1" },
  { metric: "check:all-steps", label: "model only, step rules off (`createModel({ disabled: STEP_RULES })`): checks go on past violations", short: "rules off", color: "#08519c" },
  { metric: "gen+check", label: "generate + check: `fc.check(fc.property(interleavings(...), check))`", short: "gen + check", color: "#e69f00", target: modelTargets.genCheck },
  { metric: "fc-scheduler", label: "reference: `fc.scheduler()`, 4 async tasks x 5 awaited steps, `waitAll()`", short: "fc.scheduler", color: "#777777", planned: 5_800 },
  { metric: "choices", label: "reference: `fc.array` of 20 small ints, a trivial walk", short: "bare choices", color: "#bbbbbb", planned: 165_000 },
];

const ratios: readonly { readonly name: string; readonly label: string }[] = [
  { name: "gen+check/fc-scheduler", label: "kit generate + check / fast-check scheduler" },
  { name: "check/gen+check", label: "model only / generate + check" },
  { name: "gen+check/choices", label: "kit generate + check / bare array of choices" },
];

function runsNote(results: SuiteResults): string {
  return `median of ${results.rounds} runs (fresh process each), whisker = IQR`;
}

/** One bar panel: every measure of the (single) case. */
export function modelPanels(results: SuiteResults): Panel[] {
  const c = results.cases[0];
  if (c === undefined) return [];
  return [
    {
      kind: "bars",
      width: "half",
      format: "rate",
      title: "kit-model: interleavings/s without sockets, 4 actors x 5 ops",
      subtitle: `${runsNote(results)}; dashed: targets`,
      series: [{ name: "interleavings/s", color: "#2171b5" }],
      groups: measures.map((m) => ({ label: m.short, values: [c.summary.metrics[m.metric]] })),
      references: [
        { value: modelTargets.check.atLeast, label: "200k" },
        { value: modelTargets.genCheck.atLeast, label: "30k" },
      ],
    },
  ];
}

function planningCell(m: Measure): string {
  if (m.target !== undefined) return targetLabel(m.target);
  return m.planned === undefined ? "–" : `(planning: ${formatValue(m.planned, "rate")}/s)`;
}

/** The measures table of one case. */
export function measuresTable(c: CaseResult): string {
  const rows = measures.map((m) => {
    const s = c.summary.metrics[m.metric];
    return [m.label, rateCell(s), planningCell(m), m.target === undefined ? "–" : targetVerdict(s, m.target)];
  });
  return markdownTable(["measure", "interleavings/s, median [IQR]", "target", "median vs target"], rows);
}

/** The ratios table of one case. */
export function ratiosTable(c: CaseResult): string {
  return markdownTable(
    ["paired ratio (per run, then median [IQR])", "value"],
    ratios.map((r) => [r.label, formatSummary(c.summary.ratios[r.name], "ratio")]),
  );
}

/** What the model-only samples were and how they ended. */
export function samplesNote(c: CaseResult): string {
  const m = c.summary.metrics;
  const samples = m["samples"]?.median;
  const exact = m["exact"]?.median;
  const steps = m["steps/check"]?.median;
  const stepsAll = m["steps/check:all-steps"]?.median;
  const measuredRuns = c.runs.filter((r) => r.kind === "measured").length;
  const checked = total(c.runs, "samples");
  const kinds = ["violation", "ok", "stuck", "exit-hang"]
    .map((k) => ({ k, n: total(c.runs, `verdict:${k}`) }))
    .filter((x) => x.n > 0)
    .map((x) => `${x.k} ${((100 * x.n) / Math.max(1, checked)).toFixed(1)}%`);
  return [
    `Shape: ${c.labels["shape"] ?? "?"}, \`${c.labels["arbitrary"] ?? "?"}\`.`,
    `The model-only measures check ${samples === undefined ? "?" : formatValue(samples, "rate")} pre-generated interleavings of exactly that shape per call ` +
      `(${exact === undefined ? "?" : (100 * exact).toFixed(0)}% of the arbitrary's draws have it; the others have an actor with fewer ops); ` +
      `generate + check takes the arbitrary's values as they come.`,
    `How the samples end in the model (${measuredRuns} runs, ${checked} samples): ${kinds.join(", ") || "–"}; ` +
      `a check takes ${steps === undefined ? "?" : formatValue(steps, "ratio")} steps on average, since it stops at the first violation; ` +
      `with the step rules off it takes ${stepsAll === undefined ? "?" : formatValue(stepsAll, "ratio")} of the 20 (a task still ends at an op that fails, and an op left pending blocks its task), ` +
      `so that row is closer to the cost of walking whole interleavings.`,
  ].join(" ");
}

/** Headline, tables and notes of the suite. */
export function modelMarkdown(results: SuiteResults): string {
  const c = results.cases[0];
  if (c === undefined) return "_No results._";
  const m = c.summary.metrics;
  const headline = [
    `- **Model only: ${rateCell(m["check"])}** (target ${targetLabel(modelTargets.check)}: ${targetVerdict(m["check"], modelTargets.check)}); ` +
      `**generate + check: ${rateCell(m["gen+check"])}** (target ${targetLabel(modelTargets.genCheck)}: ${targetVerdict(m["gen+check"], modelTargets.genCheck)}).`,
    `- For scale, measured the same way in the same processes: fast-check's scheduler on 4 tasks x 5 awaited steps ${rateCell(m["fc-scheduler"])}, ` +
      `a bare array of 20 choices ${rateCell(m["choices"])}; kit generate + check / fast-check scheduler ${formatSummary(c.summary.ratios["gen+check/fc-scheduler"], "ratio")} (paired per run).`,
  ].join("\n");
  return [
    headline,
    `Interleavings/s, ${runsNote(results)}; compiled kit (dist/) under plain node, tinybench rounds within each run:`,
    measuresTable(c),
    ratiosTable(c),
    samplesNote(c),
    ...[endingsParagraph(results.cases, (x) => x.labels["shape"] ?? x.id)].filter((p) => p !== ""),
    `Code measured: ${measuredVersions(results.cases).join("; ") || "unknown"}.`,
  ].join("\n\n");
}
