import type { RandomSource } from "./strategy.js";

/**
 * A small deterministic random source from a 32-bit seed (a SplitMix32-style generator), for a
 * seed an arbitrary drew from fast-check's random source: the run replays by fast-check's seed
 * and path. Not for anything that needs good statistics beyond picking among a few candidates.
 */
export function seededRandom(seed: number): RandomSource {
  let s = seed | 0;
  const next32 = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    nextDouble: () => next32() / 0x1_0000_0000,
    nextInt: (min, max) => min + Math.floor((next32() / 0x1_0000_0000) * (max - min + 1)),
  };
}
