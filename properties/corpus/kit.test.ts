import * as zmq from "zeromq";
import { describe, expect, it, vi } from "vitest";
import { checkInterleaves, type InterleavesOptions } from "../../src/instrument/check.js";
import { runInterleaved } from "../../src/instrument/run.js";
import { corpus, type CorpusProgram } from "./index.js";

// The corpus programs import "zeromq" themselves: this is how a user's suite checks its own code.
vi.mock("zeromq", async (orig) => (await import("../../src/instrument/instrument.js")).instrument(await orig()));

/**
 * Schedules per correct program and setting. `npm test` tries a few; the campaign that backs
 * the "no false alarm" claim sets ZI_CORPUS_RUNS=500 (see properties/corpus/README.md).
 */
const RUNS = Number(process.env["ZI_CORPUS_RUNS"] ?? 8);
/** A program that starts worker threads costs about a second a run: fewer of those. */
const runsOf = (p: CorpusProgram): number => (p.uses.includes("workers") ? Math.max(1, Math.ceil(RUNS / 4)) : RUNS);

/** Every choice a preemption, choices up to 10: the most reordering the schedules can ask for. */
const AGGRESSIVE: Partial<InterleavesOptions> = { preemptionRate: 1, maxChoice: 10, maxLength: 60 };
/** PCT at depth 3: one task held back for long, up to two priority changes. */
const PCT: Partial<InterleavesOptions> = { strategy: "pct", depth: 3 };

const program = (p: CorpusProgram) => async (): Promise<void> => {
  const result = await p.run();
  p.check?.(result);
};

describe("corpus: correct programs raise no alarm", () => {
  for (const p of corpus.filter((x) => x.kind === "correct")) {
    for (const [setting, extra] of [["default", {}], ["aggressive", AGGRESSIVE], ["pct", PCT]] as const) {
      it(`${p.name} (${setting} schedules)`, async () => {
        const r = await checkInterleaves(program(p), { zmq, runs: runsOf(p), runTimeLimitMs: 30_000, timeLimitMs: 600_000, ...extra });
        if (r.kind === "failed") console.log(`${p.name}: ${r.label}\n${r.text}`);
        expect(r.kind).toBe("passed");
      }, 900_000);
    }
  }
});

describe("corpus: every seeded bug is found, as the rule its story names", () => {
  for (const p of corpus.filter((x) => x.kind === "buggy" && x.name !== "terminate-pending-receive")) {
    // The order bugs of depth 2 and 3 need several overtakings: random search finds depth 3 in
    // a median of 179 runs and misses it within 1,000 in 1 seed of 20 (bench/README.md, "User
    // code"), PCT in 7; they are searched with PCT, as the README advises for such bugs.
    const search = p.name.startsWith("config-overtaken") ? ({ strategy: "pct", depth: 3 } as const) : {};
    it(`${p.name} is found as ${p.expected}${"strategy" in search ? " (pct, depth 3)" : ""}`, async () => {
      const r = await checkInterleaves(program(p), { zmq, runs: 300, seed: 20261207, runTimeLimitMs: 30_000, timeLimitMs: 300_000, ...search });
      expect(r.kind).toBe("failed");
      if (r.kind !== "failed") return;
      expect(r.label).toBe(p.expected);
      expect(r.text).toMatch(/^replay: .*verdict=/m);
    }, 400_000);
  }
});

describe("corpus: a worker terminated with a receive pending", () => {
  it("is reported as teardown-while-pending in every run, and this test process lives on", async () => {
    const p = corpus.find((x) => x.name === "terminate-pending-receive");
    if (p === undefined) throw new Error("no terminate-pending-receive program");
    const runs = Number(process.env["ZI_TERMINATE_RUNS"] ?? 20);
    const labels = new Map<string, number>();
    for (let i = 0; i < runs; i++) {
      const report = await runInterleaved(program(p), { zmq, timeLimitMs: 20_000 });
      labels.set(report.label, (labels.get(report.label) ?? 0) + 1);
      if (report.label !== "teardown-while-pending") console.log(report.text);
    }
    expect(Object.fromEntries(labels)).toEqual({ "teardown-while-pending": runs });
  }, 600_000);
});
