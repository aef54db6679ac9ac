/**
 * How the kit-stress suite's results read: the RSS curve of the long campaign (median over
 * rounds at each checkpoint, with the 50 MB line over the 10,000-run reading), runs per second
 * in both cases, the verdict counts summed over every round against the targets (0 diverged,
 * 0 unknown), what a run does, and every run that ended otherwise with its replay string.
 */
import { formatSummary, formatValue, markdownTable } from "../rig/format.js";
import { summarize } from "../rig/stats.js";
import { caseEndings, endingsCell, endingsParagraph } from "./endings.js";
import { total } from "./targets.js";
import { measuredVersions } from "./version.js";
import type { Panel } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import type { Summary } from "../rig/stats.js";

/** The campaign's budget: RSS growth after its base checkpoint, MB. */
export const rssGrowthBudgetMb = 50;

const expectedKinds = ["ok", "stuck", "exit-hang", "violation"];

function measured(c: CaseResult): { readonly metrics: Readonly<Record<string, number>>; readonly notes: Readonly<Record<string, string>>; readonly round: number }[] {
  return c.runs.flatMap((r) => (r.kind === "measured" ? [r] : []));
}

/** Verdict kind -> count, summed over a case's measured runs. */
export function stressCounts(c: CaseResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of measured(c)) {
    for (const [k, n] of Object.entries(r.metrics)) if (k.startsWith("verdict:") && n > 0) out[k.slice(8)] = (out[k.slice(8)] ?? 0) + n;
  }
  return out;
}

/** "ok 1,234 · stuck 567 · violation 89 · diverged 1": the expected kinds first. */
function countsText(counts: Readonly<Record<string, number>>): string {
  const kinds = [...expectedKinds.filter((k) => counts[k] !== undefined), ...Object.keys(counts).filter((k) => !expectedKinds.includes(k)).sort()];
  return kinds.length === 0 ? "–" : kinds.map((k) => `${k} ${(counts[k] ?? 0).toLocaleString("en-US")}`).join(" · ");
}

/** The memory checkpoints of a case (runs at which RSS was sampled), ascending. */
function checkpoints(c: CaseResult): number[] {
  const at = new Set<number>();
  for (const r of measured(c)) for (const k of Object.keys(r.metrics)) if (k.startsWith("rss:")) at.add(Number(k.slice(4)));
  return [...at].sort((a, b) => a - b);
}

function metric(c: CaseResult, name: string): Summary | undefined {
  return c.summary.metrics[name];
}

