import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize } from "../../src/interleaving/canonical.js";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { STEP_RULES, type Violation } from "../../src/model/verdict.js";
import { timelinePrinter } from "../../src/report/printer.js";
import { replay } from "../../src/report/replay.js";
import { parseReplay } from "../../src/report/replayLine.js";
import { reportRun, timelineReporter } from "../../src/report/reporter.js";
import { squash } from "./fixtures.js";

/** A property that fails on every interleaving the model calls a violation. */
const noViolation = () =>
  fc.property(interleavings({ ownership: "violate", tasksPerThread: 2 }), (x) => checkInterleaving(x).verdict.kind !== "violation");

describe("the interleaving arbitrary's default printer", () => {
  it("prints a failing property's counterexample as its timeline, then the replay line", () => {
    const details = fc.check(noViolation(), { seed: 20240611 });
    expect(details.failed).toBe(true);
    const message = fc.defaultReportMessage(details) ?? "";
    // The printer shows the counterexample with tidied names (s0, e0...); it runs the same.
    const x = canonicalize((details.counterexample as [Interleaving])[0]);
    const v = checkInterleaving(x).verdict as Violation;
    expect(STEP_RULES).toContain(v.rule);
    // fast-check's report shows the timeline, not a JSON dump.
    expect(message).toContain("Counterexample: [\nscenario: ownership by ");
    expect(message).not.toContain('"scenario":');
    expect(message).toMatch(/\nstep {2}main\/t0/);
    expect(message).toMatch(/\n────  ─+/);
    expect(message).toContain(`✗ ${v.rule}: `);
    expect(message).toContain(`✗ ${v.rule} at step ${v.step} by `);
    expect(squash(message)).toContain(squash(v.message));
    // The replay line closes the printed value and reproduces the failure on its own.
    const replayLine = message.split("\n").find((l) => l.startsWith("replay: ")) ?? "";
    expect(message).toContain(`${replayLine}\n]`);
    expect(parseReplay(replayLine)).toEqual({ verdict: v.rule, interleaving: x });
  });

  it("replays the printed line to the same verdict", async () => {
    const details = fc.check(noViolation(), { seed: 7 });
    const line = (fc.defaultReportMessage(details) ?? "").split("\n").find((l) => l.startsWith("replay: ")) ?? "";
    const r = await replay(line);
    expect(r.kind).toBe("reproduced");
  });

  it("falls back to the text form when the value cannot be checked", () => {
    const x = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule");
    const broken = { ...x, programs: [{ actor: { thread: 0, task: 0 }, ops: [{ kind: "recv", socket: "s9", nowait: false }] }] } as Interleaving;
    const printed = timelinePrinter()(broken);
    expect(printed).toContain("zi1 thread inproc\ns0 pull main/t0 bind e0\nmain/t0: recv s9\nschedule");
    expect(printed).toContain("(no timeline: the interleaving does not validate");
    expect(printed).toContain('replay: interleaving="zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s9 | schedule"');
  });

  it("takes text options, such as ASCII", () => {
    const x = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | main/t1: recv s0 | schedule");
    const printed = timelinePrinter({ ascii: true })(x);
    expect(printed).toContain("X busy-recv: s0.receive()");
    expect(printed.startsWith("\nscenario: ")).toBe(true);
    expect(printed.endsWith('schedule"\n')).toBe(true);
  });
});

describe("reportRun and timelineReporter", () => {
  it("report the failing run with fast-check's seed and path in the replay line, which re-runs the property", () => {
    const details = fc.check(noViolation(), { seed: 42 });
    const report = reportRun(details) ?? "";
    expect(report).toMatch(/^Property failed after \d+ tests?, shrunk \d+ times?\.\nscenario: /);
    expect(report).toContain("Got error: Property failed by returning false");
    const last = report.split("\n").at(-1) ?? "";
    const parsed = parseReplay(last);
    expect(parsed.seed).toBe(42);
    expect(parsed.path).toBe(details.counterexamplePath);
    // fast-check's seed and path from the line give back the same counterexample.
    const again = fc.check(noViolation(), { seed: parsed.seed, path: parsed.path, endOnFailure: true });
    expect(again.counterexample).toEqual([parsed.interleaving]);
  });

  it("reportRun is null for a passing run", () => {
    const details = fc.check(fc.property(interleavings({ ownership: "respect" }), () => true), { seed: 1, numRuns: 5 });
    expect(reportRun(details)).toBeNull();
  });

  it("timelineReporter makes fc.assert throw the timeline report", () => {
    let caught: unknown = null;
    try {
      fc.assert(noViolation(), { seed: 42, reporter: timelineReporter({ ascii: true }) });
    } catch (err: unknown) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    const message = (caught as Error).message;
    expect(message).toContain("\nstep  main/t0");
    expect(message).toMatch(/\nX [a-z-]+ at step \d+ by /);
    expect(message.split("\n").at(-1)).toMatch(/^replay: seed=42 path="[0-9:]+" verdict=[a-z-]+ interleaving="zi1 /);
  });
});
