import type { Selector } from "../schedule/strategy.js";

/** The two ways a lateness point can go: timers started now start as late as the instant's turns before (0), or a millisecond later (1). */
const SAME_OR_NEXT_MS = [{ key: "same-ms" }, { key: "next-ms" }] as const;

/** How many latencies an instant's timers can fall behind it, one turn at a time (R17: two measured). */
export const LATE_STEPS = 2;

/**
 * How late (virtual ms) a timer the program starts now starts (R17 in docs/binding-timing.md).
 * Virtual time stands still while the program runs, but its turns take real time, and Node
 * starts a timer at its loop's millisecond clock: a turn at a virtual instant may start its
 * timers a millisecond later (test/binding/timer-turns.test.ts), a later turn as well as the
 * first, the one whose timer moved the clock (the loop woke after the instant, or the callback
 * worked across the millisecond: 18 there), and the turns of one instant add up (the second of
 * two intervals due together can start again two milliseconds after their instant: 19 there).
 * The first timer started in each turn asks a lateness point (a race choice): on time, or
 * `latencyMs` later than the turns before it at this instant, up to LATE_STEPS latencies; every
 * timer started after it before the clock moves on is as late. The run's own first turn asks
 * nothing: its instant is where virtual time starts.
 */
export class TimerLateness {
  private readonly selector: Selector;
  private readonly latencyMs: number;
  /** Turns of the program the scheduler started; the last turn asked. */
  private turn = 0;
  private askedTurn = -1;
  private late = 0;

  constructor(selector: Selector, latencyMs: number) {
    this.selector = selector;
    this.latencyMs = latencyMs;
  }

  /** The scheduler started a turn of the program (a completion handed over, a timer fired). */
  turnTaken(): void {
    this.turn++;
  }

  /** The clock moved on, in the turn just taken: a new instant, timers on time again (until a lateness point says otherwise). */
  clockMoved(): void {
    this.late = 0;
  }

  /** How late a timer started now starts (`stopped`: the run is over, nothing is asked). */
  lateBy(stopped: boolean): number {
    if (this.late >= LATE_STEPS * this.latencyMs || this.latencyMs === 0 || stopped) return this.late;
    if (this.turn === 0 || this.turn === this.askedTurn) return this.late;
    this.askedTurn = this.turn;
    if (this.selector.select({ kind: "race", candidates: SAME_OR_NEXT_MS, current: -1 }) === 1) this.late += this.latencyMs;
    return this.late;
  }
}
