import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { Interleaving } from "../../src/interleaving/types.js";
import { checkInterleaving } from "../../src/model/check.js";
import { verdictLabel } from "../../src/model/verdict.js";
import { exhaustive } from "../../src/schedule/exhaustive.js";
import { seededRandom } from "../../src/schedule/seeded.js";
import { bruteForce } from "./brute.js";

const unused = seededRandom(1);

/** Every run exhaustive makes on x: the trace of each (schedule | races) and its verdict. */
function runAll(x: Interleaving, bound: number, reduction: boolean): { traces: string[]; verdicts: Set<string>; redundant: number } {
  const search = exhaustive({ preemptionBound: bound, reduction });
  const traces: string[] = [];
  const verdicts = new Set<string>();
  for (let s = search.begin(unused); s !== null; s = search.begin(unused)) {
    const r = checkInterleaving(x, { history: false, selector: s });
    if (s.redundant) continue;
    traces.push(`${r.trace.schedule.join(" ")} | ${r.trace.races.join(" ")}`);
    verdicts.add(verdictLabel(r.verdict));
  }
  expect(search.exhausted).toBe(true);
  return { traces, verdicts, redundant: search.progress.redundant };
}

function bruteTraces(x: Interleaving, bound: number): string[] {
  return bruteForce(x, bound).map((l) => {
    const schedule = l.picks.filter((_, k) => l.kinds[k] === "task");
    const races = l.picks.filter((_, k) => l.kinds[k] === "race");
    return `${schedule.join(" ")} | ${races.join(" ")}`;
  });
}

// Three actors on one link: every turn depends on every other, so nothing is reduced.
const shared = parseInterleaving(
  'zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 push main/t2 connect e0 | main/t0: recv s0, recv s0, recv s0 | main/t1: send s1 "a", send s1 "b" | main/t2: send s2 "c", send s2 "d" | schedule',
);
// Two links, two actors each: turns on different links are independent.
const apart = parseInterleaving(
  'zi1 thread inproc | s0 pair main/t0 bind e0 | s1 pair main/t1 connect e0 | s2 pair main/t2 bind e1 | s3 pair main/t3 connect e1 | main/t0: send s0 "a", recv s0 | main/t1: recv s1, send s1 "b" | main/t2: send s2 "c", recv s2 | main/t3: recv s3, send s3 "d" | schedule',
);
// A close races the peer's sends within the turn: race points in the tree too.
const racy = parseInterleaving(
  'zi1 thread inproc | s0 pair main/t0 bind e0 | s1 pair main/t1 connect e0 | main/t0: recv s0, close s0 | main/t1: send s1 "a", poll s1 writable, send s1 "b" | schedule',
);

describe("exhaustive", () => {
  for (const bound of [0, 1, 2, 3]) {
    it(`without reduction runs exactly the brute-force tree (bound ${bound})`, () => {
      for (const x of [shared, apart, racy]) {
        const all = runAll(x, bound, false);
        const brute = bruteTraces(x, bound);
        expect(all.traces.length).toBe(brute.length);
        expect(new Set(all.traces)).toEqual(new Set(brute));
        expect(all.redundant).toBe(0);
      }
    });
  }

  it("explores race outcomes as choices", () => {
    const all = runAll(racy, 2, false);
    expect(all.traces.some((t) => !t.endsWith("| "))).toBe(true);
  });

  it("with reduction on dependent turns runs the same tree", () => {
    expect(runAll(shared, 2, true).traces.length).toBe(bruteTraces(shared, 2).length);
  });

  it("with reduction skips reorderings of independent turns and keeps every verdict", () => {
    for (const bound of [0, 1, 2, 3]) {
      const full = runAll(apart, bound, false);
      const reduced = runAll(apart, bound, true);
      expect(reduced.verdicts).toEqual(full.verdicts);
      if (bound >= 2) expect(reduced.traces.length).toBeLessThan(full.traces.length);
    }
  });

  it("stops: begin returns null once the tree is walked", () => {
    const search = exhaustive({ preemptionBound: 0 });
    let runs = 0;
    for (let s = search.begin(unused); s !== null; s = search.begin(unused)) {
      checkInterleaving(shared, { selector: s });
      runs++;
    }
    expect(runs).toBe(bruteTraces(shared, 0).length);
    expect(search.begin(unused)).toBeNull();
  });

  it("rejects a bad bound", () => {
    expect(() => exhaustive({ preemptionBound: -1 })).toThrow(/preemptionBound/);
  });
});
