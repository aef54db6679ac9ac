/**
 * Robust statistics for noisy runs: quantiles, a five-number summary, and paired ratios
 * (one ratio per run, from values measured in the same process, then summarised).
 */

/** Median with quartiles and range of one sample of values. */
export interface Summary {
  /** invariant: n >= 1 */
  readonly n: number;
  readonly median: number;
  /** first quartile (25th percentile, linear interpolation) */
  readonly q1: number;
  /** third quartile (75th percentile, linear interpolation) */
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The p-quantile (0 <= p <= 1) of values sorted ascending, interpolating linearly between
 * order statistics (Hyndman and Fan type 7, as R and NumPy by default).
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of an empty sample");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

/** Summary of the finite values given; `undefined` when there are none. */
export function summarize(values: Iterable<number>): Summary | undefined {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** Interquartile range of a summary. */
export function iqr(s: Summary): number {
  return s.q3 - s.q1;
}

/**
 * One ratio numerator/denominator per run, for the runs that measured both with a
 * non-zero denominator. Pairing within a run cancels what the run's process had in common
 * (CPU placement, a slow neighbour), which unpaired medians of each side do not.
 */
export function pairedRatios(
  runs: readonly Readonly<Record<string, number>>[],
  numerator: string,
  denominator: string,
): number[] {
  const ratios: number[] = [];
  for (const run of runs) {
    const num = run[numerator];
    const den = run[denominator];
    if (num === undefined || den === undefined || den === 0 || !Number.isFinite(num) || !Number.isFinite(den)) continue;
    ratios.push(num / den);
  }
  return ratios;
}
