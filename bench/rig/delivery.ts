/**
 * Per-subscriber counts of received frames, and waits for the counts to reach targets.
 * The benchmarks count deliveries here, never sends: a batch is done when every
 * subscriber has received it.
 */
import type { FrameKind } from "./frames.js";

/** The kinds of frame that are counted ("other" frames are ignored). */
export type CountedKind = Exclude<FrameKind, "other">;

/** How a wait for deliveries ended. */
export type Arrival =
  | { readonly kind: "complete" }
  | { readonly kind: "timed-out"; readonly counts: readonly number[]; readonly targets: readonly number[] };

interface Waiter {
  readonly kind: CountedKind;
  readonly targets: readonly number[];
  /** invariant: the number of subscribers whose count is still below its target */
  remaining: number;
  readonly settle: (arrival: Arrival) => void;
}

/** Counts of data, probe and fence frames received by each of `subscribers` subscribers. */
export class DeliveryCounter {
  readonly subscribers: number;
  readonly #counts: Readonly<Record<CountedKind, number[]>>;
  readonly #waiters: Waiter[] = [];

  constructor(subscribers: number) {
    if (!Number.isInteger(subscribers) || subscribers < 1) throw new RangeError(`subscribers must be a positive integer, got ${subscribers}`);
    this.subscribers = subscribers;
    this.#counts = {
      data: new Array<number>(subscribers).fill(0),
      probe: new Array<number>(subscribers).fill(0),
      fence: new Array<number>(subscribers).fill(0),
    };
  }

  /** Records one frame of `kind` received by subscriber `subscriber` (0-based). */
  record(subscriber: number, kind: FrameKind): void {
    if (kind === "other") return;
    const counts = this.#counts[kind];
    const before = counts[subscriber];
    if (before === undefined) throw new RangeError(`no subscriber ${subscriber} (have ${this.subscribers})`);
    const now = before + 1;
    counts[subscriber] = now;
    if (this.#waiters.length === 0) return;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as Waiter;
      if (waiter.kind !== kind || waiter.targets[subscriber] !== now) continue;
      waiter.remaining -= 1;
      if (waiter.remaining === 0) {
        this.#waiters.splice(i, 1);
        waiter.settle({ kind: "complete" });
      }
    }
  }

  /** Frames of `kind` received by one subscriber so far. */
  count(subscriber: number, kind: CountedKind = "data"): number {
    const value = this.#counts[kind][subscriber];
    if (value === undefined) throw new RangeError(`no subscriber ${subscriber} (have ${this.subscribers})`);
    return value;
  }

  /** A copy of the per-subscriber counts of `kind`. */
  counts(kind: CountedKind = "data"): number[] {
    return [...this.#counts[kind]];
  }

  /** Frames of `kind` received by all subscribers together. */
  total(kind: CountedKind = "data"): number {
    return this.#counts[kind].reduce((sum, c) => sum + c, 0);
  }

  /** Targets `extra` frames above each subscriber's current count of `kind`. */
  targetsAbove(extra: number, kind: CountedKind = "data"): number[] {
    return this.#counts[kind].map((c) => c + extra);
  }

  /**
   * Resolves once every subscriber's count of `kind` has reached its target, or with the
   * counts so far after `timeoutMs` without that happening. Never rejects.
   */
  until(kind: CountedKind, targets: readonly number[], timeoutMs: number): Promise<Arrival> {
    if (targets.length !== this.subscribers) throw new RangeError(`need ${this.subscribers} targets, got ${targets.length}`);
    const counts = this.#counts[kind];
    const remaining = targets.filter((t, i) => (counts[i] as number) < t).length;
    if (remaining === 0) return Promise.resolve({ kind: "complete" });
    return new Promise<Arrival>((resolve) => {
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        resolve({ kind: "timed-out", counts: [...counts], targets: [...targets] });
      }, timeoutMs);
      const waiter: Waiter = {
        kind,
        targets: [...targets],
        remaining,
        settle: (arrival) => {
          clearTimeout(timer);
          resolve(arrival);
        },
      };
      this.#waiters.push(waiter);
    });
  }
}
