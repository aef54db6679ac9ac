import fc from "fast-check";
import { interleavings } from "../arbitraries/interleavings.js";
import type { InterleavingConstraints } from "../arbitraries/constraints.js";
import { InvalidOptionsError } from "../errors.js";
import { formatInterleaving } from "../interleaving/format.js";
import type { Interleaving } from "../interleaving/types.js";
import { checkInterleaving } from "../model/check.js";
import { runInterleaving } from "../runtime/executor.js";
import type { RunOptions } from "../runtime/options.js";
import { CoverageTally, type Coverage } from "./coverage.js";
import { runSeed, shardRange, type Shard } from "./shard.js";

/** Options of `runCampaign`. */
export interface CampaignOptions {
  /** What to generate (the options of `interleavings`). */
  readonly constraints?: InterleavingConstraints;
  /** Runs of the whole campaign, over every shard. */
  readonly runs: number;
  /** The campaign's seed: run k draws from `runSeed(seed, k)`. */
  readonly seed: number;
  /** Which part of the runs this process makes (default: all, `1/1`). */
  readonly shard?: Shard;
  /** Run each interleaving on real sockets with these options instead of on the model. */
  readonly sockets?: RunOptions;
  /** Failures kept in the result (default 10). */
  readonly keepFailures?: number;
}

/** A run of a campaign that did not end ok: enough to replay it alone. */
export interface CampaignFailure {
  /** The run's number in the campaign (its seed is `runSeed(seed, run)`). */
  readonly run: number;
  readonly seed: number;
  readonly verdict: string;
  /** The interleaving's text form (`parseInterleaving` reads it back). */
  readonly interleaving: string;
}

/** What a shard did: its coverage (JSON a merge sums) and the failures it kept. */
export interface CampaignResult {
  readonly coverage: Coverage;
  readonly failures: readonly CampaignFailure[];
  /** Runs that were not ok (all of them, not only those kept). */
  readonly failed: number;
}

/** The interleaving of run `run` of a campaign: it depends on the seed and the run only. */
export function campaignInterleaving(constraints: InterleavingConstraints, seed: number, run: number): Interleaving {
  const [x] = fc.sample(interleavings(constraints), { seed: runSeed(seed, run), numRuns: 1 });
  if (x === undefined) throw new Error("campaign: fast-check drew no value");
  return x;
}

/**
 * Runs one shard of a campaign: for each of its runs, draws the interleaving from that run's
 * own seed, checks it on the model (or runs it on real sockets), and counts what it covered.
 * Shards of one campaign cover disjoint runs; `mergeCoverage` sums their coverage.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const { runs, seed } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new InvalidOptionsError(`campaign: runs must be an integer >= 1, got ${JSON.stringify(runs)}`);
  if (!Number.isInteger(seed)) throw new InvalidOptionsError(`campaign: seed must be an integer, got ${JSON.stringify(seed)}`);
  const shard = options.shard ?? { index: 1, count: 1 };
  const { from, to } = shardRange(runs, shard);
  const constraints = options.constraints ?? {};
  const keep = options.keepFailures ?? 10;
  const where = options.sockets === undefined ? "model" : "sockets";
  const tally = new CoverageTally(`campaign seed ${seed} runs ${from}..${to - 1} of ${runs} (shard ${shard.index}/${shard.count}) on the ${where}: ${JSON.stringify(constraints)}`);
  const failures: CampaignFailure[] = [];
  let failed = 0;
  for (let run = from; run < to; run++) {
    const x = campaignInterleaving(constraints, seed, run);
    let label: string;
    if (options.sockets === undefined) {
      const r = checkInterleaving(x, { validate: false });
      tally.add(r);
      label = r.verdict.kind === "violation" ? r.verdict.rule : r.verdict.kind;
    } else {
      const r = await runInterleaving(x, options.sockets);
      tally.add({ verdict: r.verdict, history: r.history, preemptions: r.preemptions, steps: r.steps });
      label = r.verdict.kind === "violation" ? r.verdict.rule : r.verdict.kind;
    }
    if (label === "ok") continue;
    failed++;
    if (failures.length < keep) failures.push({ run, seed: runSeed(seed, run), verdict: label, interleaving: formatInterleaving(x) });
  }
  return { coverage: tally.coverage(), failures, failed };
}
