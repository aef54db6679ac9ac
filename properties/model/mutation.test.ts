import { describe, expect, it } from "vitest";
import { createModel, zeromqModel } from "../../src/model/model.js";
import { MODEL_RULES } from "../../src/model/verdict.js";
import { RULE_CASES } from "./catalog.js";
import { shrinkQuality } from "./shrink-quality.js";

// No property is vacuous: switch each rule off in a copy of the model and the property that
// looks for it fails (nothing found, so nothing shrinks to the minimum), while the intact
// model passes the same check on the same seeds.
describe("mutation check: a model with one rule off fails that rule's property", () => {
  it("covers every rule", () => {
    expect(RULE_CASES.map((c) => c.rule).sort()).toEqual([...MODEL_RULES].sort());
  });
  for (const c of RULE_CASES) {
    it(`${c.rule} off`, () => {
      const broken = createModel({ disabled: [c.rule] });
      const mutated = shrinkQuality(c, broken, 10, 1000);
      expect(mutated.found).toBe(0);
      expect(mutated.minimal).toBeLessThan(10);
      expect(shrinkQuality(c, zeromqModel, 10, 1000).minimal).toBeGreaterThanOrEqual(9);
    });
  }
});
