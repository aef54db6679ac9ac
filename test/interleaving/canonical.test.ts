import { describe, expect, it } from "vitest";
import { canonicalize } from "../../src/interleaving/canonical.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { checkInterleaving } from "../../src/model/check.js";

describe("canonicalize", () => {
  it("renames sockets and endpoints in order and keeps everything else", () => {
    const x = parseInterleaving('zi1 thread inproc | s3 router main/t0 bind e2 | s5 dealer main/t1 connect e2 | main/t0: recv s3, send s3 "r" to s5 | main/t1: send s5 "q", recv s5 | schedule 1');
    const c = canonicalize(x);
    expect(formatInterleaving(c)).toBe('zi1 thread inproc | s0 router main/t0 bind e0 | s1 dealer main/t1 connect e0 | main/t0: recv s0, send s0 "r" to s1 | main/t1: send s1 "q", recv s1 | schedule 1');
    expect(checkInterleaving(c).verdict).toEqual(checkInterleaving(x).verdict);
  });
  it("returns an already tidy value as it is", () => {
    const x = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: recv s0 | schedule");
    expect(canonicalize(x)).toBe(x);
  });
});
