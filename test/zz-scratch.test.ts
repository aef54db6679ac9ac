import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import { it } from "vitest";
import { instrument } from "../src/instrument/instrument.js";
import { runInterleaved } from "../src/instrument/run.js";
it("x", async () => {
  const seen: number[] = [];
  const report = await runInterleaved(async () => {
    const t0 = Date.now(); const p0 = performance.now();
    await sleep(60_000);
    seen.push(Date.now() - t0);
    await new Promise((r) => setTimeout(r, 30_000));
    seen.push(Date.now() - t0, Math.round(performance.now() - p0));
  }, { zmq: instrument(zmq) });
  console.log(report.text, seen);
});
