import fc from "fast-check";
import type { Interleaving } from "../src/interleaving/types.js";

/** What shrinking made of one seed's failure. */
export type SeedOutcome<S> = { readonly kind: "not-found" } | { readonly kind: "shrunk"; readonly value: Interleaving; readonly size: S; readonly minimal: boolean; readonly runs: number; readonly shrinks: number };

/** Shrink quality over many seeds. */
export interface ShrinkMeasure<S> {
  readonly seeds: number;
  readonly found: number;
  readonly minimal: number;
  readonly outcomes: readonly SeedOutcome<S>[];
}

/**
 * For each seed, looks for an interleaving where `happens` holds (the property "it never
 * happens" fails), lets fast-check shrink it, and compares the size of the result with the
 * known minimum.
 */
export function measureShrinking<S>(options: {
  readonly arbitrary: fc.Arbitrary<Interleaving>;
  readonly happens: (x: Interleaving) => boolean;
  readonly size: (x: Interleaving) => S;
  readonly isMinimal: (size: S) => boolean;
  readonly seeds: readonly number[];
  readonly numRuns?: number;
}): ShrinkMeasure<S> {
  const outcomes = options.seeds.map((seed): SeedOutcome<S> => {
    const r = fc.check(fc.property(options.arbitrary, (x) => !options.happens(x)), { seed, numRuns: options.numRuns ?? 2000 });
    const value = r.counterexample?.[0];
    if (!r.failed || value === undefined) return { kind: "not-found" };
    const size = options.size(value);
    return { kind: "shrunk", value, size, minimal: options.isMinimal(size), runs: r.numRuns, shrinks: r.numShrinks };
  });
  return {
    seeds: options.seeds.length,
    found: outcomes.filter((o) => o.kind === "shrunk").length,
    minimal: outcomes.filter((o) => o.kind === "shrunk" && o.minimal).length,
    outcomes,
  };
}

/** Seeds 1..n. */
export function seedRange(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
