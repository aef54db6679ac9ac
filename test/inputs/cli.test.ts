import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { UnknownScenarioError, UsageError } from "../../src/cli/usage-error.js";
import { InvalidOptionsError } from "../../src/errors.js";
import { prepareDirectory } from "../../src/report/directory.js";
import type { ExploreOptions, Finding, ZooEntry } from "../../src/zoo/entry.js";
import { size } from "../../src/zoo/size.js";
import { expectRefusal, refusal, REFUSED_WITHIN_MS, type BadInput } from "./table.js";

// Bad command lines: each is refused with a typed error (parsing, and the timeline directory
// checked before anything is explored), and `main` exits 2 at once without exploring.

const NAMES = ["alpha", "beta"];

const rows: BadInput[] = [
  { name: "--runs NaN", call: () => parseArgs(["--runs", "NaN"], NAMES), error: UsageError, code: "INVALID_OPTIONS", message: /got "NaN"/ },
  { name: "--runs 0", call: () => parseArgs(["--runs", "0"], NAMES), error: UsageError, code: "INVALID_OPTIONS" },
  { name: "--seed 2^31", call: () => parseArgs(["--seed", String(2 ** 31)], NAMES), error: UsageError, code: "INVALID_OPTIONS" },
  { name: "--scenario that the zoo lacks", call: () => parseArgs(["--scenario", "gamma"], NAMES), error: UnknownScenarioError, code: "INVALID_OPTIONS" },
  { name: "a 10 MB unknown flag is cut in the message", call: () => parseArgs([`--${"x".repeat(10_000_000)}`], NAMES), error: UsageError, code: "INVALID_OPTIONS", message: /characters\)/ },
  { name: "--replay with nothing to replay", call: () => parseArgs(["--replay", "  "], NAMES), error: UsageError, code: "INVALID_OPTIONS" },
  { name: "--replay with --seed", call: () => parseArgs(["--replay", "zi1 thread inproc | schedule", "--seed", "1"], NAMES), error: UsageError, code: "INVALID_OPTIONS" },
  { name: "--timeline-out /proc/x (Node 20's recursive mkdir spins there)", call: () => prepareDirectory("--timeline-out", "/proc/x"), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /cannot create the directory "\/proc\/x"/ },
  { name: "--timeline-out /dev/null", call: () => prepareDirectory("--timeline-out", "/dev/null"), error: InvalidOptionsError, code: "INVALID_OPTIONS", message: /"\/dev\/null" is not a directory/ },
  { name: "--timeline-out under a file", call: () => prepareDirectory("--timeline-out", "/dev/null/x"), error: InvalidOptionsError, code: "INVALID_OPTIONS" },
];

/** A zoo entry that records being explored. */
function recorder(calls: ExploreOptions[]): ZooEntry {
  return {
    kind: "scenario",
    name: "alpha",
    story: "",
    link: "",
    finds: "",
    expected: ["stuck"],
    minimum: [size(1, 1, 1, 1)],
    shape: "",
    defaultRuns: 1,
    explore(o: ExploreOptions): Promise<Finding> {
      calls.push(o);
      return Promise.resolve({ kind: "not-found", name: "alpha", seed: o.seed, runs: 1, reason: "passed" });
    },
  };
}

describe(`bad command lines (${rows.length} rows): a typed error within a second`, () => {
  for (const row of rows) {
    it(row.name, async () => {
      expectRefusal(row, await refusal(row));
    });
  }

  for (const argv of [["--timeline-out", "/proc/x"], ["--timeline-out", "/dev/null"], ["--replay", "replay: nothing here"], ["--runs", "NaN"]]) {
    it(`main ${argv.join(" ")}: exit 2 at once, a message, nothing explored`, async () => {
      const out: string[] = [];
      const err: string[] = [];
      const calls: ExploreOptions[] = [];
      const started = performance.now();
      const status = await main(argv, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } }, { zoo: [recorder(calls)] });
      expect(performance.now() - started).toBeLessThan(REFUSED_WITHIN_MS);
      expect(status).toBe(2);
      expect(err.join("")).toMatch(/^zmq-interleave: .+\n\(see zmq-interleave --help\)\n$/);
      expect(calls).toEqual([]);
    });
  }
});
