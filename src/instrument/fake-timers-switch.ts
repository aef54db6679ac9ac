import timersModule from "node:timers";
import timersPromisesModule from "node:timers/promises";
import { performance as hooksPerformance } from "node:perf_hooks";
import { withGlobal, type Clock } from "@sinonjs/fake-timers";
import { nodeBeats, nodeSleep } from "./abort-errors.js";

/** What @sinonjs/fake-timers makes for one global object. */
export type FakeTimers = ReturnType<typeof withGlobal>;

/**
 * What the program's clock fakes (the timers, `Date`, `performance.now` and `process.hrtime`, so
 * every clock the program reads agrees with its timers; `setImmediate`, `process.nextTick` and
 * microtasks stay real).
 */
const TO_FAKE = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance", "hrtime"] as const;

/** The clock's own timer functions, which a run wraps (clock.ts) and which the globals call. */
const TIMER_METHODS = ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] as const;
type TimerMethod = (typeof TIMER_METHODS)[number];

/** The objects fake-timers patches for globalThis: the global object, `node:timers`, `node:timers/promises`, `perf_hooks.performance` and `process` (`hrtime`). */
const PATCHED: readonly object[] = [globalThis, timersModule, timersPromisesModule, hooksPerformance, process];

/**
 * A property as it stands: its descriptor (undefined: absent) and, for a faked global that is
 * an accessor with a setter (Node's `globalThis.performance`), the value its getter gives:
 * fake-timers sets such a global through its setter, which keeps the descriptor.
 */
interface Slot {
  readonly descriptor: PropertyDescriptor | undefined;
  readonly value?: unknown;
}

/** One property fake-timers changed: as it was without fake timers and with them. */
interface Change {
  readonly target: object;
  readonly key: string | symbol;
  readonly off: Slot;
  readonly on: Slot;
}

/** What is kept of the first installation: its clock, the clock's own timer functions, and every property it changed. */
interface Kept {
  readonly clock: Clock;
  readonly methods: Readonly<Record<TimerMethod, unknown>>;
  readonly changes: readonly Change[];
}

/** The parts of fake-timers' clock that hold what `timers/promises` fakes listen to (its `uninstall` removes them). */
interface AbortListeners {
  readonly abortListenerMap?: Map<(...args: unknown[]) => void, AbortSignal>;
}

/**
 * @sinonjs/fake-timers on `globalThis`, installed once and then switched on and off, run by
 * run. fake-timers makes a new clock at every `install` (its `Date` class, its performance
 * object, some sixty closures: about 100 µs and as much garbage again); a run only needs the
 * same faked globals and a clock reset to the run's start. The first `on()` installs
 * through fake-timers and notes every property it changed (before and after); `off()` puts
 * the properties back as they were, and a later `on()` puts the fakes back and resets the
 * clock (no timer left, `Date.now()` at the given time, `performance.now()` from 0). If any
 * of those properties changed while off (the test's own fake timers, say), `on()` installs
 * anew. A module's runs share one (they never overlap).
 */
export class FakeTimersSwitch {
  private readonly fake: () => FakeTimers;
  private kept: Kept | null = null;
  private onNow = false;

  /** `fake`: fake-timers for `globalThis` (default `withGlobal(globalThis)`, made when first needed). */
  constructor(fake: () => FakeTimers = () => withGlobal(globalThis)) {
    this.fake = fake;
  }

  /** Fakes the globals with a clock at `now` (epoch ms) and returns it, its timer functions fake-timers' own. */
  on(now: number): Clock {
    const kept = this.kept;
    let clock: Clock;
    if (kept !== null && kept.changes.every((c) => sameSlot(slot(c.target, c.key), c.off))) {
      clock = kept.clock;
      const methods = clock as unknown as Record<TimerMethod, unknown>;
      for (const m of TIMER_METHODS) methods[m] = kept.methods[m];
      clock.reset();
      clock.setSystemTime(now);
      const perf = (clock as { performance?: { timeOrigin?: number } }).performance;
      if (perf !== undefined) perf.timeOrigin = now;
      for (const c of kept.changes) put(c.target, c.key, c.on);
    } else {
      const before = PATCHED.map(slots);
      clock = this.fake().install({ now, toFake: [...TO_FAKE], shouldClearNativeTimers: false });
      nodeRejections(before[PATCHED.indexOf(timersPromisesModule)] ?? new Map());
      const changes: Change[] = [];
      PATCHED.forEach((target, i) => changes.push(...changed(target, before[i] ?? new Map(), slots(target))));
      const methods = clock as unknown as Record<TimerMethod, unknown>;
      this.kept = { clock, methods: { setTimeout: methods.setTimeout, clearTimeout: methods.clearTimeout, setInterval: methods.setInterval, clearInterval: methods.clearInterval }, changes };
    }
    this.onNow = true;
    return clock;
  }

