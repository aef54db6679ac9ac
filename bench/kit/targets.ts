/**
 * Targets of the kit suites and how a measured summary reads against one. A target is met
 * when the median over runs reaches it; the IQR is printed next to it so a near miss shows.
 * Benchmarks print this; nothing asserts it.
 */
import { formatSummary, formatValue } from "../rig/format.js";
import type { Summary } from "../rig/stats.js";

/** A rate the kit should reach: at least `atLeast` per second. */
export interface Target {
  readonly atLeast: number;
}

/** "met", "missed (0.84 of it)" or "–" when nothing was measured. */
export function targetVerdict(summary: Summary | undefined, target: Target): string {
  if (summary === undefined) return "–";
  return summary.median >= target.atLeast ? "met" : `missed (${formatValue(summary.median / target.atLeast, "ratio")} of it)`;
}

/** "≥ 200k/s" */
export function targetLabel(target: Target): string {
  return `≥ ${formatValue(target.atLeast, "rate")}/s`;
}

/** "250k [240k–260k]/s" */
export function rateCell(summary: Summary | undefined): string {
  return summary === undefined ? "–" : `${formatSummary(summary, "rate")}/s`;
}

/** Sums a metric over the measured runs of a case (counts such as verdicts). */
export function total(runs: readonly { readonly kind: string; readonly metrics?: Readonly<Record<string, number>> }[], metric: string): number {
  let sum = 0;
  for (const run of runs) sum += run.kind === "measured" ? (run.metrics?.[metric] ?? 0) : 0;
  return sum;
}
