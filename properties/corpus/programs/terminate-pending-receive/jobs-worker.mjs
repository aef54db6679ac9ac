// The worker thread of terminate-pending-receive/index.ts (plain JavaScript so a worker can load
// it without a TypeScript loader): a PULL read by `for await`; it tells the parent it is
// listening once its first receive is pending.
import { parentPort, workerData } from "node:worker_threads";
import { Pull } from "zeromq";

const jobs = new Pull();
jobs.connect(workerData.address);

const listening = (async () => {
  for await (const [job] of jobs) parentPort.postMessage(`done ${String(job)}`);
})();
// The loop above has called receive() already (for await runs up to its first await at once).
parentPort.postMessage("listening");
await listening;
