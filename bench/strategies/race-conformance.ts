/**
 * Races as choices, checked against the binding: generated interleavings (the four shapes of
 * the conformance properties, ownership "any" and "violate") run guarded on real sockets, and
 * each real verdict must be among the outcomes `checkEveryRace` lists for the same schedule.
 * Prints the count, the verdicts seen, and every mismatch with its replay string.
 *
 *   npx tsx bench/strategies/race-conformance.ts [runs=10000] [seed=1]
 */
import fc from "fast-check";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { checkInterleaving } from "../../src/model/check.js";
import { verdictLabel } from "../../src/model/verdict.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import { raceProblem } from "../../properties/runtime/assertions.js";
import { SHAPES } from "../../properties/runtime/configs.js";

const runs = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const configs = SHAPES.flatMap((shape) => (["any", "violate"] as const).map((ownership) => ({ name: `${shape.name}, ${ownership}`, constraints: { ...shape.constraints, ownership, executable: true } })));
const per = Math.ceil(runs / configs.length);
const pool = new WorkerPool();
const started = performance.now();
let done = 0;
let skipped = 0;
let differs = 0;
const mismatches: string[] = [];
const differing: string[] = [];
const real: Record<string, number> = {};
try {
  for (const [k, config] of configs.entries()) {
    for (const x of fc.sample(interleavings(config.constraints), { seed: seed * 1000 + k, numRuns: per })) {
      if (done >= runs) break;
      const r = await runInterleaving(x, { pool });
      done++;
      const label = r.verdict.kind === "violation" ? r.verdict.rule : r.verdict.kind;
      real[label] = (real[label] ?? 0) + 1;
      if (r.verdict.kind === "diverged" || r.verdict.kind === "unknown") skipped++;
      else if (verdictLabel(checkInterleaving(x, { history: false }).verdict) !== label) {
        differs++;
        if (differing.length < 10) differing.push(`real ${label}, default-race check ${verdictLabel(checkInterleaving(x, { history: false }).verdict)}\n  ${formatInterleaving(x)}`);
      }
      const problem = raceProblem(x, r);
      if (problem !== null) mismatches.push(`${config.name}: ${problem}\n  ${formatInterleaving(x)}`);
    }
    console.log(`${config.name}: ${done} runs so far, ${mismatches.length} not among the listed outcomes`);
  }
} finally {
  await pool.close();
}
console.log(`\n${done} interleavings run guarded on real sockets in ${((performance.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
console.log(`real verdicts: ${JSON.stringify(real)}`);
console.log(`diverged or unknown (not compared): ${skipped}`);
console.log(`real verdict differs from the default-race pure check: ${differs}`);
for (const d of differing) console.log(d);
console.log(`real verdict not among the outcomes checkEveryRace lists: ${mismatches.length}`);
for (const m of mismatches.slice(0, 20)) console.log(m);
// A run that ended exit-hang leaves messages queued for a peer that is gone (linger -1): do not
// wait for them at exit.
process.exit(mismatches.length === 0 ? 0 : 1);
