// Child process for teardown.test.ts: runs the worker in the mode given as argv[2].
import { Worker } from "node:worker_threads";

const mode = process.argv[2] ?? "guarded";
const worker = new Worker(new URL("./teardown-worker.mjs", import.meta.url), { workerData: mode });
worker.on("message", (m: { rule: string; message: string }) => console.log(`refused ${m.rule}: ${m.message.split("\n")[0]}`));
worker.on("exit", (code) => console.log(`worker exited ${code}`));
