import type { Interleaving } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { descriptorNeeds, processCosts, workerThreadsOf } from "./descriptors.js";
import { DescriptorGauge } from "./gauge.js";
import { fromSource } from "./loader.js";
import { resolveRunOptions, unsupported, type RunOptions } from "./options.js";
import type { RunResult } from "./result.js";
import { runInProcess } from "./run.js";
import { needsIsolation, runIsolated } from "./isolate.js";

/**
 * The process's descriptor readings, shared by every run of the process (the limit and the
 * count are the process's, not a run's); it keeps only its last reading.
 */
const gauge = new DescriptorGauge();

/**
 * Runs one interleaving on real zeromq sockets, in tasks on this thread and in worker
 * threads, step by step against the model; returns the verdict, the real history, the
 * model's prediction and where they first differ. Everything is checked (the interleaving,
 * the options, what the executor can run faithfully, the file descriptors it needs) before
 * any socket is created: a run that cannot get its descriptors is refused with a
 * `DescriptorBudgetError`, and one that may just fit runs in a child process, where running
 * out becomes an `unknown` verdict (reason `crashed`) instead of an abort of this process.
 */
export async function runInterleaving(x: Interleaving, options: RunOptions = {}): Promise<RunResult> {
  validateInterleaving(x);
  const o = resolveRunOptions(options);
  unsupported(x);
  const isolate = o.mode === "unguarded" && (o.isolate === "always" || (o.isolate === "auto" && needsIsolation(x, o)));
  const workers = workerThreadsOf(x);
  const { workerThread, child } = processCosts(fromSource());
  if (isolate) {
    const placement = await gauge.place(descriptorNeeds(x, workers, workerThread), child, true);
    if (placement.kind === "refused") throw placement.error;
    return runIsolated(x, o);
  }
  // Workers a pool already has are open already; a run starts the others.
  const starts = o.pool === null ? workers : Math.max(0, workers - o.pool.size);
  const placement = await gauge.place(descriptorNeeds(x, starts, workerThread), child, o.isolate !== "never");
  if (placement.kind === "refused") throw placement.error;
  if (placement.kind === "isolated") return runIsolated(x, o);
  return runInProcess(x, o, { mode: "handled", teardown: true });
}
