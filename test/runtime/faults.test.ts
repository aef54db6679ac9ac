import { execFileSync } from "node:child_process";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { KitError, PoolClosedError, RunFailedError } from "../../src/errors.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { zeromqModel, type Model } from "../../src/model/model.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import type { WorkerHandle } from "../../src/runtime/handle.js";
import { crashMessage } from "../../src/runtime/isolate.js";
import { WorkerPool } from "../../src/runtime/pool.js";
import type { Completion, HostRequest } from "../../src/runtime/protocol.js";
import type { RunResult } from "../../src/runtime/result.js";

// Faults from outside the run, each with a typed outcome (a verdict or a typed error), within
// a time limit (a hang fails the row), after which the next run works.

/** Longest a fault may take to come out; beyond it the row failed by hanging. */
const HANG_MS = 30_000;

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${HANG_MS} ms (hung)`)), HANG_MS);
  });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

/** Settles to the result or the error, so a row can look at either. */
async function outcome(p: Promise<RunResult>): Promise<RunResult | Error> {
  try {
    return await p;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** A pool that lets a test reach into a lent worker just before its next turn request. */
class FaultPool extends WorkerPool {
  /** Runs once, with the handle, before the next turn request to a worker of this pool. */
  beforeTurn: ((h: WorkerHandle) => void) | null = null;

  override async acquire(count: number, sink: (c: Completion) => void): Promise<WorkerHandle[]> {
    const handles = await super.acquire(count, sink);
    for (const h of handles) {
      const request = h.request.bind(h);
      const intercepted = (req: HostRequest) => {
        const fault = req.cmd === "turn" ? this.beforeTurn : null;
        if (fault !== null) {
          this.beforeTurn = null;
          fault(h);
        }
        return request(req);
      };
      h.request = intercepted as WorkerHandle["request"];
    }
    return handles;
  }
}

/** The kit's child processes of this process (isolated runs), by pid. */
function isolatedChildren(): number[] {
  const out = execFileSync("ps", ["-A", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === process.pid && f.slice(2).some((a) => /runtime\/child\.(ts|js)$/.test(a)))
    .map((f) => Number(f[0]));
}

const PULL_PUSH = 'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | main/t0: recv s0 | main/t1: send s1 "x" | schedule';
const ACROSS = 'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push w1/t0 connect e0 | main/t0: recv s0 | w1/t0: send s1 "x" | schedule';

interface FaultRow {
  readonly fault: string;
  /** Brings the fault about in one run and checks its typed outcome. */
  readonly inject: () => Promise<void>;
  /** The run after it, which must work. */
  readonly next: () => Promise<void>;
}

const rows: FaultRow[] = [
  (() => {
    const x = parseInterleaving(PULL_PUSH);
    const isolated = { mode: "unguarded", isolate: "always", timeLimitMs: 20_000 } as const;
    return {
      fault: "an isolated run's child process killed from outside (SIGKILL) while the run is in flight",
      inject: async () => {
        const run = outcome(runInterleaving(x, isolated));
        // Kill it as soon as it exists.
        let killed = false;
        for (const end = Date.now() + HANG_MS; !killed && Date.now() < end; ) {
          for (const pid of isolatedChildren()) {
            process.kill(pid, "SIGKILL");
            killed = true;
          }
          if (!killed) await new Promise((r) => setTimeout(r, 5));
        }
        const r = await within(run, "SIGKILL");
        expect(r).not.toBeInstanceOf(Error);
        const result = r as RunResult;
        console.log(`SIGKILL: ${JSON.stringify(result.verdict)}`);
        expect(result.verdict).toMatchObject({ kind: "unknown", reason: "crashed" });
        expect(result.verdict.kind === "unknown" ? result.verdict.message : "").toContain("was killed (SIGKILL, from outside the kit) before the run finished");
        expect(result.process).toMatchObject({ ending: "crashed", signal: "SIGKILL" });
      },
      next: async () => {
        const r = await runInterleaving(x, isolated);
        expect(r.verdict.kind).toBe("ok");
        expect(r.process).toMatchObject({ ending: "exited", exitCode: 0 });
      },
    };
  })(),
  ...(["throws", "exits"] as const).map((how): FaultRow => {
    const pool = new FaultPool();
    const x = parseInterleaving(ACROSS);
    return {
      fault: `a worker thread that ${how} inside a run`,
      inject: async () => {
        // A message the worker cannot decode throws in it, uncaught; an exit it was not asked for ends it.
        pool.beforeTurn = (h) => h.worker.postMessage(how === "throws" ? { t: "not-a-message" } : { t: "exit", run: 0, code: 7 });
        const r = await within(outcome(runInterleaving(x, { pool })), `worker ${how}`);
        expect(r).not.toBeInstanceOf(Error);
        const verdict = (r as RunResult).verdict;
        console.log(`worker ${how}: ${JSON.stringify(verdict)}`);
        expect(verdict).toMatchObject({ kind: "unknown", reason: "crashed" });
        const message = verdict.kind === "unknown" ? verdict.message : "";
        expect(message).toContain("worker thread w1 ended during the run without being asked");
        expect(message).toContain(how === "throws" ? "exit code 1: " : "exit code 7");
        if (how === "throws") expect(message).toContain("unexpected message to a worker");
        expect(message).toContain("its pool has started a replacement");
        expect(pool.lost).toBe(1);
      },
      next: async () => {
        try {
          for (let k = 0; k < 3; k++) expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
          expect(pool.size).toBe(1);
        } finally {
          await pool.close();
        }
      },
    };
  }),
  (() => {
    const x = parseInterleaving(ACROSS);
    let pool = new FaultPool();
    return {
      fault: "pool.close() while runs are in flight",
      inject: async () => {
        let closing: Promise<void> | null = null;
        pool.beforeTurn = () => {
          closing = pool.close();
        };
        const runs = [outcome(runInterleaving(x, { pool })), outcome(runInterleaving(x, { pool }))];
        const settled = await within(Promise.all(runs), "pool.close()");
        await within(closing ?? Promise.resolve(), "pool.close() itself");
        for (const r of settled) {
          console.log(`pool.close(): ${r instanceof Error ? `${r.name}: ${r.message}` : JSON.stringify(r.verdict)}`);
          expect(r).toBeInstanceOf(PoolClosedError);
          expect(r).toMatchObject({ code: "POOL_CLOSED" });
        }
        expect(pool.size).toBe(0);
        // A closed pool says so to the next run that asks it.
        await expect(runInterleaving(x, { pool })).rejects.toMatchObject({ code: "POOL_CLOSED", message: expect.stringContaining("create a new WorkerPool") });
      },
      next: async () => {
        pool = new FaultPool();
        try {
          expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
        } finally {
          await pool.close();
        }
      },
    };
  })(),
  (() => {
    const x = parseInterleaving(ACROSS);
    const pool = new WorkerPool();
    // A model (the code a guarded run calls at every step) that throws at w1's send, while
    // main/t0's receive is pending on a real socket.
    const throwing: Model = {
      ...zeromqModel,
      stepInPlace: (state, actor, index, op, events, options) => {
        if (actor.thread === 1 && op.kind === "send") throw new TypeError("the model has a bug");
        return zeromqModel.stepInPlace(state, actor, index, op, events, options);
      },
    };
    return {
      fault: "an exception thrown by the code on a guarded run's op path (the model) in the middle of the run",
      inject: async () => {
        const r = await within(outcome(runInterleaving(x, { pool, model: throwing })), "model throws");
        console.log(`model throws: ${r instanceof Error ? `${r.name}: ${r.message}` : JSON.stringify(r.verdict)}`);
        expect(r).toBeInstanceOf(RunFailedError);
        expect(KitError.is(r)).toBe(true);
        expect(r).toMatchObject({ code: "RUN_FAILED", step: 1 });
        expect((r as Error).message).toContain("TypeError: the model has a bug");
        expect((r as Error).cause).toBeInstanceOf(TypeError);
      },
      next: async () => {
        try {
          expect((await runInterleaving(x, { pool })).verdict.kind).toBe("ok");
          expect(pool.lost).toBe(0);
        } finally {
          await pool.close();
        }
      },
    };
  })(),
  {
    fault: "an exception thrown by user code in the middle of a guarded run of its own code (runInterleaved), a receive pending",
    inject: async () => {
      const report = await within(
        runInterleaved(
          async ({ zmq: z }) => {
            const pull = new z.Pull({ linger: 0 });
            await pull.bind("inproc://zi-fault-user-code");
            void pull.receive().catch(() => undefined);
            throw new Error("the code under test failed");
          },
          { zmq },
        ),
        "user code throws",
      );
      console.log(`user code throws: ${report.label}: ${report.verdict.kind === "error" ? report.verdict.message : ""}`);
      expect(report.verdict.kind).toBe("error");
      expect(report.text).toContain("the code under test failed");
    },
    next: async () => {
      const report = await runInterleaved(
        async ({ zmq: z }) => {
          const pull = new z.Pull({ linger: 0 });
          const push = new z.Push({ linger: 0 });
          await pull.bind("inproc://zi-fault-user-code");
          push.connect("inproc://zi-fault-user-code");
          await push.send("x");
          expect(String(await pull.receive())).toBe("x");
          push.close();
          pull.close();
        },
        { zmq },
      );
      expect(report.label).toBe("ok");
    },
  },
];

describe("faults end in a typed outcome, never a hang or a crash, and the next run works", () => {
  it.each(rows)("$fault", async (row) => {
    const before = new Set(process.getActiveResourcesInfo());
    await row.inject();
    await within(row.next(), "the next run");
    // Nothing of the fault's stays behind (timers of this file's own `within` are cleared).
    await new Promise((r) => setTimeout(r, 50));
    const left = process.getActiveResourcesInfo().filter((k) => !before.has(k) && k !== "Timeout");
    expect(left).toEqual([]);
  }, 3 * HANG_MS);

  it("a child that ended before its run did is described with its signal and libzmq's own words", () => {
    const abort = { exitCode: null, signal: "SIGABRT", stderrTail: "Too many open files (/root/vcpkg/buildtrees/zeromq/src/v4.3.5-0744e81c3a.clean/src/ip_resolver.cpp:542)" };
    expect(crashMessage(abort)).toBe("the child process ended on SIGABRT (an abort) before the run finished: libzmq: Too many open files (src/ip_resolver.cpp:542)");
    expect(crashMessage({ exitCode: 1, signal: null, stderrTail: "Error: boom\n    at x (y.js:1:1)\n\nNode.js v20" })).toBe("the child process exited with code 1 before the run finished: Node.js v20");
    expect(crashMessage({ exitCode: null, signal: "SIGKILL", stderrTail: "" })).toBe("the child process was killed (SIGKILL, from outside the kit) before the run finished");
  });
});
