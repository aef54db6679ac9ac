import v8 from "node:v8";
import vm from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";

// After 1,000 interleavings in one process (tasks and workers, inproc and tcp, legal and not),
// nothing of the kit's is left: no handle, no unhandled rejection, and little memory.
function sample(constraints: Parameters<typeof interleavings>[0], n: number, seed: number): Interleaving[] {
  return fc.sample(interleavings({ ...constraints, executable: true }), { numRuns: n, seed });
}

/** V8's collector, so memory is compared after garbage is gone (not how much happened to be pending). */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function resources(): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) out.set(r, (out.get(r) ?? 0) + 1);
  return out;
}

describe("a campaign of 1,000 runs leaves nothing behind", () => {
  it("no active resource, no unhandled rejection, RSS growth under 50 MB", async () => {
    const xs = [
      ...sample({ ownership: "any" }, 350, 1),
      ...sample({ ownership: "violate" }, 250, 2),
      ...sample({ ownership: "respect", maxOps: 6 }, 100, 3),
      ...sample({ ownership: "any", threads: 3, minThreads: 2 }, 150, 4),
      ...sample({ ownership: "any", transport: "tcp" }, 100, 5),
      ...sample({ ownership: "any", transport: "tcp", threads: 2, minThreads: 2 }, 50, 6),
    ];
    expect(xs).toHaveLength(1000);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    const before = resources();
    // Warm up (module loading, the first workers, the heap's working size) before measuring memory.
    const gc = collector();
    const pool = new WorkerPool();
    for (const x of xs.slice(0, 50)) await runInterleaving(x, { pool });
    gc();
    const rss0 = process.memoryUsage().rss;
    const kinds = new Map<string, number>();
    try {
      for (const x of xs) {
        const r = await runInterleaving(x, { pool });
        // A step on a socket of another thread cannot run for real; every other run must conclude.
        const kind = r.verdict.kind === "unknown" ? `unknown:${r.verdict.reason}` : r.verdict.kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    } finally {
      await pool.close();
    }
    gc();
    const rss1 = process.memoryUsage().rss;
    // Let the last closes settle, then compare with what was open before.
    await new Promise((r) => setTimeout(r, 50));
    const after = resources();
    const added = [...after].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k, n]) => `${k} x${n - (before.get(k) ?? 0)}`);
    process.off("unhandledRejection", onRejection);
    console.log(`1,000 runs: RSS ${((rss1 - rss0) / 1e6).toFixed(1)} MB growth; verdicts ${JSON.stringify(Object.fromEntries(kinds))}`);
    expect(added).toEqual([]);
    expect(rejections).toEqual([]);
    expect((rss1 - rss0) / 1e6).toBeLessThan(50);
    expect([...kinds.keys()].filter((k) => k === "diverged" || (k.startsWith("unknown:") && k !== "unknown:not-executable"))).toEqual([]);
  }, 300_000);
});
