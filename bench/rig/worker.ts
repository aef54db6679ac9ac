/**
 * Starts a worker thread running a TypeScript module. Node 20 does not apply the parent's
 * `--import tsx` to workers, so the worker boots from a small plain-JS entry that registers
 * tsx's loader in its own thread and then imports the module.
 */
import { Worker } from "node:worker_threads";

/** A worker running the `.ts` module at `moduleUrl`, with `workerData`. */
export function startTsWorker(moduleUrl: URL, workerData: unknown): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
