// Shared by the kit suites' child processes, which run under plain node (no tsx) and import
// the compiled kit (`config.dist`: the run's snapshot of dist/, see bench/kit/build.ts):
// tinybench rounds, rates, the stdout protocol, sample files.
//
// The shared 2-core machine is slow in stretches that hit every task of a process alike, so
// tasks are not measured one long stretch after another: tinybench runs several short
// rounds over all of them, each round in a rotated order, and a task's rate comes from the
// median of its samples over every round (as bench/xpub/measure.ts does). Only the first
// round warms up.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";

/** The prefix of bench/rig/protocol.ts: one JSON message per stdout line behind it. */
const prefix = "@zmq-bench ";

/** Writes one protocol message (see bench/rig/protocol.ts). */
export function emit(message) {
  process.stdout.write(`${prefix}${JSON.stringify(message)}\n`);
}

/** Reports the result of the run; metrics are numbers, notes strings. */
export function emitResult(metrics, notes) {
  emit({ kind: "result", metrics, notes });
}

/** Reports a failure of the child itself (no measurement) and sets the exit code. */
export function emitFailure(err) {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  emitResult({}, { error: message });
  process.exitCode = 1;
}

/** The run's configuration: JSON in argv[2]. */
export function readConfig() {
  const text = process.argv[2];
  if (text === undefined) throw new Error("usage: node <child>.mjs '<json configuration>'");
  return JSON.parse(text);
}

/** Imports a module of the compiled kit: `kit(config, "model/check.js")`. */
export function kit(config, module) {
  if (typeof config.dist !== "string") throw new Error("the configuration names no compiled kit (dist)");
  return import(pathToFileURL(join(config.dist, module)).href);
}

/** The interleavings of a samples file (one replay string per line), parsed by the compiled kit. */
export async function readSamples(config) {
  const { parseInterleaving } = await kit(config, "interleaving/parse.js");
  return readFileSync(config.samplesFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parseInterleaving(line));
}

/** Median of a non-empty list. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) / 2;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.ceil(h)] - sorted[lo]);
}

/**
 * Runs `tasks` ({ name, fn }) in `timing.rounds` tinybench rounds, rotated; returns each
 * task's latency samples (ms per call) over all rounds. A task that throws fails the run.
 */
export async function measureRounds(tasks, timing) {
  const samples = new Map(tasks.map((t) => [t.name, []]));
  for (let round = 0; round < timing.rounds; round++) {
    const bench = new Bench({
      time: timing.timeMs,
      iterations: timing.iterations,
      warmup: round === 0,
      warmupTime: timing.warmupMs,
      warmupIterations: timing.warmupIterations,
      retainSamples: true,
      throws: true,
    });
    const k = round % tasks.length;
    for (const task of [...tasks.slice(k), ...tasks.slice(0, k)]) bench.add(task.name, task.fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`task ${task.name} ended ${result.state}${result.error === undefined ? "" : `: ${result.error}`}`);
      samples.get(task.name).push(...(result.latency.samples ?? []));
    }
  }
  return samples;
}

/** Units per second from per-call latencies (ms) of calls that each did `units` units. */
export function rate(latencies, units) {
  return (units * 1000) / median(latencies);
}