  /** Real timers again: every property back as it was; the clock's timers are dropped (they never fire). */
  off(): void {
    const kept = this.kept;
    if (kept === null || !this.onNow) return;
    this.onNow = false;
    for (const c of kept.changes) put(c.target, c.key, c.off);
    // As fake-timers' uninstall: `timers/promises` sleeps with a signal stop listening to it.
    const listeners = (kept.clock as unknown as AbortListeners).abortListenerMap;
    if (listeners !== undefined) {
      for (const [listener, signal] of listeners) signal.removeEventListener("abort", listener);
      listeners.clear();
    }
    kept.clock.reset();
  }
}

/** A property as it stands (only the faked globals' getters are called: others may load a module when first read). */
function slot(target: object, key: string | symbol): Slot {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  const setThrough = target === globalThis && (TO_FAKE as readonly (string | symbol)[]).includes(key) && descriptor?.get !== undefined && descriptor.set !== undefined;
  return setThrough ? { descriptor, value: Reflect.get(target, key) } : { descriptor };
}

/** Every own property of `target` (names and symbols). */
function slots(target: object): Map<string | symbol, Slot> {
  return new Map(Reflect.ownKeys(target).map((key) => [key, slot(target, key)]));
}

/** The properties of `target` that differ between two snapshots. */
function changed(target: object, off: Map<string | symbol, Slot>, on: Map<string | symbol, Slot>): Change[] {
  const out: Change[] = [];
  for (const key of new Set([...off.keys(), ...on.keys()])) {
    const a = off.get(key) ?? { descriptor: undefined };
    const b = on.get(key) ?? { descriptor: undefined };
    if (!sameSlot(a, b)) out.push({ target, key, off: a, on: b });
  }
  return out;
}

function sameSlot(a: Slot, b: Slot): boolean {
  return sameDescriptor(a.descriptor, b.descriptor) && Object.is(a.value, b.value);
}

function sameDescriptor(a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/**
 * Puts a property back to a slot: its descriptor (absent: deleted), then its value through the
 * setter. A writable data property that keeps its attributes is assigned, as fake-timers does:
 * V8 then treats a global that changes run after run as a plain variable, where redefining it
 * would make it a fresh constant that code compiled against it must drop at the next change.
 */
function put(target: object, key: string | symbol, s: Slot): void {
  const want = s.descriptor;
  const now = Object.getOwnPropertyDescriptor(target, key);
  if (want === undefined) Reflect.deleteProperty(target, key);
  else if (now !== undefined && "value" in want && "value" in now && now.writable === true && want.writable === true && now.enumerable === want.enumerable && now.configurable === want.configurable) Reflect.set(target, key, want.value);
  else Object.defineProperty(target, key, want);
  if ("value" in s) Reflect.set(target, key, s.value);
}

/**
 * Makes the `node:timers/promises` waits fake-timers just installed reject as Node's do when
 * their signal aborts (abort-errors.ts). Only what fake-timers changed (from `before`) is wrapped.
 */
function nodeRejections(before: Map<string | symbol, Slot>): void {
  const m = timersPromisesModule as unknown as Record<string, unknown>;
  const sleep = m["setTimeout"];
  const beats = m["setInterval"];
  if (typeof sleep === "function" && sleep !== before.get("setTimeout")?.descriptor?.value) m["setTimeout"] = nodeSleep(sleep as Parameters<typeof nodeSleep>[0]);
  if (typeof beats === "function" && beats !== before.get("setInterval")?.descriptor?.value) m["setInterval"] = nodeBeats(beats as Parameters<typeof nodeBeats>[0]);
}
