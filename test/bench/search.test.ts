import { describe, expect, it } from "vitest";
import { ORDER_BUGS } from "../../bench/strategies/order-bugs.js";
import { searchBug } from "../../bench/strategies/search.js";
import { checkInterleaving } from "../../src/model/check.js";

const seeds = Array.from({ length: 20 }, (_, i) => 0x5ea + 1009 * i);

describe("seeded order bugs", () => {
  it("do not show under the default schedule (no preemption), and each can be shown", () => {
    for (const bug of ORDER_BUGS) expect(bug.fails(checkInterleaving(bug.interleaving))).toBe(false);
  });

  it("pct (depth 3) finds every depth-3 bug in at least 19 of 20 seeds within 1,000 runs", () => {
    for (const bug of ORDER_BUGS.filter((b) => b.depth === 3)) {
      const stats = searchBug(bug, { strategy: "pct", depth: 3 }, seeds, 1000);
      expect(stats.runsToFind.filter((r) => r !== null).length, bug.name).toBeGreaterThanOrEqual(19);
    }
  });

  it("pct's failing runs per run are at least its bound 1/(n k^2) on every bug (within three standard errors)", () => {
    for (const bug of ORDER_BUGS) {
      const stats = searchBug(bug, { strategy: "pct", depth: 3 }, seeds.slice(0, 5), 1000);
      const bound = stats.bound ?? 1;
      const error = Math.sqrt((bound * (1 - bound)) / 5000);
      expect(stats.perRun, `${bug.name}: ${stats.perRun} per run, bound ${bound}`).toBeGreaterThanOrEqual(bound - 3 * error);
    }
  });
});
