import { Worker } from "node:worker_threads";
const url = new URL("./w-worker.ts", import.meta.url).href;
const t0 = performance.now();
const w = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true });
w.on("message", (m) => { console.log("from worker", m, performance.now() - t0); });
w.on("error", (e) => console.log("err", e));
w.on("exit", (c) => console.log("worker exit", c));
