import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ChildPool } from "../../bench/rig/child.js";
import { measuredChild } from "../../bench/rig/measured.js";

const script = fileURLToPath(new URL("./fixtures/reports.ts", import.meta.url));

describe("measuredChild: a child's result as a run record", () => {
  const pool = new ChildPool();
  afterAll(() => pool.killAll());

  it("metrics and notes make a measured run", async () => {
    expect(await measuredChild(pool, script, { metrics: { rate: 2 }, notes: { n: "x" } }, 30_000)).toEqual({ kind: "measured", metrics: { rate: 2 }, outcome: "ok", notes: { n: "x" } });
  });

  it("errors next to metrics make it partial; errors alone make it failed, naming them", async () => {
    expect(await measuredChild(pool, script, { metrics: { rate: 2 }, notes: { "error:b": "late" } }, 30_000)).toMatchObject({ kind: "measured", outcome: "partial" });
    expect(await measuredChild(pool, script, { notes: { error: "no socket" } }, 30_000)).toEqual({ kind: "failed", reason: "error: no socket" });
  });

  it("a child that ends without a result fails with its exit code and stderr tail", async () => {
    expect(await measuredChild(pool, script, { silent: true }, 30_000)).toEqual({ kind: "failed", reason: "child exited 3 without a result: gave up before a result" });
  });
});
