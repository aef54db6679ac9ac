import { describe, expect, it } from "vitest";
import { LATE_STEPS, TimerLateness } from "../../src/instrument/lateness.js";
import { answering } from "./answering.js";

/** Answers every lateness point with `answer` (and only lateness points are asked). */
const answeringAll = (answer: number) =>
  answering((point) => {
    expect(point.kind).toBe("race");
    return answer;
  });

describe("timers started late (R17, lateness.ts)", () => {
  it("the run's first turn asks nothing; the first turn at a later instant (the one its timer moved the clock in) asks, once", () => {
    const selector = answeringAll(0);
    const lateness = new TimerLateness(selector, 1);
    expect(lateness.lateBy(false)).toBe(0);
    expect(selector.asked.length).toBe(0);
    // A timer fires: a turn of its own, and the clock moves (test/binding/timer-turns.test.ts, 18).
    lateness.turnTaken();
    lateness.clockMoved();
    expect(lateness.lateBy(false)).toBe(0);
    expect(lateness.lateBy(false)).toBe(0);
    expect(selector.asked.length).toBe(1);
    // A completion handed over at the same instant: a turn that asks again.
    lateness.turnTaken();
    lateness.lateBy(false);
    expect(selector.asked.length).toBe(2);
  });

  it("answered late, a later turn at the same instant asks again and falls a latency further behind, up to LATE_STEPS latencies; the clock moving on puts timers on time again", () => {
    const selector = answeringAll(1);
    const lateness = new TimerLateness(selector, 2);
    lateness.turnTaken();
    lateness.clockMoved();
    expect(lateness.lateBy(false)).toBe(2);
    // The same turn: as late, without asking.
    expect(lateness.lateBy(false)).toBe(2);
    expect(selector.asked.length).toBe(1);
    // The next turn at the instant (the second of two intervals due together, timer-turns.test.ts 19).
    lateness.turnTaken();
    expect(lateness.lateBy(false)).toBe(2 * LATE_STEPS);
    expect(selector.asked.length).toBe(2);
    // At the cap, nothing more is asked.
    lateness.turnTaken();
    expect(lateness.lateBy(false)).toBe(2 * LATE_STEPS);
    expect(selector.asked.length).toBe(2);
    lateness.turnTaken();
    lateness.clockMoved();
    expect(lateness.lateBy(false)).toBe(2);
    expect(selector.asked.length).toBe(3);
    expect(lateness.lateBy(true)).toBe(2);
  });

  it("answered on time, a timer keeps the lateness the instant's turns before it reached", () => {
    const answers = [1, 0];
    const selector = answering(() => answers.shift() ?? 0);
    const lateness = new TimerLateness(selector, 1);
    lateness.turnTaken();
    lateness.clockMoved();
    expect(lateness.lateBy(false)).toBe(1);
    lateness.turnTaken();
    expect(lateness.lateBy(false)).toBe(1);
  });

  it("with latencyMs 0 or the run stopped, nothing is asked", () => {
    const selector = answeringAll(1);
    const none = new TimerLateness(selector, 0);
    none.turnTaken();
    expect(none.lateBy(false)).toBe(0);
    const stopped = new TimerLateness(selector, 1);
    stopped.turnTaken();
    expect(stopped.lateBy(true)).toBe(0);
    expect(selector.asked.length).toBe(0);
  });
});
