import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { checkThenTake } from "../../src/zoo/entries/poll-then-receive.js";
import { xpubReaderTask } from "../../src/zoo/entries/xpub-reader-task.js";
import type { Finding } from "../../src/zoo/entry.js";
import { zoo } from "../../src/zoo/zoo.js";

// Every zoo entry, once (seed 1): the kit finds the bug with an expected label, shrinks it to
// the known minimum, and prints the timeline with its replay line; the fixed program passes.
// The shrink quality over 100 seeds is in shrinking.test.ts.

function found(f: Finding): Extract<Finding, { kind: "found" }> {
  if (f.kind !== "found") throw new Error(`not found in ${f.runs} runs (${f.reason})`);
  return f;
}

describe("the bug zoo", () => {
  it("has unique names a command line can take", () => {
    const names = zoo.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  for (const e of zoo) {
    describe(e.name, () => {
      it(`is found as ${e.expected.join(" or ")} and shrunk to its minimum, with timeline and replay line`, async () => {
        const f = found(await e.explore({ seed: 1 }));
        expect(e.expected).toContain(f.label);
        expect(f.minimal).toBe(true);
        expect(f.text).toContain(f.label);
        expect(f.text).toMatch(/^replay: .*verdict=/m);
        expect(f.text).toContain(`fast-check: seed=1 path=${JSON.stringify(f.path)}`);
        expect(f.timeline.verdict.kind).not.toBe("ok");
      });

      if (e.kind === "code") {
        it("its fixed program passes every schedule tried", async () => {
          const f = await e.exploreFixed({ seed: 1, runs: 30 });
          expect(f).toMatchObject({ kind: "not-found", reason: "passed" });
        });
      }
    });
  }

  it("xpub-reader-task: the same code is legal in one thread under thread ownership (one send and one receive in flight)", async () => {
    const f = await xpubReaderTask.exploreWith({ seed: 1, runs: 30, ownership: "thread" });
    expect(f).toMatchObject({ kind: "not-found", reason: "passed" });
  });

  it("poll-then-receive: with one job the late receive waits forever for a job that is gone (stuck); with two each worker takes one", async () => {
    for (const schedule of [[], [0, 1], [1, 1, 1]]) {
      const report = await runInterleaved((c) => checkThenTake(c, 1), { zmq: instrument(zmq), schedule });
      expect(report.label).toBe("stuck");
      expect(report.text.replace(/\s+/g, " ")).toContain("is still pending after every program ended");
      const twoJobs = await runInterleaved((c) => checkThenTake(c, 2), { zmq: instrument(zmq), schedule });
      expect(twoJobs.label).toBe("ok");
    }
  });

  it("stop-under-serve: the escaped rejection is named with the close that caused it", async () => {
    const e = zoo.find((x) => x.name === "stop-under-serve");
    const f = found(await (e?.explore({ seed: 1 }) ?? Promise.reject(new Error("no entry"))));
    expect(f.text.replace(/\s+/g, " ")).toMatch(/main\/t1 \(server\)'s receive\(\) on rep1 \(step 0\) rejected \(closed by main\/t0 at step \d+\)/);
  });
});

describe("the process-level entries' real consequences (unguarded, in a child process)", () => {
  it("terminate-pending-receive: the whole process aborts (SIGABRT, exit status 134)", async () => {
    const e = zoo.find((x) => x.name === "terminate-pending-receive");
    const f = found(await (e?.explore({ seed: 1, consequence: true }) ?? Promise.reject(new Error("no entry"))));
    expect(f.consequence?.outcome).toMatchObject({ ending: "crashed", signal: "SIGABRT", reachedExit: false });
    expect(f.text).toContain("real run (unguarded, child process): the process crashed (SIGABRT, exit status 134)");
  }, 40_000);

  it("exit-with-queued: the process hangs at exit with the linger warning until it is killed", async () => {
    const e = zoo.find((x) => x.name === "exit-with-queued");
    const f = found(await (e?.explore({ seed: 1, consequence: true }) ?? Promise.reject(new Error("no entry"))));
    expect(f.consequence?.outcome).toMatchObject({ ending: "hung", reachedExit: true });
    expect(f.consequence?.summary).toContain("Waiting for queued ZeroMQ messages to be delivered");
  }, 40_000);
});
