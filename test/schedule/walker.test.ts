import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import type { ChoicePoint, Selector } from "../../src/schedule/strategy.js";
import { Walker } from "../../src/schedule/walker.js";

// Every op here is awaited, so every step ends a turn.
const x = parseInterleaving('zi1 thread inproc | s0 push main/t0 bind e0 | s1 pull main/t0 connect e0 | main/t0: recv s1, recv s1 | main/t1: send s0 "a" | main/t2: send s0 "b" | schedule');

function order(schedule: number[], canRun: (p: number) => boolean = () => true): Array<[number, number, boolean]> {
  const w = new Walker(x.programs, schedule);
  const out: Array<[number, number, boolean]> = [];
  for (let p = w.next(canRun); p !== null; p = w.next(canRun)) out.push([p.program, p.index, p.preempted]);
  return out;
}

describe("Walker", () => {
  it("with an empty schedule, runs each actor to its end in program order", () => {
    expect(order([])).toEqual([[0, 0, false], [0, 1, false], [1, 0, false], [2, 0, false]]);
  });
  it("takes choices modulo the runnable actors, counting from the current one", () => {
    // Step 0: choice 1 picks main/t1 (a preemption of main/t0); then t1 is done, so the
    // list starts at t2: choice 0 keeps the order t2, t0.
    expect(order([1])).toEqual([[1, 0, true], [2, 0, false], [0, 0, false], [0, 1, false]]);
    expect(order([5])).toEqual(order([2]));
  });
  it("consumes a choice only where two or more actors can run", () => {
    const w = new Walker(x.programs, [2, 1]);
    const only0 = (p: number) => p === 0;
    expect(w.next(only0)?.program).toBe(0);
    expect(w.consumed).toBe(0);
    expect(w.next(() => true)?.program).toBe(2);
    expect(w.consumed).toBe(1);
  });
  it("skips actors that cannot run and stops when none can", () => {
    expect(order([], (p) => p !== 1)).toEqual([[0, 0, false], [0, 1, false], [2, 0, false]]);
    expect(order([], () => false)).toEqual([]);
  });
  it("keeps an actor running through synchronous and fire-and-forget ops (no choice consumed)", () => {
    const y = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: poll s0 readable, void recv s0, close s0 | main/t1: poll s0 readable | schedule 1 1 1');
    const w = new Walker(y.programs, y.schedule);
    const picks: number[] = [];
    for (let p = w.next(() => true); p !== null; p = w.next(() => true)) picks.push(p.program);
    expect(picks).toEqual([1, 0, 0, 0]);
    expect(w.consumed).toBe(1);
  });
  it("counts a switch as a preemption only when the current actor could have gone on", () => {
    // Step 0 leaves main/t0 (preemption); main/t1 then ends, so the next switch is forced.
    const w = new Walker(x.programs, [1, 1]);
    while (w.next(() => true) !== null);
    expect(w.preemptions).toBe(1);
    const y = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t0 connect e0 | main/t0: send s1 "a", send s1 "b" | main/t1: send s1 "c", send s1 "d" | schedule');
    const v = new Walker(y.programs, [1, 1, 1]);
    while (v.next(() => true) !== null);
    expect(v.preemptions).toBe(3);
  });
});

describe("Walker with a selector", () => {
  const points: ChoicePoint[] = [];
  const recorder = (pick: (p: ChoicePoint) => number): Selector => ({
    select(p) {
      points.push({ ...p, candidates: p.candidates.map((c) => ({ key: c.key, resources: c.resources })) });
      return pick(p);
    },
    trace: { schedule: [], races: [] },
    redundant: false,
  });

  it("asks task points with the actors' names, the current one first, and what each turn uses", () => {
    points.length = 0;
    const y = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | s1 push main/t1 connect e0 | s2 pair main/t1 bind e1 | s3 pair main/t2 connect e1 | main/t0: recv s0 | main/t1: poll s2 readable, send s1 "a" | main/t2: send s3 "b" | schedule');
    const w = new Walker(y.programs, recorder(() => 1), { scenario: y.scenario });
    const picked: number[] = [];
    for (let p = w.next(() => true); p !== null; p = w.next(() => true)) picked.push(p.program);
    const first = points[0];
    expect(first?.kind).toBe("task");
    expect(first?.candidates.map((c) => c.key)).toEqual(["main/t0", "main/t1", "main/t2"]);
    expect(first?.current).toBe(0);
    // main/t1's turn polls s2 (link e1) and sends on s1 (link e0): its turn uses both links.
    expect(first?.candidates.map((c) => c.resources)).toEqual([["e0"], ["e1", "e0"], ["e1"]]);
    expect(w.taken.length).toBe(points.length);
  });

  it("says which actors moved without a choice since the last point", () => {
    points.length = 0;
    const w = new Walker(x.programs, recorder(() => 0));
    // Only main/t0 can run at first (a forced move), then everyone.
    let k = 0;
    for (let p = w.next((q) => k > 0 || q === 0); p !== null; p = w.next(() => true)) k++;
    expect(points[0]?.since).toEqual(["main/t0"]);
    expect(points[1]?.since).toEqual([]);
  });
});
