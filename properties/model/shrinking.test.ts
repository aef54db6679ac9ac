import { afterAll, describe, expect, it } from "vitest";
import { formatInterleaving } from "../../src/interleaving/format.js";
import { zeromqModel } from "../../src/model/model.js";
import { RULE_CASES } from "./catalog.js";
import { shrinkQuality } from "./shrink-quality.js";

// For every rule: over 100 seeds, find a failing interleaving and shrink it; the result must
// be the known smallest form (threads, actors, sockets, ops, preemptions) in 95 or more.
const table: string[] = [];

describe("shrinking reaches the minimal counterexample", () => {
  for (const c of RULE_CASES) {
    it(`${c.rule}: ${c.shape}`, () => {
      const m = shrinkQuality(c, zeromqModel);
      const sample = m.outcomes.find((o) => o.kind === "shrunk" && o.minimal);
      table.push(`${c.rule.padEnd(24)} found ${String(m.found).padStart(3)}/100  minimal ${String(m.minimal).padStart(3)}/100  e.g. ${sample?.kind === "shrunk" ? formatInterleaving(sample.value) : "-"}`);
      expect(m.found).toBe(100);
      expect(m.minimal).toBeGreaterThanOrEqual(95);
    });
  }
  afterAll(() => {
    console.log(`shrink quality over seeds 1..100\n${table.join("\n")}`);
  });
});
