import { measureShrinking } from "../shrink-measure.js";
import type { CodeEntry } from "../../src/zoo/code-entry.js";
import type { ScenarioEntry } from "../../src/zoo/scenario-entry.js";
import { formatSize, isMinimal, type ZooSize } from "../../src/zoo/size.js";

/** Shrink quality of one zoo entry over many seeds. */
export interface ZooMeasure {
  readonly name: string;
  readonly seeds: number;
  /** Seeds where the bug was found (with one of the entry's expected labels). */
  readonly found: number;
  /** Seeds where it was also shrunk to a known minimum. */
  readonly minimal: number;
  /** How often each shrunk size came out (label and size in words), most frequent first. */
  readonly sizes: readonly (readonly [string, number])[];
  readonly ms: number;
}

function tally(keys: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** A scenario entry, measured the way the per-rule catalog is (`measureShrinking`, model checks). */
function measureScenario(e: ScenarioEntry, seeds: readonly number[]): Omit<ZooMeasure, "ms"> {
  const m = measureShrinking<ZooSize>({
    arbitrary: e.arbitrary,
    happens: (x) => e.happens(x),
    size: (x) => e.size(x),
    isMinimal: (s) => isMinimal(s, e.minimum),
    seeds,
    numRuns: e.defaultRuns,
  });
  const keys = m.outcomes.map((o) => (o.kind === "shrunk" ? formatSize(o.size) : "not found"));
  return { name: e.name, seeds: m.seeds, found: m.found, minimal: m.minimal, sizes: tally(keys) };
}

/** A user-code entry: one exploration (find, shrink) per seed on the instrumented module. */
async function measureCode(e: CodeEntry, seeds: readonly number[]): Promise<Omit<ZooMeasure, "ms">> {
  const keys: string[] = [];
  let found = 0;
  let minimal = 0;
  for (const seed of seeds) {
    const f = await e.explore({ seed });
    if (f.kind === "found" && f.expected) {
      found++;
      if (f.minimal) minimal++;
    }
    keys.push(f.kind === "found" ? `${f.label}: ${formatSize(f.size, "code")}` : `not found (${f.reason})`);
  }
  return { name: e.name, seeds: seeds.length, found, minimal, sizes: tally(keys) };
}

/**
 * For each seed, looks for the entry's bug, lets fast-check shrink it, and compares the
 * shrunk counterexample's size with the entry's known minima.
 */
export async function measureZoo(e: CodeEntry | ScenarioEntry, seeds: readonly number[]): Promise<ZooMeasure> {
  const started = performance.now();
  const m = e.kind === "scenario" ? measureScenario(e, seeds) : await measureCode(e, seeds);
  return { ...m, ms: performance.now() - started };
}
