import fc from "fast-check";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { checkInterleaving } from "../../src/model/check.js";
const c = { threads: 2, minThreads: 2, tasksPerThread: 2, minTasksPerThread: 2, maxOps: 5, minOps: 5, ownership: "respect" } as const;
const xs = fc.sample(interleavings(c), { seed: 1, numRuns: 3000 }).filter((x) => x.programs.length === 4 && x.programs.every((p) => p.ops.length === 5)).slice(0, 1000);
const sel = xs.filter((x) => { const r = checkInterleaving(x, { history: false }); return r.verdict.kind === "ok" && r.steps === 20; });
const secs = Number(process.argv[2] ?? 1);
for (let round = 0; round < 4; round++) {
  const t = performance.now(); let n = 0; let st = 0;
  while (performance.now() - t < secs * 1000) { for (const x of sel) { st += checkInterleaving(x, { validate: false, history: false }).steps; n++; } }
  const dt = (performance.now() - t) / 1000;
  console.log("checks/s", Math.round(n / dt), "steps/s", Math.round(st / dt), "samples", sel.length);
}
