import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { interleavings } from "../../src/arbitraries/interleavings.js";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { interleavingProblems } from "../../src/interleaving/validate.js";

const wide = interleavings({ threads: 3, tasksPerThread: 3, maxLinks: 3, maxPeers: 3, maxOps: 6, owner: "any", transport: "any", nowait: 0.3 });

test.prop([wide], { numRuns: 500 })("parse(format(x)) equals x, on one line and on many", (x) => {
  expect(parseInterleaving(formatInterleaving(x))).toEqual(x);
  expect(parseInterleaving(formatInterleaving(x, { multiline: true }))).toEqual(x);
});

test.prop([fc.oneof(wide, interleavings({ ownership: "respect", threads: 2 }), interleavings({ ownership: "violate", threads: 2 }))], { numRuns: 1000 })(
  "every generated interleaving validates",
  (x) => {
    expect(interleavingProblems(x)).toEqual([]);
  },
);

test.prop([wide], { numRuns: 200 })("every shrink candidate validates", (x) => {
  const arb = interleavings();
  let n = 0;
  for (const v of arb.shrink(x, undefined)) {
    expect(interleavingProblems(v.value)).toEqual([]);
    if (++n >= 50) break;
  }
});
