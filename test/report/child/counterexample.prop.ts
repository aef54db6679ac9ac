// Run only by test/report/vitest-output.test.ts in a child vitest: a property that must fail,
// so that its report shows how @fast-check/vitest prints a shrunk interleaving.
import { test } from "@fast-check/vitest";
import { interleavings } from "../../../src/arbitraries/interleavings.js";
import { checkInterleaving } from "../../../src/model/check.js";

test.prop([interleavings({ ownership: "violate", tasksPerThread: 2 })], { seed: 42 })("no generated interleaving breaks a rule", (x) => {
  return checkInterleaving(x).verdict.kind !== "violation";
});
