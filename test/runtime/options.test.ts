import { describe, expect, it } from "vitest";
import { InvalidInterleavingError, InvalidOptionsError, KitError, UnsupportedError } from "../../src/errors.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { runInterleaving } from "../../src/runtime/executor.js";
import { WorkerPool } from "../../src/runtime/pool.js";

const good = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push w1/t0 connect e0 | main/t0: recv s0 | w1/t0: send s1 "x" | schedule');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("bad input to runInterleaving is a typed error, raised before any socket or thread exists", () => {
  const before = () => process.getActiveResourcesInfo().length;
  const cases: Array<[string, () => Promise<unknown>, new (...a: never[]) => Error, RegExp]> = [
    ["an unknown transport", () => runInterleaving({ ...good, scenario: { ...good.scenario, transport: "ipc" as never } }), InvalidInterleavingError, /unknown transport "ipc"; use "inproc" or "tcp"/],
    ["an interleaving that does not validate", () => runInterleaving({ ...good, schedule: [-1] }), InvalidInterleavingError, /schedule\[0\]: must be a non-negative integer/],
    ["not an interleaving at all", () => runInterleaving(42 as unknown as Interleaving), InvalidInterleavingError, /must be an object/],
    ["a zero step time limit", () => runInterleaving(good, { stepTimeoutMs: 0 }), InvalidOptionsError, /stepTimeoutMs must be a whole number of milliseconds from 1 to 2147483647 \(the longest timer Node keeps\), got 0/],
    ["a negative run time limit", () => runInterleaving(good, { timeLimitMs: -5 }), InvalidOptionsError, /timeLimitMs must be a whole number of milliseconds from 1 to 2147483647.*, got -5/],
    ["a non-numeric time limit", () => runInterleaving(good, { timeLimitMs: "fast" as never }), InvalidOptionsError, /timeLimitMs must be a whole number of milliseconds.*, got "fast"/],
    ["an unknown mode", () => runInterleaving(good, { mode: "careful" as never }), InvalidOptionsError, /mode must be one of "guarded", "unguarded", got "careful"/],
    ["isolation in guarded mode", () => runInterleaving(good, { isolate: "always" }), InvalidOptionsError, /isolate applies to unguarded runs/],
    [
      "a run-time subscription over tcp",
      () => runInterleaving(parseInterleaving('zi1 thread tcp | s0 pub main/t0 bind e0 | s1 sub main/t0 connect e0 | main/t0: subscribe s1 "a" | schedule')),
      UnsupportedError,
      /subscribe on s1 at run time cannot be timed over tcp/,
    ],
    [
      "a SUB's run-time unsubscription",
      () => runInterleaving(parseInterleaving('zi1 thread inproc | s0 pub main/t0 bind e0 | s1 sub main/t0 connect e0 topic="a" | main/t0: unsubscribe s1 "a" | schedule')),
      UnsupportedError,
      /unsubscribe on the SUB s1 at run time/,
    ],
  ];
  for (const [what, run, type, message] of cases) {
    it(`rejects ${what}`, async () => {
      const open = before();
      const err = await rejection(run());
      expect(err).toBeInstanceOf(type);
      expect(KitError.is(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect(before()).toBe(open);
    });
  }
  it("a bad pool option too", () => {
    expect(() => new WorkerPool({ maxWorkers: 0 })).toThrow(InvalidOptionsError);
    expect(() => new WorkerPool({ startTimeoutMs: -1 })).toThrow(/startTimeoutMs must be a whole number of milliseconds/);
  });
  it("a pool too small for the run is a typed error, and starts no thread", async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    const two = parseInterleaving("zi1 thread inproc | s0 pull w1/t0 bind e0 | w1/t0: | w2/t0: | schedule");
    const err = await rejection(runInterleaving(two, { pool }));
    expect(err).toBeInstanceOf(InvalidOptionsError);
    expect((err as Error).message).toMatch(/needs 2 worker threads but the pool allows 1/);
    expect(pool.size).toBe(0);
    await pool.close();
  });
});
