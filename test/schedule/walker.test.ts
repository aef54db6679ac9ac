import { describe, expect, it } from "vitest";
import { parseInterleaving } from "../../src/interleaving/parse.js";
import { Walker } from "../../src/schedule/walker.js";

const x = parseInterleaving('zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: poll s0 readable, poll s0 readable | main/t1: poll s0 writable | main/t2: close s0 | schedule');

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
  it("counts a switch as a preemption only when the current actor could have gone on", () => {
    // Step 0 leaves main/t0 (preemption); main/t1 then ends, so the next switch is forced.
    const w = new Walker(x.programs, [1, 1]);
    while (w.next(() => true) !== null);
    expect(w.preemptions).toBe(1);
    const y = parseInterleaving("zi1 thread inproc | s0 pull main/t0 bind e0 | main/t0: close s0, close s0 | main/t1: close s0, close s0 | schedule");
    const v = new Walker(y.programs, [1, 1, 1]);
    while (v.next(() => true) !== null);
    expect(v.preemptions).toBe(3);
  });
});
