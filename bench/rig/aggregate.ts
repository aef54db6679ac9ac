/**
 * Summaries of a case's runs: each metric's median/IQR/range over the runs that have it,
 * each ratio paired within runs, and how many runs ended in each outcome.
 */
import { pairedRatios, summarize } from "./stats.js";
import type { Summary } from "./stats.js";
import type { RatioSpec, RunRecord } from "./suite.js";

/** A run of a case, with the round it ran in. */
export type RoundRun = RunRecord & { readonly round: number };

/** What the runs of one case add up to. */
export interface CaseSummary {
  readonly metrics: Readonly<Record<string, Summary>>;
  readonly ratios: Readonly<Record<string, Summary>>;
  /** outcome -> number of measured runs that ended so */
  readonly outcomes: Readonly<Record<string, number>>;
  /** runs the rig could not measure */
  readonly failed: number;
}

/** Summarises the runs of one case. */
export function summarizeRuns(runs: readonly RoundRun[], ratios: readonly RatioSpec[]): CaseSummary {
  const measured = runs.flatMap((r) => (r.kind === "measured" ? [r] : []));
  const names = new Set(measured.flatMap((r) => Object.keys(r.metrics)));
  const metrics: Record<string, Summary> = {};
  for (const name of [...names].sort()) {
    const summary = summarize(measured.flatMap((r) => (r.metrics[name] === undefined ? [] : [r.metrics[name]])));
    if (summary !== undefined) metrics[name] = summary;
  }
  const ratioSummaries: Record<string, Summary> = {};
  for (const spec of ratios) {
    const summary = summarize(pairedRatios(measured.map((r) => r.metrics), spec.numerator, spec.denominator));
    if (summary !== undefined) ratioSummaries[spec.name] = summary;
  }
  const outcomes: Record<string, number> = {};
  for (const run of measured) outcomes[run.outcome] = (outcomes[run.outcome] ?? 0) + 1;
  return { metrics, ratios: ratioSummaries, outcomes, failed: runs.length - measured.length };
}

/** The outcome most runs ended in (ties: the first in sorted order); undefined if none. */
export function mainOutcome(summary: CaseSummary): string | undefined {
  let best: string | undefined;
  let count = 0;
  for (const [outcome, n] of Object.entries(summary.outcomes).sort()) {
    if (n > count) {
      best = outcome;
      count = n;
    }
  }
  return best;
}
