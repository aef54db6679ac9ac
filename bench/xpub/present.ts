/**
 * How the xpub suite's results read: throughput bars by size and pattern, paired-ratio
 * bars against the raw PUB, two markdown tables, and a headline naming the best pattern.
 */
import { formatSummary, formatValue, markdownTable } from "../rig/format.js";
import { patterns } from "./patterns.js";
import type { Panel, Series } from "../rig/chart.js";
import type { CaseResult, SuiteResults } from "../rig/results.js";
import { quantile } from "../rig/stats.js";
import type { Summary } from "../rig/stats.js";

const colors: Readonly<Record<string, string>> = {
  A: "#e69f00",
  B1: "#9ecae1",
  B16: "#6baed6",
  B64: "#2171b5",
  B256: "#08306b",
  C: "#555555",
};

/** The ratios of each single-owner-safe pattern to the raw PUB, in display order. */
const toRaw: readonly { readonly ratio: string; readonly pattern: string }[] = [
  { ratio: "A/raw", pattern: "A" },
  { ratio: "B/raw", pattern: "B1" },
  { ratio: "B16/raw", pattern: "B16" },
  { ratio: "B64/raw", pattern: "B64" },
  { ratio: "B256/raw", pattern: "B256" },
];

const sizes = ["16 B", "256 B", "4 KiB"];

function caseTitle(c: CaseResult): string {
  const l = c.labels;
  return `${l["transport"]} · ${l["subscribers"]} sub · ${l["size"]} · ${l["churn"]?.startsWith("churn") ? "churn" : "steady"}`;
}

function isChurn(c: CaseResult): boolean {
  return c.labels["churn"]?.startsWith("churn") ?? false;
}

function bySize(cases: readonly CaseResult[]): CaseResult[] {
  return [...cases].sort((a, b) => sizes.indexOf(a.labels["size"] ?? "") - sizes.indexOf(b.labels["size"] ?? ""));
}

function runsNote(results: SuiteResults): string {
  return `median of ${results.rounds} runs (fresh process each), whisker = IQR`;
}

/** Throughput panels (one per transport x subscribers x churn), then paired-ratio panels per transport. */
export function throughputPanels(results: SuiteResults): Panel[] {
  const panels: Panel[] = [];
  const series: Series[] = patterns.map((p) => ({ name: p.id, color: colors[p.id] ?? "#888" }));
  for (const transport of ["inproc", "tcp"]) {
    for (const subscribers of ["1", "4"]) {
      for (const churn of [false, true]) {
        const cases = bySize(results.cases.filter((c) => c.labels["transport"] === transport && c.labels["subscribers"] === subscribers && isChurn(c) === churn));
        if (cases.length === 0) continue;
        panels.push({
          kind: "bars",
          width: "half",
          format: "rate",
          title: `${transport}, ${subscribers} subscriber${subscribers === "1" ? "" : "s"}, ${churn ? "subscription churn" : "steady subscriptions"}`,
          subtitle: `msg/s delivered to every subscriber; ${runsNote(results)}`,
          series,
          groups: cases.map((c) => ({ label: c.labels["size"] ?? c.id, values: patterns.map((p) => c.summary.metrics[p.id]) })),
        });
      }
    }
  }
  const ratioSeries: Series[] = toRaw.map((r) => ({ name: r.ratio.replace("/raw", ""), color: colors[r.pattern] ?? "#888" }));
  for (const transport of ["inproc", "tcp"]) {
    const cases = results.cases.filter((c) => c.labels["transport"] === transport);
    if (cases.length === 0) continue;
    panels.push({
      kind: "bars",
      width: "full",
      format: "ratio",
      title: `${transport}: each XPUB pattern as a fraction of the raw PUB, paired within each run`,
      subtitle: `median of per-run ratios pattern/C over ${results.rounds} runs, whisker = IQR; dashed: 1.00 = raw PUB, 0.95 = target`,
      series: ratioSeries,
      references: [
        { value: 1, label: "raw PUB" },
        { value: 0.95, label: "0.95" },
      ],
      groups: cases.map((c) => ({
        label: `${c.labels["size"]}\n${c.labels["subscribers"]} sub, ${isChurn(c) ? "churn" : "steady"}`,
        values: toRaw.map((r) => c.summary.ratios[r.ratio]),
      })),
    });
  }
  panels.push({
    kind: "note",
    title: "XPUB patterns",
    lines: [
      ...patterns.map((p) => `${p.id}: ${p.label}`),
      "Every iteration publishes a batch and ends when every subscriber has received all of it (high-water mark 0: nothing dropped).",
      "Churn: each subscriber subscribes/unsubscribes an extra topic every 64 messages, so the XPUB has events to read.",
    ],
  });
  return panels;
}

/** The best single-owner-safe pattern of a case: the highest median ratio to raw. */
export function bestPattern(c: CaseResult): { readonly ratio: string; readonly summary: Summary } | undefined {
  let best: { ratio: string; summary: Summary } | undefined;
  for (const r of toRaw) {
    const s = c.summary.ratios[r.ratio];
    if (s !== undefined && (best === undefined || s.median > best.summary.median)) best = { ratio: r.ratio, summary: s };
  }
  return best;
}

