import { describe, expect, it } from "vitest";
import { padEnd, textWidth, truncate, wrapItems, wrapWords } from "../../src/report/fit.js";

describe("fit", () => {
  it("truncates by code points with one ellipsis, or three dots in ASCII", () => {
    expect(truncate("abcdef", 6)).toBe("abcdef");
    expect(truncate("abcdefg", 6)).toBe("abcde…");
    expect(truncate("abcdefg", 6, true)).toBe("abc...");
    expect(truncate("abcdefg", 2, true)).toBe("..");
    expect(truncate("😀😀😀😀", 3)).toBe("😀😀…");
    expect(textWidth("😀a")).toBe(2);
    expect(padEnd("ab", 4)).toBe("ab  ");
    expect(padEnd("abcdef", 4)).toBe("abcdef");
  });

  it("wraps words to a width, cutting only words longer than a line", () => {
    expect(wrapWords("the quick brown fox jumps", 10)).toEqual(["the quick", "brown fox", "jumps"]);
    expect(wrapWords("abcdefghijkl xy", 5)).toEqual(["abcde", "fghij", "kl xy"]);
    expect(wrapWords("", 5)).toEqual([""]);
  });

  it("wraps legend items without splitting one", () => {
    expect(wrapItems(["aaa", "bbb", "ccc"], " | ", 9)).toEqual(["aaa | bbb", "ccc"]);
    expect(wrapItems(["a very long item"], " | ", 4)).toEqual(["a very long item"]);
  });
});
