import { InvalidOptionsError } from "../errors.js";
import type { Schedule } from "../interleaving/types.js";
import type { CompletionGate } from "./context.js";
import { finish } from "./tracked.js";
import type { PendingRecord } from "./pending.js";
import type { SocketRecord } from "./socket-record.js";

/** A real op that finished and waits to be handed to its caller. */
interface Held {
  readonly socket: SocketRecord;
  readonly record: PendingRecord;
  readonly ok: boolean;
  readonly value: unknown;
}

/** Options of the completion scheduler. */
export interface CompletionSchedulerOptions {
  /** Choices: where two or more completions are held, choice `c` delivers held entry `c mod n` (0 = the oldest). */
  readonly schedule: Schedule;
  /** Loop turns to wait for the program to go quiet before delivering anyway (bounds starvation). Default 8. */
  readonly patience?: number;
  /** Called when a rejection is handed to code that observes the op (it may still escape that code unhandled, see escaped.ts). */
  readonly onObservedRejection?: (socket: SocketRecord, record: PendingRecord, reason: unknown) => void;
}

const noop = (): void => {};

/**
 * Holds the completions of guarded sends and receives and hands them to the program one at
 * a time, in an order the schedule picks. A completion is delivered when the program is
 * quiescent (a whole event-loop turn passed with no guarded op issued and nothing new held),
 * or after `patience` busy turns, so holding never deadlocks: whatever the program awaits,
 * the next quiet turn releases one held completion.
 */
export class CompletionScheduler implements CompletionGate {
  private readonly schedule: Schedule;
  private readonly patience: number;
  private readonly onObservedRejection: CompletionSchedulerOptions["onObservedRejection"];
  private readonly held: Held[] = [];
  private cursor = 0;
  private busy = false;
  private waited = 0;
  private armed = false;
  private stopped = false;
  /** Choices actually used, in order (the part of the schedule that mattered). */
  readonly used: number[] = [];

  constructor(options: CompletionSchedulerOptions) {
    this.schedule = options.schedule;
    this.patience = options.patience ?? 8;
    this.onObservedRejection = options.onObservedRejection;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new InvalidOptionsError(`patience must be an integer >= 0, got ${JSON.stringify(options.patience)}`);
  }

  /** Completions waiting to be delivered. */
  get pending(): number {
    return this.held.length;
  }

  hold(socket: SocketRecord, record: PendingRecord, ok: boolean, value: unknown): void {
    if (this.stopped) return; // the run is over: its tasks wait forever, nothing is delivered
    this.held.push({ socket, record, ok, value });
    this.busy = true;
    this.arm();
  }

  activity(): void {
    this.busy = true;
  }

  /** Ends the run: drops everything held and holds nothing more (the waiting tasks never resume). */
  stop(): void {
    this.stopped = true;
    this.held.length = 0;
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(this.tick);
  }

  private readonly tick = (): void => {
    this.armed = false;
    if (this.stopped || this.held.length === 0) return;
    if (this.busy && this.waited < this.patience) {
      this.busy = false;
      this.waited++;
      this.arm();
      return;
    }
    this.busy = false;
    this.waited = 0;
    let i = 0;
    if (this.held.length > 1) {
      const choice = this.schedule[this.cursor] ?? 0;
      this.cursor++;
      this.used.push(choice);
      i = choice % this.held.length;
    }
    const [h] = this.held.splice(i, 1);
    if (h !== undefined) this.deliver(h);
    if (this.held.length > 0) this.arm();
  };

  private deliver(h: Held): void {
    const r = h.record;
    finish(h.socket, r, h.ok, h.value);
    if (!h.ok && !r.observed && r.promise !== null) {
      // Reported as unobserved-rejection by finish(); keep Node from ending the process.
      Promise.prototype.then.call(r.promise, undefined, noop);
    } else if (!h.ok) this.onObservedRejection?.(h.socket, r, h.value);
    r.deliver?.(h.ok, h.value);
  }
}
