import type { Clock } from "@sinonjs/fake-timers";
import { UnsupportedError } from "../errors.js";
import { FakeTimersSwitch } from "./fake-timers-switch.js";
import { realDateNow } from "./real-time.js";
import { TimerLists } from "./timer-lists.js";
import { callSites, firstUserFrame, siteText } from "../guard/frames.js";
import type { TaskNode } from "./tasks/task-node.js";
import type { TaskTracker } from "./tasks/tracker.js";

/** A timer the program started and that has not fired for the last time yet. */
export interface VirtualTimer {
  readonly id: unknown;
  /** Virtual time it fires at next. */
  callAt: number;
  /** Node's delay in ms (the timer's list). */
  readonly ms: number;
  /** The interval, for `setInterval`; null for `setTimeout`. */
  readonly every: number | null;
  /** The task its callback runs as. */
  readonly node: TaskNode;
  // invariant: order is unique; of timers due at one time the smaller fires first, in fake-timers'
  // heap as in `earliest`: it is set by Node's timer lists (timer-lists.ts), never by fake-timers
  order: number;
}

/** The parts of fake-timers' clock that hold a timer's time (its timers by id, and its heap by time). */
interface FakeInternals {
  readonly timers?: Map<unknown, { callAt: number; order: number }>;
  readonly timerHeap?: { remove(timer: unknown): void; push(timer: unknown): void };
}

type TimerFn = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => unknown;
type ClearFn = (id?: unknown) => void;

/**
 * Virtual time for one run: while it is installed, `setTimeout`, `setInterval` (global,
 * `node:timers` and `node:timers/promises`), `Date` and `performance.now` follow a clock that
 * moves only when the kit fires the next timer, so a program with sleeps, heartbeats and
 * retries runs in no real time and the same way every time. Built on @sinonjs/fake-timers
 * (the library behind vitest's fake timers); `setImmediate`, `process.nextTick` and
 * microtasks stay real. Each timer's callback runs as a task of its own (one per timer, an
 * interval keeps its task), named after the callback and where the timer was started.
 */
export class VirtualClock {
  private readonly tracker: TaskTracker;
  private clock: Clock | null = null;
  private readonly timers = new Map<unknown, VirtualTimer>();
  /** Node's timer lists: which of the timers due at one time fires first (made at `install`). */
  private lists: TimerLists<VirtualTimer> | null = null;
  /** `AbortSignal.timeout` as it was before `install` (the run puts a virtual one in its place). */
  private realAbortTimeout: typeof AbortSignal.timeout | null = null;
  /** Called when the program starts a timer (the scheduler then ticks until it fires). */
  onTimer: (() => void) | null = null;
  /**
   * Virtual ms a timer started now (or an interval starting again) starts late by: the program's
   * real clock may have moved on since virtual time last moved (the scheduler decides). Default 0.
   */
  lateBy: (() => number) | null = null;
  /**
   * Called with what a timer callback threw. Thrown from the kit's own tick it would be an
   * uncaught exception in the test runner; the run decides (a call the run refused is its
   * verdict already; anything else would have ended the process).
   */
  onThrow: ((error: unknown, timer: TaskNode) => void) | null = null;

  private readonly fakeTimers: FakeTimersSwitch;

  /** `fakeTimers`: fake-timers on `globalThis`, shared by a module's runs (installing anew costs about 100 µs a run). */
  constructor(tracker: TaskTracker, fakeTimers: FakeTimersSwitch = new FakeTimersSwitch()) {
    this.tracker = tracker;
    this.fakeTimers = fakeTimers;
  }

  /**
   * Puts the program's timers and clock on virtual time. The caller then calls
   * `syncBuiltinESMExports()` (once for everything it patched) so named imports of
   * `node:timers` see the change.
   */
  install(): void {
    if (this.clock !== null) return;
    const installed = (globalThis.setTimeout as { clock?: unknown }).clock;
    if (installed !== undefined) {
      throw new UnsupportedError(
        "fake timers are already installed (vi.useFakeTimers or @sinonjs/fake-timers): an instrumented run puts timers on its own virtual clock; call vi.useRealTimers() before the run",
      );
    }
    const clock = this.fakeTimers.on(realDateNow());
    this.clock = clock;
    this.lists = new TimerLists((t) => reorder(clock, t));
    this.wrap(clock);
    this.realAbortTimeout = AbortSignal.timeout;
    AbortSignal.timeout = virtualAbortTimeout(clock as unknown as Record<string, TimerFn>, this.realAbortTimeout);
  }

