import { describe, expect, it } from "vitest";
import { targetVerdict } from "../../bench/kit/targets.js";
import { addCounts, formatCounts, runOutcome, unexpected, verdictCounts } from "../../bench/kit/verdicts.js";

describe("kit-runtime verdict counts", () => {
  it("reads verdict:* metrics, sums runs, and names what is not one of the model's end verdicts", () => {
    const a = verdictCounts({ real: 900, "verdict:ok": 3, "verdict:stuck": 97, "verdict:unknown": 0 });
    const b = verdictCounts({ "verdict:stuck": 10, "verdict:diverged": 2 });
    expect(a).toEqual({ ok: 3, stuck: 97 });
    const sum = addCounts([a, b]);
    expect(sum).toEqual({ ok: 3, stuck: 107, diverged: 2 });
    expect(unexpected(sum)).toEqual(["diverged"]);
    expect(formatCounts(sum)).toBe("ok 3 · stuck 107 · diverged 2");
    expect(formatCounts({})).toBe("–");
  });

  it("gives a run the outcome ok only when every verdict was expected", () => {
    expect(runOutcome({ "verdict:ok": 1, "verdict:stuck": 5, "verdict:exit-hang": 1 })).toBe("ok");
    expect(runOutcome({ "verdict:ok": 1, "verdict:unknown": 1, "verdict:diverged": 1 })).toBe("diverged+unknown");
    expect(runOutcome({ "verdict:error": 1 })).toBe("error");
  });

  it("reads a median against a target", () => {
    const s = (median: number) => ({ n: 5, median, q1: median, q3: median, min: median, max: median });
    expect(targetVerdict(s(1200), { atLeast: 1000 })).toBe("met");
    expect(targetVerdict(s(840), { atLeast: 1000 })).toBe("missed (0.84 of it)");
    expect(targetVerdict(undefined, { atLeast: 1000 })).toBe("–");
  });
});
