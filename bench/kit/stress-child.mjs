// Child process of the kit-stress suite (plain node, the compiled kit): one long campaign of
// guarded real runs in this one process, `runInterleaving(x, { pool })` one after another with
// one WorkerPool, counting every verdict, and sampling the process's memory as it goes.
// Configuration (JSON in argv[2]): see bench/suites/kit-stress.ts.
//
//   runs      how many runs
//   seed      interleavings are drawn in batches of 1,000 (the mix below), batch b with seed + b
//   busy      busy-loop processes started first and kept running to the end (CPU oversubscription)
//   every     memory is sampled after every `every` runs
//
// Each batch of 1,000 draws from four arbitraries of the kit (`mix`): tasks on the main thread,
// the main thread and a worker, any ownership on the main thread (the guard refuses the
// violating step), and tcp. A run that ends `diverged` or `unknown`, or throws, is kept in the
// notes with its replay string (the first five).
import { spawn } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import fc from "fast-check";
import { emit, emitFailure, emitResult, kit, readConfig } from "./rounds.mjs";

const problemsKept = 5;
const batchSize = 1000;

/** A process that keeps one core busy until it is killed or its parent is gone. */
const busyLoop = "const parent = process.ppid; for (let n = 1; ; n++) if ((n & 0xffffff) === 0 && process.ppid !== parent) process.exit(0);";

function startBusy(count) {
  const children = [];
  for (let k = 0; k < count; k++) children.push(spawn(process.execPath, ["-e", busyLoop], { stdio: "ignore" }));
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  };
  process.once("exit", stop);
  return { children, stop };
}

async function main() {
  const config = readConfig();
  const { interleavings } = await kit(config, "arbitraries/interleavings.js");
  const { formatInterleaving } = await kit(config, "interleaving/format.js");
  const { runInterleaving } = await kit(config, "runtime/executor.js");
  const { WorkerPool } = await kit(config, "runtime/pool.js");
  const mix = config.mix.map((m) => ({ share: m.share, arb: interleavings(m.constraints) }));
  const draw = (b) => {
    const parts = mix.map((m, k) => fc.sample(m.arb, { numRuns: Math.round(m.share * batchSize), seed: config.seed + 7919 * b + k }));
    // Interleaved, so every stretch of the campaign has every kind of run.
    const out = [];
    for (let i = 0; out.length < batchSize && parts.some((p) => i < p.length); i++) for (const p of parts) if (i < p.length) out.push(p[i]);
    return out;
  };
  const busy = startBusy(config.busy);
  if (config.busy > 0) await new Promise((r) => setTimeout(r, 1000));
  const pool = new WorkerPool(config.pool);
  const verdicts = {};
  const problems = [];
  const memory = [];
  let ops = 0;
  let actors = 0;
  let sockets = 0;
  let batch = [];
  const started = performance.now();
  try {
    for (let i = 0; i < config.runs; i++) {
      if (i % batchSize === 0) batch = draw(i / batchSize);
      const x = batch[i % batchSize];
      ops += x.programs.reduce((n, p) => n + p.ops.length, 0);
      actors += x.programs.filter((p) => p.ops.length > 0).length;
      sockets += x.scenario.sockets.length;
      let kind;
      let message = "";
      try {
        const r = await runInterleaving(x, { pool });
        kind = r.verdict.kind === "unknown" ? `unknown:${r.verdict.reason}` : r.verdict.kind;
        message = r.verdict.message ?? "";
      } catch (err) {
        kind = `error:${err?.code ?? err?.name ?? "?"}`;
        message = err instanceof Error ? err.message : String(err);
      }
      verdicts[kind] = (verdicts[kind] ?? 0) + 1;
      if ((kind === "diverged" || kind.startsWith("unknown") || kind.startsWith("error")) && problems.length < problemsKept) {
        problems.push({ run: i, problem: `${kind}: ${message}`, replay: formatInterleaving(x) });
      }
      if ((i + 1) % config.every === 0) {
        const m = process.memoryUsage();
        memory.push({ runs: i + 1, rss: m.rss, heap: m.heapUsed });
        emit({ kind: "value", name: "runs", value: i + 1 });
      }
    }
  } finally {
    const load = loadavg()[0] ?? 0;
    busy.stop();
    await pool.close();
    const elapsed = performance.now() - started;
    const n = config.runs;
    const metrics = {
      runs: n,
      busy: config.busy,
      cores: availableParallelism(),
      load1: load,
      seconds: elapsed / 1000,
      rate: (1000 * n) / elapsed,
      opsPerRun: ops / n,
      actorsPerRun: actors / n,
      socketsPerRun: sockets / n,
      lostWorkers: pool.lost,
    };
    for (const [kind, count] of Object.entries(verdicts)) metrics[`verdict:${kind}`] = count;
    metrics.diverged = verdicts.diverged ?? 0;
    metrics.unknown = Object.entries(verdicts).reduce((s, [k, c]) => s + (k.startsWith("unknown") ? c : 0), 0);
    metrics.errors = Object.entries(verdicts).reduce((s, [k, c]) => s + (k.startsWith("error") ? c : 0), 0);
    const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
    for (const m of memory) {
      metrics[`rss:${m.runs}`] = mb(m.rss);
      metrics[`heap:${m.runs}`] = mb(m.heap);
    }
    const at = (k) => memory.find((m) => m.runs === k);
    const base = at(config.baseAt);
    if (base !== undefined && memory.length > 0) {
      const after = memory.filter((m) => m.runs >= config.baseAt);
      metrics.rssBase = mb(base.rss);
      metrics.rssEnd = mb(memory[memory.length - 1].rss);
      metrics.rssGrowth = mb(memory[memory.length - 1].rss - base.rss);
      metrics.rssMaxGrowth = mb(Math.max(...after.map((m) => m.rss)) - base.rss);
      metrics.heapGrowth = mb(memory[memory.length - 1].heap - base.heap);
    }
    const notes = {};
    for (const p of problems) {
      notes[`problem:${p.run}`] = p.problem;
      notes[`replay:${p.run}`] = p.replay;
    }
    emitResult(metrics, notes);
  }
}

try {
  await main();
} catch (err) {
  emitFailure(err);
}
