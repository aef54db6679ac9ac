/**
 * The contract a benchmark suite implements. The runner discovers every module in
 * bench/suites/ (xpub.ts, shutdown.ts, and kit-<name>.ts for the kit's own costs) and
 * expects a `suite` export of this type. A suite plans cases; the runner runs every case
 * once per round, rounds interleaved (round-robin over all cases, repeated), summarises
 * the runs, and asks the suite to present them as chart panels and markdown.
 */
import type { Panel } from "./chart.js";
import type { ChildPool } from "./child.js";
import type { SuiteResults } from "./results.js";

/** How much to run: a smoke run that finishes in minutes, or the full matrix. */
export type Profile = "quick" | "full";

/** What one run of one case produced. */
export type RunRecord =
  | {
      readonly kind: "measured";
      /** numbers of this run; ratios pair metrics of the same run */
      readonly metrics: Readonly<Record<string, number>>;
      /** what happened, in one word the suite chooses ("ok", "hang", "abort", ...) */
      readonly outcome: string;
      readonly notes: Readonly<Record<string, string>>;
    }
  | {
      /** the run could not measure anything (a crash of the rig, not of the thing measured) */
      readonly kind: "failed";
      readonly reason: string;
    };

/** What the runner gives a case when it runs it. */
export interface RunContext {
  /** spawn children through this pool, so none outlives the run */
  readonly pool: ChildPool;
  readonly profile: Profile;
  /** 0-based round; suites may rotate an order by it */
  readonly round: number;
}

/** One configuration of a suite. */
export interface PlannedCase {
  /** unique within the suite, stable across runs (results are merged by it) */
  readonly id: string;
  /** the configuration's dimensions, for tables and charts */
  readonly labels: Readonly<Record<string, string>>;
  /** expected duration of one run, for the up-front estimate */
  readonly estimateMs: number;
  /** Runs the case once, in a fresh process. Resolves; a rig failure is a `failed` record. */
  run(context: RunContext): Promise<RunRecord>;
}

/** A ratio computed per run from two of its metrics, then summarised over runs. */
export interface RatioSpec {
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
}

/** How a suite shows its results. */
export interface Presentation {
  readonly panels: readonly Panel[];
  /** tables and headline numbers for the README (no heading of level 1 or 2) */
  readonly markdown: string;
}

/** A benchmark suite. */
export interface Suite {
  /** the name `--suite` selects; kit suites are named `kit-<name>` */
  readonly name: string;
  readonly title: string;
  /** runs per case; at least 5 in the full profile, so medians and IQRs mean something */
  rounds(profile: Profile): number;
  plan(profile: Profile): readonly PlannedCase[];
  readonly ratios: readonly RatioSpec[];
  /**
   * Optional: called once per invocation, after planning and before any case runs (not for
   * `--list`), e.g. to build what the suite's children import. A throw stops the run.
   */
  prepare?(profile: Profile, log: (line: string) => void): Promise<void>;
  /** Presents results read back from the results file (so it must not need the plan). */
  present(results: SuiteResults): Presentation;
}

/** How long a child measures with tinybench: rounds over every task, each task `timeMs` per round (suites share this shape). */
export interface TaskTiming {
  /** short benches over all tasks, each round in its own order */
  readonly rounds: number;
  /** per task and round */
  readonly timeMs: number;
  /** minimum iterations per task and round */
  readonly iterations: number;
  /** warm-up per task, first round only */
  readonly warmupMs: number;
  readonly warmupIterations: number;
}
