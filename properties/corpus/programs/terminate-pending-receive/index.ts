/**
 * BUGGY: a worker thread is terminated while its socket has a pending receive (process abort).
 *
 * Follows https://github.com/zeromq/zeromq.js, examples/threaded-worker/processor.ts and
 * threaded-worker.ts, with the stop done by `worker.terminate()` instead of the example's stop
 * signal (the shortcut https://github.com/zeromq/zeromq.js/issues/411 reports; zeromq.js's own
 * test/unit/proxy-router-dealer-test.ts also ends its worker with `terminate()`).
 *
 * Concurrency kept: the main thread binds a PUSH on inproc and starts a `worker_threads` Worker
 * (jobs-worker.mjs) whose PULL is read by a `for await` loop; the worker reports each job done
 * over `postMessage`. The main thread sends jobs, waits for them to be done, gives the worker a
 * short grace period, then terminates it while its loop waits in a receive, and closes its PUSH.
 *
 * What goes wrong on the real binding, and when: terminating (or `process.exit()` inside) a
 * worker thread whose zeromq socket has a pending operation aborts the whole process
 * ("terminate called after throwing an instance of 'Napi::Error'", exit status 134 / SIGABRT),
 * not just the worker. It happens whenever an op is pending at that moment, which a `for await`
 * loop's idle receive always is. Never run this in a test runner's process: run it in a child
 * process and expect the abort.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { Push } from "zeromq";

export interface TerminatePendingReceiveResult {
  /** Jobs the worker reported done. */
  readonly done: number;
}

const WORKER_FILE = new URL("./jobs-worker.mjs", import.meta.url);

export interface TerminatePendingReceiveOptions {
  /** Jobs sent before the shutdown. Default 3. */
  readonly jobs?: number;
  /** Grace period before `terminate()`, ms. Default 10. */
  readonly graceMs?: number;
}

export async function run(options: TerminatePendingReceiveOptions = {}): Promise<TerminatePendingReceiveResult> {
  const jobs = options.jobs ?? 3;
  const address = `inproc://corpus-${randomUUID()}`;
  const push = new Push();
  await push.bind(address);

  const worker = new Worker(WORKER_FILE, { workerData: { address } });
  let done = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const listening = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message: string) => {
      if (message === "listening") resolve();
      else if (++done === jobs) allDone();
    });
  });
  await listening;

  for (let j = 0; j < jobs; j++) await push.send(`job ${j}`);
  await finished;

  // Shutdown: a grace period for the worker to settle, then it is terminated.
  await sleep(options.graceMs ?? 10);
  // BUG: the worker's for-await loop has a receive pending right now.
  await worker.terminate();
  push.close();
  return { done };
}
