import { describe, expect, it } from "vitest";
import { closestName } from "../../src/input/closest.js";
import { SHOWN_TEXT, showValue } from "../../src/input/show.js";

describe("showValue", () => {
  it("shows numbers as themselves, NaN and the infinities included", () => {
    expect(showValue(Number.NaN)).toBe("NaN");
    expect(showValue(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(showValue(-0)).toBe("-0");
    expect(showValue(2 ** 31)).toBe("2147483648");
    expect(showValue(10n)).toBe("10n");
  });

  it("quotes short strings and cuts long ones, saying how long they were", () => {
    expect(showValue("ipc")).toBe('"ipc"');
    const long = showValue("x".repeat(10_000_000));
    expect(long).toBe(`${JSON.stringify("x".repeat(SHOWN_TEXT))}... (10000000 characters)`);
    // A cut never splits a surrogate pair.
    expect(showValue(`${"x".repeat(SHOWN_TEXT - 1)}😀tail${"y".repeat(100)}`)).toContain(`${"x".repeat(SHOWN_TEXT - 1)}"...`);
  });

  it("names objects by their shape instead of dumping them", () => {
    expect(showValue(null)).toBe("null");
    expect(showValue(undefined)).toBe("undefined");
    expect(showValue({})).toBe("{}");
    expect(showValue({ a: 1, b: 2 })).toBe("{ a, b }");
    expect(showValue({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe("{ a, b, c, d, ... }");
    expect(showValue([1, 2, 3])).toBe("an array of 3");
    expect(showValue(new Map())).toBe("a Map");
    expect(showValue(() => 1)).toBe("a function");
  });
});

describe("closestName", () => {
  const keys = ["threads", "minThreads", "tasksPerThread", "maxOps", "transport"];
  it("finds a typo's key: a letter off, added, missing or two swapped; case ignored", () => {
    expect(closestName("threadz", keys)).toBe("threads");
    expect(closestName("thread", keys)).toBe("threads");
    expect(closestName("maxOsp", keys)).toBe("maxOps");
    expect(closestName("MAXOPS", keys)).toBe("maxOps");
    expect(closestName("tasksperthread", keys)).toBe("tasksPerThread");
  });

  it("suggests nothing for a word that is far from every key", () => {
    expect(closestName("color", keys)).toBeNull();
    expect(closestName("x".repeat(1000), keys)).toBeNull();
  });

  it("breaks a tie by the longer shared start", () => {
    expect(closestName("pul", ["pub", "pull"])).toBe("pull");
  });
});
