import { execFile, execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { DescriptorBudgetError, KitError } from "../../src/errors.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { SOCKET_TYPES } from "../../src/interleaving/types.js";
import { countOpenDescriptors, DESCRIPTOR_COSTS, descriptorMargin, descriptorNeeds, placeRun, processCosts, readDescriptorLimit, workerThreadsOf } from "../../src/runtime/descriptors.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";

const linux = process.platform === "linux";
const measureScript = fileURLToPath(new URL("./child/descriptors.mjs", import.meta.url));

interface Measured {
  readonly sockets: Record<string, number>;
  readonly inproc: Record<string, { bind: number; connect: number }>;
  readonly tcp: Record<string, { bind: number; connect: number }>;
  readonly context: number;
  readonly observer: number;
  readonly workerThread: number;
  readonly child: number;
  readonly childFromSource: number;
  readonly spawn: number;
}

describe("what runs cost in file descriptors (measured in a fresh process)", () => {
  it.runIf(linux)("every socket type on each transport, the context, an observer, a worker thread and a child process cost what the budget counts", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [measureScript], { timeout: 60_000 });
    const m = JSON.parse(stdout) as Measured;
    const c = DESCRIPTOR_COSTS;
    const rows = SOCKET_TYPES.map((t) => `  ${t.padEnd(7)} ${String(m.sockets[t]).padStart(6)} ${String(m.inproc[t]?.bind).padStart(12)} ${String(m.inproc[t]?.connect).padStart(15)} ${String(m.tcp[t]?.bind).padStart(9)} ${String(m.tcp[t]?.connect).padStart(12)}`);
    console.log(
      [
        "descriptors per socket (the socket included), measured in a fresh process:",
        "  type    create  inproc bind  inproc connect  tcp bind  tcp connect",
        ...rows,
        `  context ${m.context}, disconnect observer ${m.observer}, worker thread ${m.workerThread}, child process ${m.child} (from source ${m.childFromSource}), a child in its parent ${m.spawn}`,
      ].join("\n"),
    );
    // Sockets and transports cost exactly this; what a thread or a process costs depends a
    // little on how its stdio is set up, and the budget counts at least what was measured.
    for (const t of SOCKET_TYPES) {
      expect({ type: t, create: m.sockets[t], inproc: m.inproc[t], tcp: m.tcp[t] }).toEqual({
        type: t,
        create: c.socket,
        inproc: { bind: c.socket, connect: c.socket },
        tcp: { bind: c.socket + c.tcpBind, connect: c.socket + c.tcpConnect },
      });
    }
    expect({ context: m.context, observer: m.observer, spawn: m.spawn }).toEqual({ context: c.context, observer: c.observer, spawn: c.spawn });
    expect(m.workerThread).toBeLessThanOrEqual(c.workerThread);
    expect(m.workerThread).toBeGreaterThanOrEqual(c.workerThread - 1);
    expect(m.child).toBeLessThanOrEqual(c.child);
    expect(m.childFromSource).toBeLessThanOrEqual(c.childFromSource);
  }, 90_000);

  it.runIf(linux)("a pooled worker thread of the kit run from source costs what the budget counts for it", async () => {
    const pool = new WorkerPool();
    try {
      // The context and this file's own imports first.
      await runInterleaving(parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: close s0 | schedule"));
      const before = await settledCount();
      await runInterleaving(parseInterleaving("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: close s0 | schedule"), { pool });
      const one = (await settledCount()) - before;
      console.log(`a pooled worker thread, from source: ${one} descriptors`);
      expect(one).toBeLessThanOrEqual(processCosts(true).workerThread);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("the limit read from /proc/self/limits is what `ulimit -n` says; the count is what the process has open", () => {
    const shell = execFileSync("/bin/sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
    const limit = readDescriptorLimit();
    expect(String(limit === Infinity ? "unlimited" : limit)).toBe(shell);
    const open = countOpenDescriptors(limit ?? 0);
    if (linux) expect(open).toBe(readdirSync("/proc/self/fd").length - 1);
    expect(open).toBeGreaterThan(2);
  });
});

describe("what a run needs", () => {
  it("counts sockets, tcp listeners and connections, observers, worker threads to start and the context", () => {
    const inproc = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push w1/t0 connect e0 | s2 push w1/t0 connect e0 | main/t0: recv s0 | w1/t0: send s1 "x" | schedule');
    expect(descriptorNeeds(inproc, workerThreadsOf(inproc), 5)).toEqual({ sockets: 3, tcpBinds: 0, tcpConnects: 0, observers: 0, workers: 1, perWorker: 5, total: 4 + 3 + 5 });
    // s1 pushes to a binder that closes in the run: the kit watches it for the disconnect.
    const tcp = parseInterleaving('zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 push main/t1 connect e0 | main/t0: close s0 | main/t1: send s1 "x" | schedule');
    expect(descriptorNeeds(tcp, 0)).toEqual({ sockets: 3, tcpBinds: 1, tcpConnects: 2, observers: 2, workers: 0, perWorker: 5, total: 4 + 3 + 1 + 2 * 2 + 2 * 2 });
  });

  it.runIf(linux)("bounds what real runs open at their peak (tcp, up to 8 links of 4 peers, on the main thread and a worker)", async () => {
    const xs = fc.sample(interleavings({ transport: "tcp", maxLinks: 8, maxPeers: 4, threads: 2, executable: true }), { numRuns: 12, seed: 13 });
    const pool = new WorkerPool();
    const over: string[] = [];
    try {
      for (const x of xs) {
        // Earlier runs' sockets are closed on libzmq's threads: start from a settled count.
        const base = await settledCount();
        const needed = descriptorNeeds(x, Math.max(0, workerThreadsOf(x) - pool.size), processCosts(true).workerThread).total;
        let peak = base;
        const sampler = setInterval(() => {
          peak = Math.max(peak, countOpenDescriptors(0) ?? 0);
        }, 0);
        try {
          await runInterleaving(x, { pool });
        } finally {
          clearInterval(sampler);
        }
        if (peak - base > needed) over.push(`${peak - base} > ${needed}: ${x.scenario.sockets.length} sockets`);
      }
    } finally {
      await pool.close();
    }
    expect(over).toEqual([]);
  }, 120_000);
});

async function settledCount(): Promise<number> {
  let last = countOpenDescriptors(0) ?? 0;
  for (let still = 0, waited = 0; still < 3 && waited < 2000; waited += 10) {
    await new Promise((r) => setTimeout(r, 10));
    const now = countOpenDescriptors(0) ?? 0;
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe("where a run goes", () => {
  const needs = (total: number) => ({ sockets: 0, tcpBinds: 0, tcpConnects: 0, observers: 0, workers: 0, perWorker: 5, total });

  it("here when it fits with a margin, isolated when it may fit here or in a fresh process, refused when it cannot", () => {
    const limit = 100;
    expect(placeRun(needs(40), { limit, inUse: 40 }, 28, true).kind).toBe("here");
    expect(40 + descriptorMargin(40)).toBeLessThanOrEqual(60);
    // 55 free here: within the margin.
    expect(placeRun(needs(50), { limit, inUse: 45 }, 28, true).kind).toBe("isolated");
    // Not here (20 free), but a fresh process has 72.
    expect(placeRun(needs(60), { limit, inUse: 80 }, 28, true).kind).toBe("isolated");
    // Nowhere.
    expect(placeRun(needs(80), { limit, inUse: 40 }, 28, true).kind).toBe("refused");
    // Not even a child can be started.
    expect(placeRun(needs(10), { limit, inUse: 99 }, 28, true).kind).toBe("refused");
    // Without isolation: here when it fits at all.
    expect(placeRun(needs(50), { limit, inUse: 45 }, 28, false).kind).toBe("here");
    expect(placeRun(needs(60), { limit, inUse: 45 }, 28, false).kind).toBe("refused");
  });

  it("a refusal is a typed error that says how many it needs, how many are free, and what to do", () => {
    const x = parseInterleaving('zi1 thread tcp | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 push main/t1 connect e0 | main/t0: | main/t1: send s1 "x" | schedule');
    const placement = placeRun(descriptorNeeds(x, 0), { limit: 40, inUse: 30 }, 30, true);
    expect(placement.kind).toBe("refused");
    const err = placement.kind === "refused" ? placement.error : null;
    expect(err).toBeInstanceOf(DescriptorBudgetError);
    expect(KitError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: "DESCRIPTOR_BUDGET", needed: 12, free: 10, limit: 40, inUse: 30 });
    expect(err?.message).toContain("needs about 12 file descriptors (3 sockets, 1 tcp listener, 2 tcp connections x 2, the context's 4)");
    expect(err?.message).toContain("only 10 of the process's 40 are free (30 in use)");
    expect(err?.message).toContain("ulimit -n 1024");
    expect(err?.message).toContain('transport "inproc"');
  });
});