/** Headline numbers in words. */
export function headline(results: SuiteResults): string {
  const lines: string[] = [];
  const reference = results.cases.filter((c) => c.labels["transport"] === "inproc" && c.labels["subscribers"] === "1" && c.labels["size"] === "16 B");
  for (const c of reference) {
    const best = bestPattern(c);
    const raw = c.summary.metrics["C"];
    const r = (name: string): string => formatSummary(c.summary.ratios[name], "ratio");
    lines.push(
      `- **${caseTitle(c)}**: raw PUB ${raw === undefined ? "–" : formatValue(raw.median, "rate")} msg/s; ` +
        `B/A ${r("B/A")}, A/raw ${r("A/raw")}, B/raw ${r("B/raw")}, B64/raw ${r("B64/raw")}; ` +
        `best single-owner-safe pattern **${best?.ratio.replace("/raw", "") ?? "–"} at ${best === undefined ? "–" : formatSummary(best.summary, "ratio")}** of raw.`,
    );
  }
  const bests = results.cases.flatMap((c) => {
    const b = bestPattern(c);
    return b === undefined ? [] : [{ c, b }];
  });
  const reached = bests.filter((x) => x.b.summary.median >= 0.95).length;
  const counts = new Map<string, number>();
  for (const x of bests) counts.set(x.b.ratio, (counts.get(x.b.ratio) ?? 0) + 1);
  const often = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k.replace("/raw", "")} ${n}x`).join(", ");
  lines.push(`- Over all ${bests.length} configurations, the best pattern reaches 0.95 of raw in ${reached}; best pattern per configuration: ${often}.`);
  const perPattern = toRaw.map((r) => {
    const medians = results.cases.flatMap((c) => {
      const s = c.summary.ratios[r.ratio];
      return s === undefined ? [] : [s.median];
    });
    const atLeast = medians.filter((m) => m >= 0.95).length;
    const sorted = [...medians].sort((a, b) => a - b);
    const mid = sorted.length === 0 ? undefined : quantile(sorted, 0.5);
    return `${r.pattern} ${atLeast}/${medians.length} (median ${mid === undefined ? "–" : formatValue(mid, "ratio")}, worst ${sorted[0] === undefined ? "–" : formatValue(sorted[0], "ratio")})`;
  });
  lines.push(`- Configurations where a pattern's median ratio to raw is at least 0.95, per pattern (no picking of the best): ${perPattern.join("; ")}.`);
  return lines.join("\n");
}

/** One row per pattern: its ratio to raw in the reference configurations and over all of them. */
export function summaryTable(results: SuiteResults): string {
  const reference = results.cases.filter((c) => c.labels["transport"] === "inproc" && c.labels["subscribers"] === "1" && c.labels["size"] === "16 B");
  const rows = toRaw.map((r) => {
    const medians = results.cases.flatMap((c) => {
      const s = c.summary.ratios[r.ratio];
      return s === undefined ? [] : [s.median];
    });
    const sorted = [...medians].sort((a, b) => a - b);
    return [
      patterns.find((p) => p.id === r.pattern)?.label ?? r.pattern,
      ...reference.map((c) => formatSummary(c.summary.ratios[r.ratio], "ratio")),
      `${medians.filter((m) => m >= 0.95).length}/${medians.length}`,
      sorted.length === 0 ? "–" : formatValue(quantile(sorted, 0.5), "ratio"),
      sorted[0] === undefined ? "–" : formatValue(sorted[0], "ratio"),
    ];
  });
  return [
    "Each pattern as a fraction of the raw PUB in the same process (paired per run; median [IQR] over the runs):",
    "",
    markdownTable(["pattern", ...reference.map((c) => caseTitle(c)), "configurations >= 0.95", "median over configurations", "worst configuration"], rows),
  ].join("\n");
}

/** msg/s per configuration and pattern. */
export function throughputTable(results: SuiteResults): string {
  const rows = results.cases.map((c) => [caseTitle(c), ...patterns.map((p) => formatSummary(c.summary.metrics[p.id], "rate")), eventsCell(c)]);
  return [
    `Throughput, msg/s delivered to every subscriber, median [IQR] over ${results.rounds} runs:`,
    "",
    markdownTable(["configuration", ...patterns.map((p) => p.id), "events/run (A)"], rows),
  ].join("\n");
}

/** Paired ratios per configuration. */
export function ratioTable(results: SuiteResults): string {
  const names = ["B/A", ...toRaw.map((r) => r.ratio)];
  const rows = results.cases.map((c) => {
    const best = bestPattern(c);
    return [caseTitle(c), ...names.map((n) => formatSummary(c.summary.ratios[n], "ratio")), best === undefined ? "–" : `${best.ratio.replace("/raw", "")} ${formatValue(best.summary.median, "ratio")}`];
  });
  return [
    `Paired ratios (computed per run, then median [IQR]):`,
    "",
    markdownTable(["configuration", ...names, "best"], rows),
  ].join("\n");
}

function eventsCell(c: CaseResult): string {
  const events = c.summary.metrics["events:A"];
  return events === undefined ? "–" : formatValue(events.median, "rate");
}