function runsCount(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/** RSS curve of the campaign and runs/s of each case. */
export function stressPanels(results: SuiteResults): Panel[] {
  const panels: Panel[] = [];
  const campaign = results.cases.find((c) => c.id === "campaign");
  if (campaign !== undefined) {
    const at = checkpoints(campaign);
    // At most 11 bars: the first sample, then evenly spaced ones up to the end.
    const step = Math.max(1, Math.ceil(at.length / 10));
    const shown = at.filter((_, i) => i === 0 || (i + 1) % step === 0 || i === at.length - 1);
    const base = metric(campaign, "rssBase");
    panels.push({
      kind: "bars",
      width: "half",
      format: "mb",
      title: `kit-stress: RSS over a ${runsCount(Number(campaign.labels["runs"] ?? NaN))}-run campaign`,
      subtitle: `median of ${results.rounds} processes, whisker = IQR; dashed: base + ${rssGrowthBudgetMb} MB`,
      series: [{ name: "RSS", color: "#0072b2" }],
      groups: shown.map((k) => ({ label: `${runsCount(k)} runs`, values: [metric(campaign, `rss:${k}`)] })),
      references: base === undefined ? [] : [{ value: base.median + rssGrowthBudgetMb, label: `+${rssGrowthBudgetMb} MB` }],
    });
  }
  if (results.cases.length > 0) {
    panels.push({
      kind: "bars",
      width: "half",
      format: "rate",
      title: "kit-stress: guarded real runs/s",
      subtitle: `median of ${results.rounds} processes, whisker = IQR`,
      series: [{ name: "runs/s", color: "#d55e00" }],
      groups: results.cases.map((c) => ({ label: `${c.id}\n${c.labels["load"] ?? ""}`, values: [metric(c, "rate")] })),
    });
  }
  return panels;
}

function processes(n: number): string {
  return `${n} process${n === 1 ? "" : "es"}`;
}

function targetLine(c: CaseResult): string {
  const counts = stressCounts(c);
  const runs = total(c.runs, "runs");
  const diverged = counts["diverged"] ?? 0;
  const unknown = Object.entries(counts).reduce((s, [k, n]) => s + (k.startsWith("unknown") ? n : 0), 0);
  const errors = Object.entries(counts).reduce((s, [k, n]) => s + (k.startsWith("error") ? n : 0), 0);
  const met = diverged === 0 && unknown === 0 && errors === 0;
  return `${runs.toLocaleString("en-US")} runs in ${processes(measured(c).length)}: **diverged ${diverged}, unknown ${unknown}**${errors === 0 ? "" : `, errors ${errors}`} (target 0 and 0: ${met ? "met" : "missed"})`;
}

function growthLine(c: CaseResult): string {
  const g = metric(c, "rssGrowth");
  const max = metric(c, "rssMaxGrowth");
  const base = metric(c, "rssBase");
  const end = metric(c, "rssEnd");
  const baseAt = /growth from run (\d+)/.exec(c.labels["memory"] ?? "")?.[1] ?? "?";
  const verdict = g === undefined || max === undefined ? "–" : max.max < rssGrowthBudgetMb ? "met in every process" : g.median < rssGrowthBudgetMb ? "met by the median, missed in some process" : "missed";
  return (
    `RSS ${formatSummary(base, "mb")} at run ${Number(baseAt).toLocaleString("en-US")}, ${formatSummary(end, "mb")} at the end: ` +
    `growth ${formatSummary(g, "mb")} (largest above the base at any checkpoint: ${formatSummary(max, "mb")}; target under ${rssGrowthBudgetMb} MB: ${verdict}); ` +
    `V8 heap growth ${formatSummary(metric(c, "heapGrowth"), "mb")}`
  );
}

/** What a run does, from the campaign's own averages. */
function runLine(results: SuiteResults): string {
  const c = results.cases.find((k) => k.id === "campaign") ?? results.cases[0];
  if (c === undefined) return "";
  const f = (name: string) => {
    const s = metric(c, name);
    return s === undefined ? "?" : s.median.toFixed(1);
  };
  return (
    `What a run does: \`runInterleaving(x, { pool })\`, guarded, with one \`${c.labels["pool"] ?? "WorkerPool"}\` for the whole process; ` +
    `it creates, binds, connects and joins its sockets (${f("socketsPerRun")} on average), steps ${f("actorsPerRun")} actors through ${f("opsPerRun")} ops ` +
    `(send, recv, poll, close, subscribe, handoff, exit) in the schedule's order against the model, and closes everything. ` +
    `Runs are drawn 1,000 at a time, a fresh seed per batch: ${c.labels["mix"] ?? "?"}. ` +
    `They end \`ok\`, \`stuck\` (an op no message will answer: the model's verdict, the kit closes it), \`exit-hang\` (messages queued for a gone peer), or \`violation\` (the guard refused the step before it touched a socket); ` +
    "`diverged` (the real run parted from the model), `unknown` (a time limit, a set-up failure, a lost worker) or an error would be the kit's failure."
  );
}

function table(results: SuiteResults): string {
  return markdownTable(
    ["case", "load", "runs (all processes)", "guarded runs/s, median [IQR]", "verdicts, all processes", "workers lost", "child processes ending cleanly"],
    results.cases.map((c) => [
      c.id,
      c.labels["load"] ?? "?",
      total(c.runs, "runs").toLocaleString("en-US"),
      `${formatSummary(metric(c, "rate"), "rate")}/s`,
      countsText(stressCounts(c)),
      String(total(c.runs, "lostWorkers")),
      endingsCell(caseEndings(c)),
    ]),
  );
}

/** Headline, what a run does, the table, and any run that ended otherwise. */
export function stressMarkdown(results: SuiteResults): string {
  if (results.cases.length === 0) return "_No results._";
  const over = results.cases.find((c) => c.id === "oversubscribed");
  const campaign = results.cases.find((c) => c.id === "campaign");
  const loads = over === undefined ? undefined : summarize(measured(over).map((r) => r.metrics["load1"] ?? NaN));
  const headline = [
    ...(over === undefined ? [] : [`- **Under CPU oversubscription** (${over.labels["load"] ?? "?"}, 1-minute load average at the end ${loads === undefined ? "?" : formatValue(loads.median, "ratio")}): ${targetLine(over)}.`]),
    ...(campaign === undefined ? [] : [`- **Campaign of ${Number(campaign.labels["runs"] ?? NaN).toLocaleString("en-US")} runs in one process** (${processes(measured(campaign).length)}): ${growthLine(campaign)}; ${targetLine(campaign)}.`]),
  ];
  const parts = [headline.join("\n"), runLine(results), table(results)];
  const endings = endingsParagraph(results.cases, (c) => c.id);
  if (endings !== "") parts.push(endings);
  const problems = results.cases.flatMap((c) =>
    measured(c).flatMap((r) =>
      Object.entries(r.notes)
        .filter(([k]) => k.startsWith("problem:"))
        .map(([k, v]) => `- ${c.id}, process ${r.round + 1}, run ${k.slice(8)}: ${v}\n  \`${r.notes[`replay:${k.slice(8)}`] ?? "?"}\``),
    ),
  );
  if (problems.length > 0) parts.push(["Runs that ended `diverged`, `unknown` or in an error (at most 5 per process), with their replay strings:", "", ...problems].join("\n"));
  parts.push(`Code measured: ${measuredVersions(results.cases).join("; ") || "unknown"}.`);
  return parts.join("\n\n");
}
