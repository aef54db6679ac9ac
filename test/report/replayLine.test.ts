import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { KitError, ParseError } from "../../src/errors.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { formatReplay, parseReplay, ReplayLineError, type ReplayLineProblem } from "../../src/report/replayLine.js";
import { EXAMPLES } from "./fixtures.js";

const lostWakeup = parseInterleaving(EXAMPLES["lost-wakeup"]);

describe("formatReplay", () => {
  it("writes seed, path, verdict and the interleaving as a JSON string, on one line", () => {
    expect(formatReplay({ seed: -1234, path: "0:1:2", verdict: "lost-wakeup", interleaving: lostWakeup })).toBe(
      `replay: seed=-1234 path="0:1:2" verdict=lost-wakeup interleaving=${JSON.stringify(EXAMPLES["lost-wakeup"])}`,
    );
    expect(formatReplay({ interleaving: lostWakeup })).toBe(`replay: interleaving=${JSON.stringify(EXAMPLES["lost-wakeup"])}`);
  });

  it("refuses values that would not read back", () => {
    expect(() => formatReplay({ seed: 1.5, interleaving: lostWakeup })).toThrow(ReplayLineError);
    expect(() => formatReplay({ path: "0:x", interleaving: lostWakeup })).toThrow(ReplayLineError);
    expect(() => formatReplay({ verdict: "Busy Recv", interleaving: lostWakeup })).toThrow(ReplayLineError);
  });
});

describe("parseReplay", () => {
  it("round-trips every field combination", () => {
    const all = { seed: -1234, path: "0:1:2", verdict: "lost-wakeup", interleaving: lostWakeup };
    for (const keep of [[], ["seed"], ["path"], ["verdict"], ["seed", "path"], ["seed", "path", "verdict"]]) {
      const r = { interleaving: lostWakeup, ...Object.fromEntries(keep.map((k) => [k, all[k as keyof typeof all]])) };
      expect(parseReplay(formatReplay(r))).toEqual(r);
    }
  });

  it("round-trips generated interleavings with any seed and path (property)", () => {
    fc.assert(
      fc.property(
        interleavings({ threads: 2, maxOps: 4 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 6 }),
        (x, seed, steps) => {
          const r = { seed, path: steps.join(":"), interleaving: x };
          const back = parseReplay(formatReplay(r));
          expect(back).toEqual(r);
          expect(formatInterleaving(back.interleaving)).toBe(formatInterleaving(x));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads lines with surrounding white space, an unquoted interleaving, or one whose escapes a template literal ate", () => {
    expect(parseReplay(`   replay: seed=5 interleaving=${JSON.stringify(EXAMPLES.stuck)}  \n`)).toEqual({ seed: 5, interleaving: parseInterleaving(EXAMPLES.stuck) });
    expect(parseReplay(`replay: verdict=lost-wakeup interleaving=${EXAMPLES["lost-wakeup"]}`)).toEqual({ verdict: "lost-wakeup", interleaving: lostWakeup });
    // `replay(\`replay: interleaving="... send s1 \"x\" ..."\`)` in a template literal turns \" into ".
    expect(parseReplay(`replay: interleaving="${EXAMPLES["lost-wakeup"]}"`)).toEqual({ interleaving: lostWakeup });
  });

  const malformed: Array<[string, ReplayLineProblem, number]> = [
    [`seed=1 interleaving="${EXAMPLES.stuck}"`, "missing-prefix", 0],
    [`  zi1 thread inproc | schedule`, "missing-prefix", 2],
    [`replay:`, "missing-interleaving", 7],
    [`replay: seed=1 path="0:1"`, "missing-interleaving", 25],
    [`replay: seed 1 interleaving="x"`, "bad-field", 8],
    [`replay: colour=red interleaving="x"`, "unknown-field", 8],
    [`replay: seed=1 seed=2 interleaving="x"`, "duplicate-field", 15],
    [`replay: seed=abc interleaving="x"`, "bad-seed", 13],
    [`replay: seed=99999999999999999999 interleaving="x"`, "bad-seed", 13],
    [`replay: path=0:1 interleaving="x"`, "bad-path", 13],
    [`replay: path="0:a" interleaving="x"`, "bad-path", 13],
    [`replay: verdict=Busy interleaving="x"`, "bad-verdict", 16],
    [`replay: interleaving="zi1 thread inproc | nonsense"`, "bad-interleaving", 21],
    [`replay: interleaving="zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s9 | schedule"`, "bad-interleaving", 21],
  ];

  it.each(malformed)("refuses %j as %s at offset %d", (line, problem, offset) => {
    let caught: unknown = null;
    try {
      parseReplay(line);
    } catch (err: unknown) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReplayLineError);
    expect(KitError.is(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "PARSE_ERROR", problem, offset, name: "ReplayLineError" });
  });

  it("keeps the interleaving's own error as the cause", () => {
    try {
      parseReplay(`replay: interleaving="zi1 thread inproc | bogus"`);
      expect.unreachable();
    } catch (err: unknown) {
      expect((err as Error).cause).toBeInstanceOf(ParseError);
      expect((err as Error).message).toContain("the interleaving does not read");
    }
  });
});
