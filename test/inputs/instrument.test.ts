import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { KitError } from "../../src/errors.js";
import { createGuardContext } from "../../src/guard/context.js";
import { guard } from "../../src/guard/guard.js";
import { checkInterleaves } from "../../src/instrument/check.js";
import { createInstrumentedZmq, instrument } from "../../src/instrument/instrument.js";
import { runInterleaved } from "../../src/instrument/run.js";

const ok = async (): Promise<void> => {};

/** Calls `f` with a fresh socket that is closed afterwards, whatever `f` does. */
function withSocket(f: (s: zmq.Pull) => unknown): unknown {
  const s = new zmq.Pull();
  try {
    return f(s);
  } finally {
    s.close();
  }
}
const z = instrument(zmq);

/** Bad inputs to the user-code API: each must fail with the kit's typed error, quickly, naming what was wrong. */
const cases: readonly { readonly name: string; readonly call: () => unknown; readonly says: RegExp }[] = [
  { name: "checkInterleaves without options", call: () => checkInterleaves(ok, undefined as never), says: /options are required: pass at least \{ zmq \}/ },
  { name: "checkInterleaves without zmq", call: () => checkInterleaves(ok, {} as never), says: /options\.zmq must be the zeromq module/ },
  { name: "checkInterleaves with runs: 0", call: () => checkInterleaves(ok, { zmq, runs: 0 }), says: /options\.runs must be a whole number from 1/ },
  { name: "checkInterleaves with runs: NaN", call: () => checkInterleaves(ok, { zmq, runs: Number.NaN }), says: /got NaN/ },
  { name: "checkInterleaves with runs: 1.5", call: () => checkInterleaves(ok, { zmq, runs: 1.5 }), says: /options\.runs must be a whole number/ },
  { name: "checkInterleaves with runs: -1", call: () => checkInterleaves(ok, { zmq, runs: -1 }), says: /options\.runs/ },
  { name: "checkInterleaves with timeLimitMs: 0", call: () => checkInterleaves(ok, { zmq, timeLimitMs: 0 }), says: /options\.timeLimitMs must be a whole number of milliseconds/ },
  { name: "checkInterleaves with timeLimitMs: 2**31", call: () => checkInterleaves(ok, { zmq, timeLimitMs: 2 ** 31 }), says: /from 1 to 2147483647/ },
  { name: "checkInterleaves with runTimeLimitMs: 2**31", call: () => checkInterleaves(ok, { zmq, runTimeLimitMs: 2 ** 31 }), says: /options\.runTimeLimitMs/ },
  { name: "checkInterleaves with a typo", call: () => checkInterleaves(ok, { zmq, runz: 3 } as never), says: /unknown option "runz" \(did you mean "runs"\?\)/ },
  { name: "checkInterleaves with ownership: nope", call: () => checkInterleaves(ok, { zmq, ownership: "nope" as never }), says: /options\.ownership must be one of "thread", "task"/ },
  { name: "checkInterleaves with seed: NaN", call: () => checkInterleaves(ok, { zmq, seed: Number.NaN }), says: /options\.seed must be a whole number, got NaN/ },
  { name: "checkInterleaves with a bad replay", call: () => checkInterleaves(ok, { zmq, replay: [1, -2] }), says: /options\.replay must be a schedule/ },
  { name: "checkInterleaves with a function that is not one", call: () => checkInterleaves(42 as never, { zmq }), says: /first argument must be the function to run/ },
  { name: "checkInterleaves with preemptionRate: 2", call: () => checkInterleaves(ok, { zmq, preemptionRate: 2 }), says: /preemptionRate is a probability/ },
  { name: "runInterleaved with timeLimitMs: 2**31", call: () => runInterleaved(ok, { zmq: z, timeLimitMs: 2 ** 31 }), says: /options\.timeLimitMs must be a whole number of milliseconds/ },
  { name: "runInterleaved with a bad schedule", call: () => runInterleaved(ok, { zmq: z, schedule: ["x"] as never }), says: /options\.schedule must be a list of whole numbers/ },
  { name: "runInterleaved with an unknown key", call: () => runInterleaved(ok, { zmq: z, transport: "ipc" } as never), says: /unknown option "transport"/ },
  { name: "runInterleaved without zmq", call: () => runInterleaved(ok, {} as never), says: /options\.zmq must be the zeromq module/ },
  { name: "guard(null)", call: () => guard(null as never), says: /first argument must be a zeromq socket/ },
  { name: "guard({})", call: () => guard({}), says: /first argument must be a zeromq socket/ },
  { name: "guard with an unknown option", call: () => withSocket((s) => guard(s, { nmae: "x" } as never)), says: /unknown option "nmae" \(did you mean "name"\?\)/ },
  { name: "createGuardContext with an unknown rule", call: () => createGuardContext({ disabled: ["busy"] as never }), says: /unknown rule "busy"/ },
  { name: "createGuardContext with ownership: nope", call: () => createGuardContext({ ownership: "nope" as never }), says: /must be one of "thread", "task"/ },
  { name: "createInstrumentedZmq with patience: -1", call: () => createInstrumentedZmq({ zmq, patience: -1 }), says: /patience must be an integer >= 0/ },
];

describe("bad inputs to the user-code API", () => {
  for (const c of cases) {
    it(`${c.name}: a typed error that says what was wrong`, async () => {
      const started = performance.now();
      let caught: unknown = null;
      try {
        await c.call();
      } catch (err) {
        caught = err;
      }
      expect(KitError.is(caught)).toBe(true);
      expect((caught as KitError).code).toBe("INVALID_OPTIONS");
      expect((caught as Error).message).toMatch(c.says);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  }
});
