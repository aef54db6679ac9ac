import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ChildPool } from "../../bench/rig/child.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ChildPool", () => {
  const pool = new ChildPool();
  afterEach(() => {
    pool.killAll();
  });

  it("runs a TypeScript child and decodes its messages in order, ignoring ordinary output", async () => {
    const seen: string[] = [];
    const outcome = await pool.run({ script: fixture("exits"), timeoutMs: 30_000, onMessage: (m) => seen.push(m.kind) });
    expect(outcome.kind).toBe("exited");
    if (outcome.kind !== "exited") return;
    expect(outcome.code).toBe(0);
    expect(seen).toEqual(["mark", "value", "result"]);
    expect(outcome.messages[2]).toEqual({ kind: "result", metrics: { rate: 1.5 }, notes: { note: "ok" } });
    expect(pool.live).toBe(0);
  });

  it("kills a child that outlives a deadline set from a message, and reports it as killed", async () => {
    let pid = 0;
    const outcome = await pool.run({
      script: fixture("hangs"),
      timeoutMs: 30_000,
      onMessage: (m, control) => {
        if (m.kind === "value" && m.name === "pid") pid = m.value;
        if (m.kind === "mark" && m.name === "ready") control.setDeadline(200);
      },
    });
    expect(outcome).toMatchObject({ kind: "killed", limitMs: 200 });
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(pool.live).toBe(0);
  });

  it("reports an abort as the signal it died of", async () => {
    const outcome = await pool.run({ script: fixture("aborts"), timeoutMs: 30_000 });
    expect(outcome.kind).toBe("exited");
    if (outcome.kind === "exited") expect(outcome.code === 134 || outcome.signal === "SIGABRT").toBe(true);
  });

  it("killAll ends every live child", async () => {
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const run = pool.run({ script: fixture("hangs"), timeoutMs: 30_000, onMessage: (m) => m.kind === "mark" && ready() });
    await started;
    expect(pool.live).toBe(1);
    pool.killAll();
    const outcome = await run;
    expect(outcome).toMatchObject({ kind: "exited", signal: "SIGKILL" });
    expect(pool.live).toBe(0);
  });
});
