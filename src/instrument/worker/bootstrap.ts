import { workerData } from "node:worker_threads";
import { RUN_WORKER_KEY, type RunWorkerData } from "./protocol.js";
import { runWorker } from "./in-worker.js";

/**
 * Entry of a worker thread started by a program under an instrumented run: the kit's part of
 * `workerData` sets the run up in this thread, then the program's own worker file (or code)
 * runs with its own `workerData` back in place.
 */
const wrapped = workerData as { readonly [RUN_WORKER_KEY]: RunWorkerData; readonly user: unknown };
await runWorker(wrapped[RUN_WORKER_KEY], wrapped.user);
