import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { TaskNode } from "../../src/instrument/tasks/task-node.js";
import { TaskTracker } from "../../src/instrument/tasks/tracker.js";

/** Runs `body` as the main task of a fresh tracker; `op(label)` notes which task runs. */
async function track(body: (op: (label: string) => void) => Promise<void>): Promise<Map<string, string>> {
  const t = new TaskTracker();
  const nodes = new Map<string, TaskNode>();
  const op = (label: string): void => void nodes.set(label, t.now());
  t.enable();
  try {
    await t.runAs(t.main, () => body(op));
  } finally {
    t.disable();
  }
  // Tasks are known once the run is over (a call is merged into its caller when the caller awaits it).
  const seen = new Map<string, string>();
  for (const [label, n] of nodes) {
    const root = n.root();
    seen.set(label, root === t.main ? "main" : `${root.name}#${root.id}`);
  }
  return seen;
}

describe("task tracker", () => {
  it("an awaited call belongs to its caller; `void f()` starts a task", async () => {
    async function serve(op: (l: string) => void): Promise<void> {
      op("serve first");
      await null;
      op("serve later");
    }
    async function helper(op: (l: string) => void): Promise<void> {
      op("helper first");
      await null;
      op("helper later");
    }
    const seen = await track(async (op) => {
      op("main first");
      void serve(op);
      op("main after void");
      await helper(op);
      op("main last");
    });
    expect(seen.get("main first")).toBe("main");
    expect(seen.get("main after void")).toBe("main");
    expect(seen.get("helper first")).toBe("main");
    expect(seen.get("helper later")).toBe("main");
    expect(seen.get("main last")).toBe("main");
    expect(seen.get("serve first")).toMatch(/^serve#/);
    expect(seen.get("serve later")).toBe(seen.get("serve first"));
  });

  it("members of Promise.all are tasks; two calls of one function are two tasks", async () => {
    async function worker(op: (l: string) => void, i: number): Promise<void> {
      op(`w${i} a`);
      await new Promise((r) => setImmediate(r));
      op(`w${i} b`);
    }
    const seen = await track(async (op) => {
      await Promise.all([worker(op, 1), worker(op, 2)]);
      for (let i = 3; i < 5; i++) void worker(op, i);
      await new Promise((r) => setTimeout(r, 5));
    });
    for (let i = 1; i < 5; i++) {
      expect(seen.get(`w${i} a`)).toMatch(/^worker#/);
      expect(seen.get(`w${i} b`)).toBe(seen.get(`w${i} a`));
    }
    expect(new Set([1, 2, 3, 4].map((i) => seen.get(`w${i} a`))).size).toBe(4);
  });

  it("IIFEs, methods that start loops, `.catch` fire-and-forget and async listeners are tasks", async () => {
    class Svc {
      private readonly op: (l: string) => void;
      constructor(op: (l: string) => void) {
        this.op = op;
      }
      async start(): Promise<void> {
        this.op("start");
        await null;
        void this.loop();
      }
      async loop(): Promise<void> {
        this.op("loop a");
        await null;
        this.op("loop b");
      }
    }
    async function failing(op: (l: string) => void): Promise<void> {
      op("failing");
      await null;
      throw new Error("x");
    }
    const seen = await track(async (op) => {
      await new Svc(op).start();
      void (async () => {
        op("iife a");
        await null;
        op("iife b");
      })();
      failing(op).catch(() => undefined);
      const ee = new EventEmitter();
      ee.on("x", async () => {
        op("listener a");
        await null;
        op("listener b");
      });
      setTimeout(() => ee.emit("x"), 1);
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(seen.get("start")).toBe("main");
    expect(seen.get("loop a")).toMatch(/loop#/);
    expect(seen.get("loop b")).toBe(seen.get("loop a"));
    expect(seen.get("iife a")).toMatch(/anonymous/);
    expect(seen.get("iife b")).toBe(seen.get("iife a"));
    expect(seen.get("failing")).toMatch(/^failing#/);
    expect(seen.get("listener a")).not.toBe("main");
    expect(seen.get("listener b")).toBe(seen.get("listener a"));
  });

  it("a for-await loop over an async generator stays in the task that runs it", async () => {
    async function* gen(op: (l: string) => void): AsyncGenerator<number> {
      op("gen 1");
      yield 1;
      await null;
      op("gen 2");
      yield 2;
    }
    const seen = await track(async (op) => {
      for await (const x of gen(op)) op(`got ${x}`);
    });
    expect([...seen.values()].every((v) => v === "main")).toBe(true);
  });
});

describe("task tracker: ops that complete at once", () => {
  it("tells a binding promise that settled inside `quiet` as the promise's own state shows it", async () => {
    const zmq = await import("zeromq");
    const { isSettled } = await import("../../src/guard/settled.js");
    const t = new TaskTracker();
    const push = new zmq.Push({ sendHighWaterMark: 1 });
    const pull = new zmq.Pull();
    const address = `inproc://tracker-settled-${process.pid}`;
    await pull.bind(address);
    push.connect(address);
    const seen: [boolean | null, boolean][] = [];
    const op = (make: () => Promise<unknown>): Promise<unknown> =>
      t.quiet(() => {
        const p = make();
        seen.push([t.settledInQuiet(p), isSettled(p)]);
        return p;
      });
    t.enable();
    try {
      const waiting = op(() => pull.receive()); // nothing queued: waits
      await op(() => push.send("a")); // a peer is waiting: completes at once
      await waiting;
      await op(() => push.send("b")); // queued within the high-water mark: at once
      await op(() => pull.receive()); // "b" is queued: at once
      // Outside `quiet`, or with the hooks off, it cannot tell.
      expect(t.settledInQuiet(Promise.resolve())).toBeNull();
    } finally {
      t.disable();
      push.close();
      pull.close();
    }
    expect(t.quiet(() => t.settledInQuiet(Promise.resolve()))).toBeNull();
    expect(seen.map(([quiet]) => quiet)).toEqual(seen.map(([, inspected]) => inspected));
    expect(seen.map(([, inspected]) => inspected)).toEqual([false, true, true, true]);
  });
});
