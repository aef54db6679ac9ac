import { describe, expect, it } from "vitest";
import { iqr, pairedRatios, quantile, summarize } from "../../bench/rig/stats.js";

describe("quantile", () => {
  it("interpolates linearly between order statistics", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([0, 10], 0)).toBe(0);
    expect(quantile([0, 10], 1)).toBe(10);
  });

  it("refuses an empty sample and p outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("gives median, quartiles and range of unsorted values", () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toEqual({ n: 5, median: 3, q1: 2, q3: 4, min: 1, max: 5 });
    expect(s === undefined ? NaN : iqr(s)).toBe(2);
  });

  it("ignores non-finite values and is undefined when nothing is left", () => {
    expect(summarize([NaN, Infinity])).toBeUndefined();
    expect(summarize([])).toBeUndefined();
    expect(summarize([NaN, 7])?.median).toBe(7);
  });

  it("is robust to one wild run", () => {
    expect(summarize([100, 101, 99, 100, 5])?.median).toBe(100);
  });
});

describe("pairedRatios", () => {
  it("divides within each run, skipping runs that miss a side or have a zero denominator", () => {
    const runs: Record<string, number>[] = [{ a: 90, c: 100 }, { a: 50, c: 50 }, { a: 10 }, { a: 1, c: 0 }, { c: 10 }];
    expect(pairedRatios(runs, "a", "c")).toEqual([0.9, 1]);
  });

  it("cancels what a run's process had in common, where unpaired medians do not", () => {
    // a fast process and a slow one: the pattern is 0.9 of the ceiling in both
    const runs = [{ p: 270, raw: 300 }, { p: 135, raw: 150 }, { p: 261, raw: 290 }];
    const ratios = pairedRatios(runs, "p", "raw");
    expect(ratios.every((r) => Math.abs(r - 0.9) < 1e-9)).toBe(true);
    expect(summarize(ratios)?.q1).toBeCloseTo(0.9);
  });
});
