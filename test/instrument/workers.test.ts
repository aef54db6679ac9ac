import { once } from "node:events";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

const z = instrument(zmq);
const file = (name: string): URL => new URL(`./workers/${name}`, import.meta.url);

describe("worker threads in instrumented runs", () => {
  it("a worker's sockets are guarded and drawn on the run's timeline, in lanes of their own", async () => {
    const report = await runInterleaved(
      async ({ zmq: m }) => {
        const worker = new Worker(file("serve.mjs"), { workerData: { prefix: "echo" } });
        const [ep] = (await once(worker, "message")) as [string];
        const req = new m.Request({ linger: 0 });
        req.connect(ep);
        await req.send("hi");
        const [reply] = await req.receive();
        expect(String(reply)).toBe("echo hi");
        req.close();
        worker.postMessage("stop");
        await once(worker, "exit");
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(report.text).toMatch(/rep1@w1 rep, owner w1\/t0/);
    expect(report.text).toMatch(/w1\/t0/);
    expect(report.history.some((e) => e.actor.thread === 1 && e.kind === "invoke" && e.op.kind === "recv")).toBe(true);
  });

  it("terminate() while the worker's receive waits is refused as teardown-while-pending, and the process lives on", async () => {
    for (let i = 0; i < 5; i++) {
      const report = await runInterleaved(
        async () => {
          const worker = new Worker(file("wait.mjs"));
          await once(worker, "message");
          await worker.terminate();
        },
        { zmq: z },
      );
      expect(report.label).toBe("teardown-while-pending");
      expect(report.text.replace(/\s+/g, " ")).toMatch(/called terminate\(\) on worker thread w1 while w1\/t0 \(wait\.mjs\)'s receive\(\) on pull1@w1 \(step \d+\) waited there/);
      expect(report.text.replace(/\s+/g, " ")).toMatch(/pull1@w1 was created by w1\/t0 at .*wait\.mjs:\d+/);
    }
  });

  it("a worker's own process.exit while its receive waits is refused; the worker can close and go on", async () => {
    const report = await runInterleaved(
      async () => {
        const worker = new Worker(file("wait.mjs"));
        await once(worker, "message");
        worker.postMessage("exit");
        const [answer] = (await once(worker, "message")) as [string];
        expect(answer).toBe("refused: teardown-while-pending");
        await once(worker, "exit");
      },
      { zmq: z },
    );
    expect(report.label).toBe("teardown-while-pending");
  });

  it("an exception the worker does not catch ends the run as an error; the kit closes its sockets first", async () => {
    const report = await runInterleaved(
      async () => {
        const worker = new Worker(file("wait.mjs"));
        await once(worker, "message");
        worker.postMessage("throw");
        await once(worker, "exit");
      },
      { zmq: z },
    );
    expect(report.label).toBe("error");
    expect(report.text).toContain("worker thread w1 threw and nobody caught it: the worker gave up");
  });
});
