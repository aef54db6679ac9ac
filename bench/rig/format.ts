/**
 * Number and table formatting shared by the chart, the README section and the console.
 */
import type { CaseResult } from "./results.js";
import type { Summary } from "./stats.js";

/** How a value is printed: a rate ("271k"), a ratio ("0.97"), a duration ("31 ms") or a size in MiB ("116 MB"). */
export type ValueFormat = "rate" | "ratio" | "ms" | "mb";

/** One value in its format. */
export function formatValue(value: number, format: ValueFormat): string {
  switch (format) {
    case "ratio":
      return value.toFixed(2);
    case "ms":
      return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
    case "mb":
      return value >= 100 ? `${value.toFixed(0)} MB` : `${value.toFixed(1)} MB`;
    case "rate":
      if (value >= 1e6) return `${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
      if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e4 ? 0 : 1)}k`;
      return value.toFixed(0);
  }
}

/** "271k [265k–280k]": median and interquartile range. */
export function formatSummary(summary: Summary | undefined, format: ValueFormat): string {
  if (summary === undefined) return "–";
  return `${formatValue(summary.median, format)} [${formatValue(summary.q1, format)}–${formatValue(summary.q3, format)}]`;
}

/** "1m 05s", "42s": a duration for people. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m ${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** A GitHub-flavoured markdown table; `|` inside cells is escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, "\\|");
  return [
    `| ${headers.map(cell).join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** The median of `metric` over a case's runs (undefined when the case or the metric is missing). */
export function caseMedian(c: CaseResult | undefined, metric: string): number | undefined {
  return c?.summary.metrics[metric]?.median;
}

/** `v` with `digits` decimals, or "–" when there is no number. */
export function fixed(v: number | undefined, digits = 0): string {
  return v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits);
}
