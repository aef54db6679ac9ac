import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { checkInterleaves } from "../../src/instrument/check.js";
import { createInstrumentedZmq } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { endpoint } from "../guard/helpers.js";

describe("instrumented runs", () => {
  it("a legal exchange is ok; its history has every invoke and return", async () => {
    const report = await runInterleaved(
      async ({ zmq: z, task }) => {
        const ep = endpoint();
        const pull = new z.Pull({ linger: 0 });
        const push = new z.Push({ linger: 0 });
        await pull.bind(ep);
        push.connect(ep);
        const got = task("reader", async () => String(await pull.receive()));
        await task("writer", () => push.send("hi"));
        expect(await got).toBe("hi");
        push.close();
        pull.close();
      },
      { zmq },
    );
    expect(report.label).toBe("ok");
    expect(report.history.filter((e) => e.kind === "invoke").length).toBe(report.history.filter((e) => e.kind === "return").length);
  });

  it("an op left pending when the code is done is stuck, with the timeline", async () => {
    const report = await runInterleaved(
      async ({ zmq: z }) => {
        const pull = new z.Pull({ linger: 0 });
        await pull.bind(endpoint());
        void pull.receive().catch(() => undefined);
      },
      { zmq },
    );
    expect(report.label).toBe("stuck");
    expect(report.text).toContain("is still pending after every program ended");
    expect(report.text).toContain("replay: verdict=stuck schedule=[]");
  });

  it("the report's socket legend says how each socket joined (bind or connect, one name per endpoint) and its linger", async () => {
    const report = await runInterleaved(
      async ({ zmq: z }) => {
        const ep = endpoint();
        const pull = new z.Pull({ linger: 0 });
        const push = new z.Push({ linger: 250 });
        await pull.bind(ep);
        push.connect(ep);
        void pull.receive().catch(() => undefined);
      },
      { zmq },
    );
    expect(report.label).toBe("stuck");
    expect(report.text).toMatch(/pull1 pull, owner main\/t0, bind e0, linger 0/);
    expect(report.text).toMatch(/push1 push, owner main\/t0, connect e0, linger 250/);
  });

  it("a receive closed under a serve loop started with `void serve()` escapes unhandled: unobserved-rejection, and the process goes on", async () => {
    const report = await runInterleaved(
      async ({ zmq: z, task }) => {
        const pull = new z.Pull({ linger: 0 });
        await pull.bind(endpoint());
        const serve = async (): Promise<void> => {
          for (;;) await pull.receive();
        };
        void task("server", serve);
        await new Promise((r) => setImmediate(r));
        pull.close();
      },
      { zmq },
    );
    expect(report.label).toBe("unobserved-rejection");
    expect(report.text.replace(/\s+/g, " ")).toContain("main/t1 (server) awaited it, but the rejection left the async function");
    expect(report.text).toContain("(closed by main/t0 at step 1)");
  });

  it("the same stop under a `for await` serve loop is ok (the loop just ends)", async () => {
    const report = await runInterleaved(
      async ({ zmq: z, task }) => {
        const pull = new z.Pull({ linger: 0 });
        await pull.bind(endpoint());
        const serve = async (): Promise<void> => {
          for await (const msg of pull) void msg;
        };
        void task("server", serve);
        await new Promise((r) => setImmediate(r));
        pull.close();
      },
      { zmq },
    );
    expect(report.label).toBe("ok");
  });

  it("the report draws a violation's run up to the refused step, not what other tasks did after it", async () => {
    const report = await runInterleaved(
      async ({ zmq: z, task }) => {
        const ep = endpoint();
        const pull = new z.Pull({ linger: 0 });
        await pull.bind(ep);
        const push = new z.Push({ linger: 0 });
        push.connect(ep);
        const handler = async (): Promise<void> => void (await pull.receive());
        const handlers = [task("h1", handler), task("h2", handler)];
        await push.send("late"); // issued synchronously after h2's refused receive
        await Promise.all(handlers);
      },
      { zmq },
    );
    expect(report.label).toBe("busy-recv");
    expect(report.history.some((e) => e.kind === "invoke" && e.op.kind === "send")).toBe(true);
    expect(report.timeline.history.some((e) => e.kind === "invoke" && e.op.kind === "send")).toBe(false);
    expect(report.text).not.toContain('push1.send("late")');
  });

  it("code that never finishes ends as unknown, never as a pass", async () => {
    const report = await runInterleaved(() => new Promise(() => {}), { zmq, timeLimitMs: 200 });
    expect(report.label).toBe("unknown");
  });

  /** Two pairs; the receives wait, then both sends go in one synchronous stretch; the order the receives resume in, per schedule. */
  async function receiveOrders(transport: "inproc" | "tcp", schedules: readonly (readonly number[])[]): Promise<Set<string>> {
    const orders = new Set<string>();
    for (const schedule of schedules) {
      const run = createInstrumentedZmq({ zmq, schedule: [...schedule] });
      const z = run.module;
      const a = new z.Pair({ linger: 0 });
      const b = new z.Pair({ linger: 0 });
      const c = new z.Pair({ linger: 0 });
      const d = new z.Pair({ linger: 0 });
      const ep = (s: { readonly lastEndpoint: string | null }): string => s.lastEndpoint ?? "";
      await a.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : endpoint());
      b.connect(ep(a));
      await c.bind(transport === "tcp" ? "tcp://127.0.0.1:*" : endpoint());
      d.connect(ep(c));
      // Prove both pipes joined, so the two messages of the race are in flight together.
      await b.send("join");
      await a.receive();
      await d.send("join");
      await c.receive();
      const seen: string[] = [];
      const r1 = a.receive().then(() => seen.push("a"));
      const r2 = c.receive().then(() => seen.push("c"));
      await Promise.all([b.send("x"), d.send("y"), r1, r2]);
      orders.add(seen.join(""));
      for (const s of [a, b, c, d]) s.close();
      expect(await run.settle()).toEqual({ kind: "ok" });
      run.dispose();
      (run.module as unknown as { __zmqInterleave: { end(r: unknown): void } }).__zmqInterleave.end(run);
    }
    return orders;
  }

  const SCHEDULES = [[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3], [0, 1, 0], [1, 0, 1], [2, 0, 0], [3, 1, 0]];

  it("over tcp two receives made ready together race: the schedule picks the order, both are seen", async () => {
    expect(await receiveOrders("tcp", SCHEDULES)).toEqual(new Set(["ac", "ca"]));
  });

  it("over inproc they do not race: they resume in the order they completed, whatever the schedule (binding timing R10)", async () => {
    expect(await receiveOrders("inproc", SCHEDULES)).toEqual(new Set(["ac"]));
  });

  it("checkInterleaves finds and shrinks a busy-recv between two readers", async () => {
    const result = await checkInterleaves(
      async ({ zmq: z, task }) => {
        const ep = endpoint();
        const pull = new z.Pull({ linger: 0 });
        const push = new z.Push({ linger: 0 });
        await pull.bind(ep);
        push.connect(ep);
        await Promise.all([task("r1", () => pull.receive()), task("r2", () => pull.receive()), push.send("1"), push.send("2")]);
        push.close();
        pull.close();
      },
      { zmq, runs: 10, seed: 1 },
    );
    expect(result.kind).toBe("failed");
    if (result.kind === "failed") {
      expect(["busy-recv", "busy-send"]).toContain(result.label);
      expect(result.text).toContain("fast-check seed=1");
    }
  });
});

describe("nothing leaks into the test runner", () => {
  it("a `readable` refused inside a fire-and-forget task is the run's verdict, not an unhandled rejection (the file would fail if it leaked)", async () => {
    for (let i = 0; i < 5; i++) {
      const report = await runInterleaved(
        async ({ zmq: z }) => {
          const pull = new z.Pull({ linger: 0 });
          await pull.bind(endpoint());
          const reader = async (): Promise<void> => {
            for await (const msg of pull) void msg;
          };
          const poller = async (): Promise<void> => {
            await new Promise((r) => setImmediate(r));
            if (pull.readable) await pull.receive();
          };
          void reader();
          void poller();
          await new Promise((r) => setTimeout(r, 10));
          pull.close();
        },
        { zmq },
      );
      expect(report.label).toBe("lost-wakeup");
      expect(report.text.replace(/\s+/g, " ")).toMatch(/main\/t2 \(poller\) read pull1\.readable while main\/t1 \(reader\)'s receive\(\)/);
    }
  });
});
