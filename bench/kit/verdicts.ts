/**
 * Verdict counts of the kit-runtime suite. A child counts the verdict of every real run as a
 * metric `verdict:<kind>`. Programs that respect ownership break no step rule, so their runs
 * end in one of the model's end verdicts: `ok`, `stuck` (an op pending forever) or
 * `exit-hang` (messages queued for a gone peer with linger -1). Anything else (`diverged`,
 * `unknown`, a `violation`, or `error` for a run that threw) is reported with its replay
 * string in the run's `problem:<sample>` notes, never folded into a pass.
 */

/** The verdict kinds a run of a respecting interleaving may end in: the model's end verdicts. */
export const expectedVerdicts: readonly string[] = ["ok", "stuck", "exit-hang"];

const prefix = "verdict:";

/** Verdict kind -> count, from a run's metrics. */
export function verdictCounts(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, n] of Object.entries(metrics)) {
    if (name.startsWith(prefix) && n > 0) counts[name.slice(prefix.length)] = n;
  }
  return counts;
}

/** Sums the counts of several runs. */
export function addCounts(all: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const counts of all) for (const [k, n] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + n;
  return sum;
}

/** The unexpected kinds among `counts`, sorted. */
export function unexpected(counts: Readonly<Record<string, number>>): string[] {
  return Object.keys(counts).filter((k) => !expectedVerdicts.includes(k)).sort();
}

/** A run's outcome: "ok" when every verdict was expected, else the unexpected kinds ("diverged+unknown"). */
export function runOutcome(metrics: Readonly<Record<string, number>>): string {
  const odd = unexpected(verdictCounts(metrics));
  return odd.length === 0 ? "ok" : odd.join("+");
}

/** "ok 1,234 · stuck 567 · exit-hang 3 · diverged 2": expected kinds first, then the others. */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const kinds = [...expectedVerdicts.filter((k) => counts[k] !== undefined), ...unexpected(counts)];
  if (kinds.length === 0) return "–";
  return kinds.map((k) => `${k} ${(counts[k] ?? 0).toLocaleString("en-US")}`).join(" · ");
}
