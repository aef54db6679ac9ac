import { isSettled } from "../../src/guard/settled.js";

/**
 * Watching one socket call: whether its promise was settled when the call returned, and what
 * had already run when the code awaiting it resumed. Two macrotasks are queued just before
 * the call (a `setImmediate` and a `setTimeout(..., 0)`); a continuation that runs before
 * both ran in the caller's own microtask checkpoint.
 */

/** How a watched op's promise settled. */
export type Settlement = { readonly kind: "resolved"; readonly value: unknown } | { readonly kind: "rejected"; readonly code: string };

/** What the awaiting continuation saw when it resumed. */
export interface Resumption {
  readonly settlement: Settlement;
  /** The `setImmediate` queued just before the call had run. */
  readonly immediateRan: boolean;
  /** The `setTimeout(..., 0)` queued just before the call had run. */
  readonly timeoutRan: boolean;
  /** Position of this resumption in its journal (0 = first to resume). */
  readonly seq: number;
}

/** A watched call: it threw synchronously, or it returned a promise. */
export type Watched =
  | { readonly kind: "threw"; readonly code: string }
  | {
      readonly kind: "issued";
      readonly promise: Promise<unknown>;
      /** The promise was already settled when the call returned. */
      readonly settledAtReturn: boolean;
      /** The markers the resumption reads; `rearm` them to time a later call (a `close`). */
      readonly markers: Markers;
      /** Resolves (never rejects) once the awaiting continuation has run. */
      readonly resumed: Promise<Resumption>;
    };

/**
 * When an op's completion resumed its caller: `atOnce` (settled inside the call, and the
 * continuation ran before any macrotask queued before it), `later` (pending at return, so
 * settled from a later macrotask), `settledButLate` (settled inside the call, yet a
 * macrotask queued before it ran first).
 */
export type Timing = "atOnce" | "later" | "settledButLate";

/** Records the order in which watched continuations resume; one per trial. */
export class Journal {
  private readonly names: string[] = [];

  /** Appends `name` and returns its position. */
  stamp(name: string): number {
    this.names.push(name);
    return this.names.length - 1;
  }

  /** Names in the order they resumed. */
  get order(): readonly string[] {
    return this.names;
  }
}

/** The `code` of a zeromq.js error (`EAGAIN`, `EBUSY`, ...), or the error's name. */
export function codeOf(err: unknown): string {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string") return err.code;
  return err instanceof Error ? err.name : String(err);
}

/** Two macrotasks queued now (a `setImmediate`, a `setTimeout(..., 0)`): have they run yet? */
export class Markers {
  private immediateRan = false;
  private timeoutRan = false;
  private immediate: NodeJS.Immediate;
  private timeout: NodeJS.Timeout;

  constructor() {
    this.immediate = this.queueImmediate();
    this.timeout = this.queueTimeout();
  }

  /** What has run so far. */
  seen(): { immediateRan: boolean; timeoutRan: boolean } {
    return { immediateRan: this.immediateRan, timeoutRan: this.timeoutRan };
  }

  /** Cancels both markers and queues them again: `seen` then speaks of macrotasks queued from now on. */
  rearm(): void {
    this.clear();
    this.immediateRan = false;
    this.timeoutRan = false;
    this.immediate = this.queueImmediate();
    this.timeout = this.queueTimeout();
  }

  /** Cancels whichever marker has not run yet. */
  clear(): void {
    clearImmediate(this.immediate);
    clearTimeout(this.timeout);
  }

  private queueImmediate(): NodeJS.Immediate {
    return setImmediate(() => {
      this.immediateRan = true;
    });
  }

  private queueTimeout(): NodeJS.Timeout {
    return setTimeout(() => {
      this.timeoutRan = true;
    }, 0);
  }
}

/** Awaits `promise` as user code would, then records what had run (`markers`) and its place in `journal`. */
export async function resumption(journal: Journal, name: string, promise: Promise<unknown>, markers: Markers): Promise<Resumption> {
  let settlement: Settlement;
  try {
    settlement = { kind: "resolved", value: await promise };
  } catch (err) {
    settlement = { kind: "rejected", code: codeOf(err) };
  }
  const seen = { settlement, ...markers.seen(), seq: journal.stamp(name) };
  markers.clear();
  return seen;
}

/** Calls `call` with two macrotask markers queued just before it, and watches its promise. */
export function watch(journal: Journal, name: string, call: () => Promise<unknown>): Watched {
  const markers = new Markers();
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (err) {
    markers.clear();
    return { kind: "threw", code: codeOf(err) };
  }
  const settledAtReturn = isSettled(promise);
  return { kind: "issued", promise, settledAtReturn, markers, resumed: resumption(journal, name, promise, markers) };
}

/** Classifies an issued call once it has resumed. */
export function timingOf(settledAtReturn: boolean, r: Resumption): Timing {
  if (!settledAtReturn) return "later";
  return r.immediateRan || r.timeoutRan ? "settledButLate" : "atOnce";
}

/** `timing` plus how it settled when it was rejected: `atOnce`, `atOnce:EAGAIN`, `later:EAGAIN`. */
export function outcomeOf(settledAtReturn: boolean, r: Resumption): string {
  const t = timingOf(settledAtReturn, r);
  return r.settlement.kind === "rejected" ? `${t}:${r.settlement.code}` : t;
}

/** Watches a call that must not throw; a synchronous throw is a broken precondition. */
export function issue(journal: Journal, name: string, call: () => Promise<unknown>): Extract<Watched, { kind: "issued" }> {
  const w = watch(journal, name, call);
  if (w.kind === "threw") throw new Error(`${name} threw ${w.code} synchronously; the measurement's set-up is wrong`);
  return w;
}

/** Whether `p` has settled, read synchronously. */
export function settledNow(p: Promise<unknown>): boolean {
  return isSettled(p);
}

/** Resolves after one turn of the event loop's check phase. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whether `p` settles within `turns` loop turns and `ms` milliseconds (both must pass before
 * it counts as stuck, so a loaded machine only makes the wait longer).
 */
export async function settlesWithin(p: Promise<unknown>, turns = 50, ms = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let turn = 0; !settledNow(p); turn++) {
    if (turn >= turns && Date.now() >= deadline) return false;
    await (turn % 2 === 0 ? nextTurn() : sleep(2));
  }
  return true;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts of outcomes by name, e.g. `{ atOnce: 50 }`; only outcomes seen appear. */
export type Counts = Record<string, number>;

/** Adds one to `counts[key]`. */
export function bump(counts: Counts, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
