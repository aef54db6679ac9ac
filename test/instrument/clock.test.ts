import { setInterval as beats, setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/instrument/clock.js";
import { instrument } from "../../src/instrument/instrument.js";
import { TaskTracker } from "../../src/instrument/tasks/tracker.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { endpoint } from "../guard/helpers.js";
import { livenessPerBeat, timeoutInBeat } from "../binding/timer-shapes.js";

const z = instrument(zmq);

describe("virtual time in instrumented runs", () => {
  it("sleeps of a minute take no real time; Date.now and performance.now follow the virtual clock", async () => {
    const seen: number[] = [];
    const started = performance.now();
    const report = await runInterleaved(
      async () => {
        const t0 = Date.now();
        const p0 = performance.now();
        await sleep(60_000);
        await new Promise((r) => setTimeout(r, 30_000));
        seen.push(Date.now() - t0, Math.round(performance.now() - p0));
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(seen).toEqual([90_000, 90_000]);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Real timers are back after the run.
    expect((globalThis.setTimeout as { clock?: unknown }).clock).toBeUndefined();
  });

  it("a heartbeat interval is a task of its own, its sends interleave with the main task's, and clearing it ends the run cleanly", async () => {
    const report = await runInterleaved(
      async ({ zmq: m }) => {
        const ep = endpoint();
        const pull = new m.Pull({ linger: 0 });
        await pull.bind(ep);
        const push = new m.Push({ linger: 0 });
        push.connect(ep);
        const beat = setInterval(() => void push.send("beat"), 1_000);
        const got: string[] = [];
        for (let i = 0; i < 3; i++) got.push(String(await pull.receive()));
        clearInterval(beat);
        expect(got).toEqual(["beat", "beat", "beat"]);
        push.close();
        pull.close();
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(report.text).toMatch(/main\/t1 = setInterval\(anonymous\)/);
  });

  it("an interval left running after the code returns is reported: the process would not exit", async () => {
    const report = await runInterleaved(
      async () => {
        setInterval(function beat() {}, 1_000);
      },
      { zmq: z },
    );
    expect(report.label).toBe("stuck");
    expect(report.text.replace(/\s+/g, " ")).toContain("setInterval(beat) at test/instrument/clock.test.ts");
    expect(report.text.replace(/\s+/g, " ")).toContain("is still active: the process would not exit");
  });

  it("fake timers of the test itself are refused with a clear error", async () => {
    const { vi } = await import("vitest");
    vi.useFakeTimers();
    try {
      await expect(runInterleaved(async () => {}, { zmq: z })).rejects.toThrow(/vi.useRealTimers/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("virtual time: every clock the program reads agrees with its timers", () => {
  it("process.hrtime and process.hrtime.bigint move with the virtual clock, and are real again after the run", async () => {
    const seen: number[] = [];
    const realHrtime = process.hrtime;
    const report = await runInterleaved(
      async () => {
        const big = process.hrtime.bigint();
        const pair = process.hrtime();
        await sleep(1_500);
        seen.push(Number((process.hrtime.bigint() - big) / 1_000_000n));
        const [s, ns] = process.hrtime(pair);
        seen.push(s * 1_000 + Math.round(ns / 1e6));
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(seen).toEqual([1_500, 1_500]);
    expect(process.hrtime).toBe(realHrtime);
  });
});

describe("virtual time: AbortSignal.timeout", () => {
  it("is a virtual timer in its delay's list, as on the real loop (test/binding/abort-timeout.test.ts), and real again after the run", async () => {
    const seen: string[] = [];
    const realTimeout = AbortSignal.timeout;
    const report = await runInterleaved(
      async () => {
        const t0 = Date.now();
        await new Promise<void>((resolve) => {
          setTimeout(() => seen.push("before"), 5);
          const signal = AbortSignal.timeout(5);
          signal.addEventListener("abort", () => seen.push(`abort ${(signal.reason as Error).name} at ${Date.now() - t0}`));
          setTimeout(() => seen.push("after"), 5);
          setTimeout(resolve, 12);
        });
        // A sleep longer than the signal's timeout ends on it.
        await sleep(60_000, undefined, { signal: AbortSignal.timeout(30_000) }).catch((err: Error) => seen.push(`sleep ${err.name} at ${Date.now() - t0}`));
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(seen).toEqual(["before", "abort TimeoutError at 5", "after", "sleep AbortError at 30012"]);
    expect(AbortSignal.timeout).toBe(realTimeout);
    expect(() => AbortSignal.timeout(-1)).toThrow(RangeError);
  });
});

describe("virtual time: waits of node:timers/promises end as on the real loop when their signal aborts", () => {
  it("a sleep or an interval rejects with an AbortError (ABORT_ERR) whose cause is the reason (test/binding/abort-timeout.test.ts)", async () => {
    const outcomes: unknown[] = [];
    const report = await runInterleaved(
      async () => {
        const shutdown = new Error("shutdown");
        outcomes.push(await sleep(1_000, undefined, { signal: AbortSignal.timeout(5) }).catch((e: unknown) => e));
        const controller = new AbortController();
        const slept = sleep(1_000, undefined, { signal: controller.signal }).catch((e: unknown) => e);
        controller.abort(shutdown);
        outcomes.push(await slept);
        const ticking = new AbortController();
        let seen = 0;
        outcomes.push(
          await (async () => {
            for await (const _ of beats(2, undefined, { signal: ticking.signal })) if (++seen === 2) ticking.abort(shutdown);
          })().catch((e: unknown) => e),
        );
        outcomes.push(seen, shutdown);
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    const [timedOut, aborted, interval, seen, shutdown] = outcomes;
    expect(timedOut).toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: { name: "TimeoutError" } });
    expect(aborted).toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: shutdown });
    expect(interval).toMatchObject({ name: "AbortError", code: "ABORT_ERR", cause: shutdown });
    expect(seen).toBe(2);
  });
});

describe("virtual clock: timers started late (R17)", () => {
  /** Fires a 5 ms timeout and a 4 ms interval on a fresh clock whose lateness is `late` ms. */
  function firings(late: number): string[] {
    const clock = new VirtualClock(new TaskTracker());
    clock.install();
    const fired: string[] = [];
    try {
      const t0 = clock.now;
      clock.lateBy = () => late;
      setTimeout(() => fired.push(`timeout at ${clock.now - t0}`), 5);
      const id = setInterval(() => fired.push(`interval at ${clock.now - t0}`), 4);
      for (let i = 0; i < 3; i++) clock.fireNext();
      clearInterval(id);
    } finally {
      clock.uninstall();
    }
    return fired;
  }

  it("a timer and an interval (its first start and each restart) start the lateness asked later", () => {
    expect(firings(0)).toEqual(["interval at 4", "timeout at 5", "interval at 8"]);
    // The interval is moved through fake-timers' own timer map and heap: if those went away, it would fire at 4.
    expect(firings(1)).toEqual(["interval at 5", "timeout at 6", "interval at 10"]);
  });
});

describe("virtual clock: a 0 ms timer is a 1 ms timer (R20)", () => {
  it("setTimeout(a, 1) then setTimeout(b, 0): a fires first, and the 0 ms timer takes 1 virtual ms, as on the real loop", async () => {
    const seen: string[] = [];
    const report = await runInterleaved(
      async () => {
        const t0 = Date.now();
        await new Promise<void>((resolve) => {
          setTimeout(() => seen.push(`a at ${Date.now() - t0}`), 1);
          setTimeout(() => {
            seen.push(`b at ${Date.now() - t0}`);
            resolve();
          }, 0);
        });
        await sleep(0);
        await new Promise((r) => setTimeout(r));
        await new Promise((r) => setTimeout(r, -5));
        seen.push(`three more 0 ms sleeps end at ${Date.now() - t0}`);
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(seen).toEqual(["a at 1", "b at 1", "three more 0 ms sleeps end at 4"]);
  });

  it("an interval of 0 ms (or none) beats every virtual ms", async () => {
    const beats: number[] = [];
    const report = await runInterleaved(
      async () => {
        const t0 = Date.now();
        await new Promise<void>((resolve) => {
          const id = setInterval(() => {
            beats.push(Date.now() - t0);
            if (beats.length === 3) {
              clearInterval(id);
              resolve();
            }
          }, 0);
        });
      },
      { zmq: z },
    );
    expect(report.label).toBe("ok");
    expect(beats).toEqual([1, 2, 3]);
  });
});

describe("virtual clock: an interval starts again when its callback has returned (R22)", () => {
  const shapes = { "timeout started in a beat": timeoutInBeat, "liveness check per beat": livenessPerBeat };
  const expected = {
    "timeout started in a beat": "timeout, third beat",
    "liveness check per beat": "beat 1, check 1, beat 2, check 2, beat 3, check 3, beat 4",
  };

  for (const [name, shape] of Object.entries(shapes)) {
    it(`${name}: the order the real loop gives (test/binding/interval-rearm.test.ts), in every run of a search`, async () => {
      const orders = new Set<string>();
      for (let seed = 0; seed < 20; seed++) {
        const seen: string[] = [];
        const report = await runInterleaved(() => shape(seen), { zmq: z, seed });
        expect(report.label).toBe("ok");
        orders.add(seen.join(", "));
      }
      expect([...orders]).toEqual([expected[name as keyof typeof expected]]);
    });
  }
});

describe("virtual clock: timers due at one time fire by Node's timer lists (R23)", () => {
  /** The binding test's shape (test/binding/timer-lists.test.ts), every timer on time, fired to the end. */
  function firings(): string[] {
    const clock = new VirtualClock(new TaskTracker());
    clock.install();
    const seen: string[] = [];
    try {
      let beats = 0;
      setTimeout(() => {
        seen.push("A");
        setTimeout(() => seen.push("X"), 1);
      }, 3);
      const k = setInterval(() => {
        beats++;
        seen.push(`K${beats}`);
        if (beats === 2) clearInterval(k);
      }, 2);
      setTimeout(() => {
        seen.push("q");
        setTimeout(() => seen.push("Z"), 2);
      }, 1);
      while (clock.pending > 0) clock.fireNext();
    } finally {
      clock.uninstall();
    }
    return seen;
  }

  it("a timeout started at 3 fires before an interval's beat that started again at 2, both due at 4, as on the real loop", () => {
    // In the order the timers were started, K2 (started again at 2) would go before X (started at 3).
    expect(firings()).toEqual(["q", "K1", "A", "Z", "X", "K2"]);
  });
});
