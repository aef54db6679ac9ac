import type { Interleaving } from "../interleaving/types.js";
import { validateInterleaving } from "../interleaving/validate.js";
import { resolveRunOptions, unsupported, type RunOptions } from "./options.js";
import type { RunResult } from "./result.js";
import { runInProcess } from "./run.js";
import { needsIsolation, runIsolated } from "./isolate.js";

/**
 * Runs one interleaving on real zeromq sockets, in tasks on this thread and in worker
 * threads, step by step against the model; returns the verdict, the real history, the
 * model's prediction and where they first differ. Everything is checked (the interleaving,
 * the options, what the executor can run faithfully) before any socket is created.
 */
export async function runInterleaving(x: Interleaving, options: RunOptions = {}): Promise<RunResult> {
  validateInterleaving(x);
  const o = resolveRunOptions(options);
  unsupported(x);
  if (o.mode === "unguarded" && (o.isolate === "always" || (o.isolate === "auto" && needsIsolation(x, o)))) return runIsolated(x, o);
  return runInProcess(x, o, { mode: "handled", teardown: true });
}
