import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving, type CheckResult } from "../../src/model/check.js";
import type { KeyList } from "../../src/model/key-list.js";
import { createModel, kitEngineRules, zeromqModel, type Model } from "../../src/model/model.js";
import type { ModelState } from "../../src/model/state.js";
import type { ModelRule } from "../../src/model/verdict.js";
import { anyInterleaving, disabledRules, seededCheck } from "./engine-checks.js";

// A check under the interleaving's own schedule walks it with the kit's engine directly
// (`checkScheduled`); every other check walks `Walker` through the model's functions. A copy of
// a model record is not the kit's own, so `checkInterleaving` takes the second way for it: that
// is the reference here. Both must give the same verdict, history, steps, preemptions, trace
// and end state, whatever the ownership, transport, race choices and rules switched off.

/** The reference for `model`: the same functions in a record that is not the kit's own. */
function reference(model: Model): Model {
  return { ...model };
}

/** What the two ways of checking must agree on. */
function outcome(r: CheckResult): unknown {
  return { verdict: r.verdict, history: r.history, steps: r.steps, preemptions: r.preemptions, trace: r.trace, state: r.state };
}

type Check = (x: Interleaving, model: Model) => CheckResult;

const viaScheduled: Check = (x, model) => checkInterleaving(x, { model });

/** `agrees(check)(x, disabled)` throws unless `check` and the reference agree on `x` under a model with `disabled` off. */
function agrees(check: Check) {
  return (x: Interleaving, disabled: readonly ModelRule[]): void => {
    const model = disabled.length === 0 ? zeromqModel : createModel({ disabled });
    expect(outcome(check(x, model))).toEqual(outcome(checkInterleaving(x, { model: reference(model) })));
  };
}


describe("the scheduled walk and the reference walk agree", () => {
  it("the reference is not the kit's own model record", () => {
    expect(kitEngineRules(zeromqModel)).not.toBeNull();
    expect(kitEngineRules(reference(zeromqModel))).toBeNull();
  });

  test.prop([anyInterleaving, disabledRules], { numRuns: 3000 })("same verdict, history, steps, trace and end state", agrees(viaScheduled));

  // Evidence the property can fail: two plausible slips in the walk, each a seeded bug the
  // property finds within its runs. The walk reads the blocked and ended actors again only
  // when their lists count a change; the reference reads them at every step.
  const uncounted = (list: KeyList): void => {
    Object.defineProperty(list, "changes", { get: () => 0, set: () => undefined });
  };
  const bugs: readonly (readonly [string, (state: ModelState) => void])[] = [
    ["an actor's block and release are not counted as changes", (state) => uncounted(state.blockedKeys)],
    ["an actor's end is not counted as a change", (state) => uncounted(state.endedKeys)],
  ];
  for (const [bug, seed] of bugs) {
    it(`fails on a walk where ${bug}`, () => {
      const broken: Check = seededCheck(seed);
      const r = fc.check(fc.property(anyInterleaving, disabledRules, (x, d) => agrees(broken)(x, d)), { seed: 11, numRuns: 3000 });
      expect(r.failed, `no interleaving tells the seeded bug from the reference: ${bug}`).toBe(true);
    });
  }
});
