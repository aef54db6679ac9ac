import { InvalidOptionsError } from "../errors.js";

/** One shard of a campaign: the `index`-th (from 1) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Reads `"2/8"` (vitest's `--shard` form). */
export function parseShard(text: string): Shard {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || index > count) throw new InvalidOptionsError(`a shard is INDEX/COUNT with 1 <= INDEX <= COUNT (as vitest's --shard), got ${JSON.stringify(text)}`);
  return { index, count };
}

/** The runs `[from, to)` of a campaign of `runs` runs that shard `shard` makes: contiguous, near-equal ranges. */
export function shardRange(runs: number, shard: Shard): { readonly from: number; readonly to: number } {
  const from = Math.floor((runs * (shard.index - 1)) / shard.count);
  const to = Math.floor((runs * shard.index) / shard.count);
  return { from, to };
}

/**
 * The seed of run `run` of a campaign seeded `seed`: each run draws from its own seed, so any
 * run (and so any shard) is reproducible alone, whatever the other shards do.
 */
export function runSeed(seed: number, run: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ run;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}