  /** Back to real timers; timers the program left are dropped (they never fire). The caller syncs builtin ESM exports. */
  uninstall(): void {
    const clock = this.clock;
    if (clock === null) return;
    this.clock = null;
    this.lists = null;
    if (this.realAbortTimeout !== null) AbortSignal.timeout = this.realAbortTimeout;
    this.realAbortTimeout = null;
    this.timers.clear();
    this.fakeTimers.off();
  }

  get installed(): boolean {
    return this.clock !== null;
  }

  /** Virtual time now, in ms (`Date.now()` as the program sees it). */
  get now(): number {
    return this.clock?.now ?? realDateNow();
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** The timer that fires next, or null. */
  earliest(): VirtualTimer | null {
    let best: VirtualTimer | null = null;
    for (const t of this.timers.values()) if (best === null || t.callAt < best.callAt || (t.callAt === best.callAt && t.order < best.order)) best = t;
    return best;
  }

  /** Whether the next timer is due at the clock's instant. */
  dueNow(): boolean {
    const next = this.earliest();
    return next !== null && next.callAt <= this.now;
  }

  /** Virtual ms until the next timer is due (0 or less: it is due), or null when none is left. */
  untilNext(): number | null {
    const next = this.earliest();
    return next === null ? null : next.callAt - this.now;
  }

  /** Moves the clock to the next timer and fires it (its callback runs now, as its task). */
  fireNext(): VirtualTimer | null {
    const clock = this.clock;
    const next = this.earliest();
    if (clock === null || next === null) return null;
    clock.next();
    return next;
  }

  /** Timers still active, as `setInterval(beat) at src/x.ts:12:3` for a report. */
  describePending(): string[] {
    return [...this.timers.values()].map((t) => `${t.node.name}${t.node.site() === null ? "" : ` at ${t.node.site()}`}`);
  }

  /** Wraps the clock's own timer functions (the global, `node:timers` and `node:timers/promises` ones all call them). */
  private wrap(clock: Clock): void {
    const c = clock as unknown as Record<string, TimerFn | ClearFn>;
    const setTimeoutFake = c["setTimeout"] as TimerFn;
    const setIntervalFake = c["setInterval"] as TimerFn;
    const clearTimeoutFake = c["clearTimeout"] as ClearFn;
    const clearIntervalFake = c["clearInterval"] as ClearFn;
    const start = (fake: TimerFn, every: boolean) =>
      (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): unknown => {
        if (typeof callback !== "function") return fake(callback, delay, ...args);
        const ms = nodeDelay(delay);
        const node = this.timerNode(every ? "setInterval" : "setTimeout", callback);
        const holder: { timer?: VirtualTimer } = {};
        const run = (...a: unknown[]): void => {
          const t = holder.timer;
          const lists = this.lists;
          if (t !== undefined) {
            lists?.remove(t, true);
            if (t.every === null) this.timers.delete(idKey(t.id));
            // fake-timers has put the interval's next time at now + every already.
            else t.callAt = this.now + t.every + this.late(clock, t.id);
          }
          try {
            this.tracker.runAs(node, () => callback(...a));
          } catch (err) {
            if (this.onThrow === null) throw err;
            this.onThrow(err, node);
          } finally {
            // Node starts an interval again once its callback returned (R22), last in its list.
            if (t !== undefined && t.every !== null && this.timers.get(idKey(t.id)) === t) lists?.add(t);
            if (t !== undefined) lists?.fired(t.ms, this.now);
          }
        };
        const late = every ? 0 : this.lateBy?.() ?? 0;
        const id = fake(run, ms + late, ...args);
        const timer: VirtualTimer = { id, callAt: this.now + ms + late, ms, every: every ? ms : null, node, order: 0 };
        if (every) timer.callAt += this.late(clock, id);
        holder.timer = timer;
        this.timers.set(idKey(id), timer);
        this.lists?.add(timer);
        this.onTimer?.();
        return id;
      };
    const stop = (fake: ClearFn) => (id?: unknown): void => {
      const t = this.timers.get(idKey(id));
      if (t !== undefined) {
        this.timers.delete(idKey(id));
        this.lists?.remove(t, false);
      }
      fake(id);
    };
    // The globals fake-timers installed call the clock's functions by name, so they call these from now on.
    c["setTimeout"] = start(setTimeoutFake, false);
    c["setInterval"] = start(setIntervalFake, true);
    c["clearTimeout"] = stop(clearTimeoutFake);
    c["clearInterval"] = stop(clearIntervalFake);
  }

  /**
   * Asks how late a timer fake-timers has scheduled starts, and moves it that much later (through
   * fake-timers' own timer map and heap; without them, it starts on time). Returns the ms.
   */
  private late(clock: Clock, id: unknown): number {
    const late = this.lateBy?.() ?? 0;
    if (late <= 0) return 0;
    const fake = clock as unknown as FakeInternals;
    const t = fake.timers?.get(idKey(id));
    if (t === undefined || fake.timerHeap === undefined) return 0;
    fake.timerHeap.remove(t);
    t.callAt += late;
    fake.timerHeap.push(t);
    return late;
  }

  /** The task a timer's callback runs as: `setInterval(beat)`, started where the program called it. */
  private timerNode(kind: string, callback: (...args: unknown[]) => void): TaskNode {
    const where = firstUserFrame(callSites(12, VirtualClock.prototype.timerNode));
    let text: string | null | undefined;
    const name = `${kind}(${callback.name === "" ? "anonymous" : callback.name})`;
    return this.tracker.make("timer", name, () => (text ??= where === undefined ? null : siteText(where)), this.tracker.now());
  }
}

/** Node's longest timer delay (2^31 - 1 ms). */
const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * The delay Node gives a timer (R20 in docs/binding-timing.md): below 1 ms, above
 * `TIMEOUT_MAX` or not a number, it is 1 ms, for a timeout as for an interval; a timeout of 0 is
 * a 1 ms timer, listed with the other 1 ms timers in the order they were started.
 * (fake-timers alone would fire a 0 ms timer at once, before a 1 ms timer started earlier.)
 */
export function nodeDelay(delay: unknown): number {
  const after = Number(delay);
  return after >= 1 && after <= TIMEOUT_MAX ? Math.trunc(after) : 1;
}

/** Timer ids are objects with a numeric value in Node; `clearTimeout` may get either. */
function idKey(id: unknown): unknown {
  if (typeof id === "object" && id !== null && Symbol.toPrimitive in id) return Number(id);
  return id;
}

/** Gives fake-timers' copy of `timer` the clock's order (through its timer map and heap). */
function reorder(clock: Clock, timer: VirtualTimer): void {
  const fake = clock as unknown as FakeInternals;
  const mine = fake.timers?.get(idKey(timer.id));
  if (mine === undefined || fake.timerHeap === undefined || mine.order === timer.order) return;
  fake.timerHeap.remove(mine);
  mine.order = timer.order;
  fake.timerHeap.push(mine);
}

/**
 * `AbortSignal.timeout` on the virtual clock. Node makes its timer like `setTimeout(…, ms)`, in
 * the same list (test/binding/abort-timeout.test.ts), and aborts the signal with a TimeoutError;
 * this one starts its timer through the clock (`timers`, whose `setTimeout` is the run's), so
 * it fires in the run's schedule. A delay Node refuses goes to the real function, which throws.
 */
function virtualAbortTimeout(timers: Record<string, TimerFn>, real: typeof AbortSignal.timeout): typeof AbortSignal.timeout {
  return function timeout(ms: number): AbortSignal {
    if (!Number.isInteger(ms) || ms < 0 || ms > 2 ** 32 - 1) return real.call(AbortSignal, ms);
    const controller = new AbortController();
    const start = timers["setTimeout"];
    start?.(function abortSignalTimeout() {
      controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    }, ms);
    return controller.signal;
  };
}
