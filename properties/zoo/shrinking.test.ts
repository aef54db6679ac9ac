import { afterAll, describe, expect, it } from "vitest";
import { seedRange } from "../shrink-measure.js";
import { measureZoo, type ZooMeasure } from "./measure.js";
import { zoo } from "../../src/zoo/zoo.js";

// For every zoo bug: over seeds 1..100, find it and shrink it; the shrunk counterexample must
// have the entry's known smallest size (threads, tasks or actors, sockets, ops, and schedule
// choices or preemptions) in 95 or more. Code entries run on real sockets through the
// instrumented module (one exploration per seed); scenario entries are model checks.
const SEEDS = seedRange(100);
const results: ZooMeasure[] = [];

function row(m: ZooMeasure): string {
  const other = m.sizes.length > 1 ? `  also: ${m.sizes.slice(1).map(([k, n]) => `${n}x ${k}`).join("; ")}` : "";
  return `${m.name.padEnd(26)} found ${String(m.found).padStart(3)}/${m.seeds}  minimal ${String(m.minimal).padStart(3)}/${m.seeds}  ${(m.ms / 1000).toFixed(1).padStart(5)} s  ${m.sizes[0]?.[0] ?? "-"}${other}`;
}

describe("zoo: shrinking reaches each bug's minimal counterexample", () => {
  for (const e of zoo) {
    it(`${e.name}: ${e.shape}`, async () => {
      const m = await measureZoo(e, SEEDS);
      results.push(m);
      expect(m.found).toBe(SEEDS.length);
      expect(m.minimal).toBeGreaterThanOrEqual(95);
    }, 120_000);
  }
  afterAll(() => {
    console.log(`zoo shrink quality over seeds 1..${SEEDS.length}\n${results.map(row).join("\n")}`);
  });
});
