// Child process of the kit-runtime suite (plain node, the compiled kit): real runs of the
// sampled interleavings on zeromq sockets, and the same interleavings through the model
// alone, in this one process so the cost ratio pairs them run by run. Configuration (JSON in
// argv[2]): see bench/suites/kit-runtime.ts.
//
//   real   one call = every sample once through runInterleaving(x, { pool }): each run
//          creates, binds, connects (and joins) its sockets, steps, and closes them; the
//          worker threads come from one WorkerPool (options: config.pool) reused by every run
//          and closed at the end
//   model  one call = every sample once through checkInterleaving(x, { validate: false, history: false })
//   real:no-exit  (with config.splitExit) like real, over the samples where no worker thread
//          runs `exit`: a worker that exits is gone, and the pool starts a new one for a later run
//
// Before each real run the child says which sample it starts (a `running` value message,
// one short synchronous line), so a run that aborts the process is named by the parent.
// Every real run's verdict is counted (warm-up included); a run that ends in a kind not in
// `config.expected` (ok, stuck, exit-hang) is reported in the notes (`problem:<sample>`, `replay:<sample>`).
import { emit, emitFailure, emitResult, kit, measureRounds, rate, readConfig, readSamples } from "./rounds.mjs";

const problemsKept = 5;

async function main() {
  const config = readConfig();
  const { formatInterleaving } = await kit(config, "interleaving/format.js");
  const { checkInterleaving } = await kit(config, "model/check.js");
  const { runInterleaving } = await kit(config, "runtime/executor.js");
  const { WorkerPool } = await kit(config, "runtime/pool.js");
  const expected = new Set(config.expected);
  const samples = await readSamples(config);
  if (samples.length === 0) throw new Error("no samples");
  const pool = new WorkerPool(config.pool);
  const verdicts = {};
  const problems = new Map();
  let runs = 0;
  let sink = 0;
  const note = (i, kind, message) => {
    if (problems.has(i) || problems.size >= problemsKept) return;
    problems.set(i, { problem: `${kind}: ${message}`, replay: formatInterleaving(samples[i]) });
  };
  /** One call: runs the samples at `indices` once each, counting verdicts. */
  const realPass = (indices) => async () => {
    for (const i of indices) {
      let kind;
      // If this run takes the process down, the parent knows which sample did it.
      emit({ kind: "value", name: "running", value: i });
      try {
        const r = await runInterleaving(samples[i], { pool });
        kind = r.verdict.kind;
        if (!expected.has(kind)) note(i, kind, r.verdict.message ?? "");
      } catch (err) {
        kind = "error";
        note(i, kind, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
      verdicts[kind] = (verdicts[kind] ?? 0) + 1;
      runs += 1;
    }
  };
  const all = samples.map((_, i) => i);
  // A worker thread that runs `exit` is gone: the pool starts a new one for a later run.
  const noExit = all.filter((i) => !samples[i].programs.some((p) => p.ops.some((op) => op.kind === "exit")));
  try {
    const tasks = [
      { name: "real", units: samples.length, fn: realPass(all) },
      {
        name: "model",
        units: samples.length,
        fn: () => {
          for (const x of samples) sink += checkInterleaving(x, { validate: false, history: false }).steps;
        },
      },
    ];
    if (config.splitExit && noExit.length > 0 && noExit.length < samples.length) {
      tasks.push({ name: "real:no-exit", units: noExit.length, fn: realPass(noExit) });
    }
    const latencies = await measureRounds(tasks, config.timing);
    const metrics = { samples: samples.length, "samples:exit": samples.length - noExit.length, runs };
    for (const task of tasks) {
      const l = latencies.get(task.name);
      metrics[task.name] = rate(l, task.units);
      metrics[`calls:${task.name}`] = l.length;
    }
    for (const [kind, n] of Object.entries(verdicts)) metrics[`verdict:${kind}`] = n;
    const notes = { sink: String(sink) };
    for (const [i, p] of problems) {
      notes[`problem:${i}`] = p.problem;
      notes[`replay:${i}`] = p.replay;
    }
    emitResult(metrics, notes);
  } finally {
    await pool.close();
  }
}

try {
  await main();
} catch (err) {
  emitFailure(err);
}
