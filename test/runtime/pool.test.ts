import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";

describe("WorkerPool", () => {
  it("reuses its workers across runs", async () => {
    const pool = new WorkerPool();
    try {
      const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push w1/t0 connect e0 | main/t0: recv s0 | w1/t0: send s1 "x" | schedule');
      for (let k = 0; k < 5; k++) expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
    expect(pool.size).toBe(0);
  });
  it("replaces a worker whose thread exited in a run", async () => {
    const pool = new WorkerPool();
    try {
      const x = parseInterleaving("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: close s0, exit | schedule");
      expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
      expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
      expect(pool.size).toBeLessThanOrEqual(1);
    } finally {
      await pool.close();
    }
  });
  it("once a worker has exited, keeps its spares beyond what a run borrows, within maxWorkers", async () => {
    const exits = parseInterleaving("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: close s0, exit | w2/t0: | schedule");
    const small = new WorkerPool({ maxWorkers: 2, spares: 1 });
    const large = new WorkerPool({ maxWorkers: 3, spares: 1 });
    try {
      for (const pool of [small, large]) {
        for (let k = 0; k < 3; k++) expect((await runInterleaving(exits, { pool })).verdict.kind).toBe("ok");
      }
      expect(small.size).toBe(2);
      expect(large.size).toBe(3);
    } finally {
      await small.close();
      await large.close();
    }
  });
  it("without a pool, a run starts and ends its own workers", async () => {
    const x = parseInterleaving('zi1 thread inproc | s0 pull w2/t0 bind e0 | s1 push w1/t0 connect e0 | w1/t0: send s1 "x" | w2/t0: recv s0 | schedule');
    const r = await runInterleaving(x);
    expect(r.verdict.kind).toBe("ok");
    expect(r.history.filter((e) => e.kind === "return")).toHaveLength(2);
  });
});
