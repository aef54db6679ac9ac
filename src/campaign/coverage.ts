import { InvalidOptionsError } from "../errors.js";
import type { History } from "../interleaving/types.js";

/**
 * What a search covered, as plain JSON that shards write and `mergeCoverage` sums: how runs
 * ended, how deep their first violation was, how many distinct histories they produced, and
 * how many preemptions and steps they took.
 */
export interface Coverage {
  readonly version: 1;
  readonly runs: number;
  /** Runs per verdict: `ok`, `stuck`, `exit-hang`, a rule (`busy-recv`...), `diverged`, `unknown`. */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Runs that ended in a violation, by the step of the violation (0 = the first step). */
  readonly violationStep: Readonly<Record<string, number>>;
  /** Runs by preemptions taken. */
  readonly preemptions: Readonly<Record<string, number>>;
  /** Runs by steps taken. */
  readonly steps: Readonly<Record<string, number>>;
  /** A hash of each distinct history (sorted). */
  readonly histories: readonly string[];
  /** What was summed: one line per shard or search (seed, run range, strategy). */
  readonly sources: readonly string[];
}

/** What a run contributes to coverage. */
export interface CoveredRun {
  readonly verdict: { readonly kind: string; readonly rule?: string; readonly step?: number };
  readonly history: History;
  readonly preemptions: number;
  readonly steps: number;
}

/** A 64-bit FNV-1a hash of `text`, as 16 hex digits. */
function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** A history's hash: the same events in the same order give the same hash. */
export function historyHash(history: History): string {
  return hash(JSON.stringify(history));
}

function bump(m: Record<string, number>, key: string | number, by = 1): void {
  m[key] = (m[key] ?? 0) + by;
}

/** Counts runs into a `Coverage`. */
export class CoverageTally {
  private runs = 0;
  private readonly verdicts: Record<string, number> = {};
  private readonly violationStep: Record<string, number> = {};
  private readonly preemptions: Record<string, number> = {};
  private readonly steps: Record<string, number> = {};
  private readonly histories = new Set<string>();
  private readonly sources: string[];

  constructor(source: string) {
    this.sources = [source];
  }

  add(run: CoveredRun): void {
    this.runs++;
    const v = run.verdict;
    bump(this.verdicts, v.kind === "violation" && v.rule !== undefined ? v.rule : v.kind);
    if (v.kind === "violation" && v.step !== undefined) bump(this.violationStep, v.step);
    bump(this.preemptions, run.preemptions);
    bump(this.steps, run.steps);
    if (run.history.length > 0) this.histories.add(historyHash(run.history));
  }

  coverage(): Coverage {
    return {
      version: 1,
      runs: this.runs,
      verdicts: { ...this.verdicts },
      violationStep: { ...this.violationStep },
      preemptions: { ...this.preemptions },
      steps: { ...this.steps },
      histories: [...this.histories].sort(),
      sources: [...this.sources],
    };
  }
}

function sum(maps: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, n] of Object.entries(m)) bump(out, k, n);
  return out;
}

/** The coverage of several shards or searches together. */
export function mergeCoverage(parts: readonly Coverage[]): Coverage {
  return {
    version: 1,
    runs: parts.reduce((n, c) => n + c.runs, 0),
    verdicts: sum(parts.map((c) => c.verdicts)),
    violationStep: sum(parts.map((c) => c.violationStep)),
    preemptions: sum(parts.map((c) => c.preemptions)),
    steps: sum(parts.map((c) => c.steps)),
    histories: [...new Set(parts.flatMap((c) => c.histories))].sort(),
    sources: parts.flatMap((c) => c.sources),
  };
}

function isCounts(x: unknown): x is Record<string, number> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

/** Reads a coverage JSON value (as `JSON.parse` gives it); throws `InvalidOptionsError` saying what is wrong. */
export function readCoverage(value: unknown, where = "coverage"): Coverage {
  const c = value as Partial<Record<keyof Coverage, unknown>>;
  const bad = (what: string): never => {
    throw new InvalidOptionsError(`${where}: ${what}; expected the JSON a campaign shard writes (version 1)`);
  };
  if (typeof value !== "object" || value === null) return bad("not an object");
  if (c.version !== 1) bad(`version ${JSON.stringify(c.version)}`);
  if (!Number.isSafeInteger(c.runs) || (c.runs as number) < 0) bad("runs is not a count");
  for (const k of ["verdicts", "violationStep", "preemptions", "steps"] as const) if (!isCounts(c[k])) bad(`${k} is not a map of counts`);
  if (!Array.isArray(c.histories) || !c.histories.every((h) => typeof h === "string")) bad("histories is not a list of hashes");
  if (!Array.isArray(c.sources) || !c.sources.every((h) => typeof h === "string")) bad("sources is not a list of lines");
  return value as Coverage;
}

/** The median of a histogram of integer keys (null when empty). */
export function histogramMedian(h: Readonly<Record<string, number>>): number | null {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [k, n] of entries) {
    seen += n;
    if (seen * 2 >= total) return k;
  }
  return null;
}

/** A few lines a person reads: runs, verdicts (most frequent first), violation depth, histories, preemptions. */
export function formatCoverage(c: Coverage): string {
  const pct = (n: number) => (c.runs === 0 ? "0" : ((100 * n) / c.runs).toFixed(1));
  const verdicts = Object.entries(c.verdicts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n} (${pct(n)}%)`)
    .join(", ");
  const depth = histogramMedian(c.violationStep);
  const pre = histogramMedian(c.preemptions);
  const steps = histogramMedian(c.steps);
  return [
    `runs: ${c.runs}`,
    `verdicts: ${verdicts === "" ? "none" : verdicts}`,
    `first violation at step (median): ${depth === null ? "no violation" : depth}`,
    `distinct histories: ${c.histories.length}`,
    `preemptions per run (median): ${pre ?? "-"}; steps per run (median): ${steps ?? "-"}`,
  ].join("\n");
}
