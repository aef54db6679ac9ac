import type { ActorId } from "../interleaving/types.js";
import { PendingRecord } from "./pending.js";
import { isSettled } from "./settled.js";

/**
 * The last send (or receive) a plain guard issued on one socket: what the rare paths need to
 * know about the op that may still be in flight. zeromq.js allows one op per direction in
 * flight (a second one throws EBUSY), so the last one issued is the only one that can be
 * pending. Updated by plain field stores on every op; no reaction is attached to the promise,
 * so the caller's promise is the real one, untouched.
 *
 * Watched receives (a socket that reads `readable`/`writable`, see lean.ts) are the
 * exception: each gets one reaction that counts its settlement, so a poll learns "no receive
 * in flight" from two counters instead of reading the promise's state.
 */
export class IssuedOp {
  readonly kind: "send" | "recv";
  /** The promise the caller got (the real one, or for a watched receive the one derived from it), or null before the first op. */
  promise: Promise<unknown> | null = null;
  /** The real promise of a watched op; null when it is `promise` itself (kept null so the hot path stores one promise, not two). */
  real: Promise<unknown> | null = null;
  // invariant: once watched is true it stays true (a direction is watched from the socket's first poll on)
  /** The op has a reaction that counts its settlement in `reacted`. */
  watched = false;
  // invariant: reacted <= watchedIssued; equal when every watched op's reaction has run
  /** Watched ops issued, and watched ops whose reaction ran (ops of one direction settle in issue order). */
  watchedIssued = 0;
  reacted = 0;
  /** Step at which it was issued. */
  step = -1;
  /** Who issued it (for the error that names it later). */
  actor: ActorId | null = null;
  /** The message of a send, as given (turned into text only for an error). */
  message: unknown = undefined;
  // invariant: settled is true only when promise has settled (it is learnt on a rare path and reset by each new op)
  /** Known to have settled (so later rare paths skip the check). */
  settled = false;
  /** Still pending when the guard closed its socket: the close settled it (usually a rejection). */
  closedUnder = false;

  constructor(kind: "send" | "recv") {
    this.kind = kind;
  }

  /**
   * A new op was issued in this direction (the hot path: plain field stores only). Never
   * called once the direction is watched, so `real` and `watched` keep their initial values.
   */
  issued(promise: Promise<unknown>, step: number, actor: ActorId, message: unknown): void {
    this.promise = promise;
    this.step = step;
    this.actor = actor;
    this.message = message;
    this.settled = false;
  }

  /** A watched receive was issued: the caller got `promise`, derived from `real` by a reaction that counts its settlement. */
  issuedWatched(promise: Promise<unknown>, real: Promise<unknown>, step: number, actor: ActorId): void {
    this.watchedIssued++;
    this.promise = promise;
    this.real = real;
    this.watched = true;
    this.step = step;
    this.actor = actor;
    this.message = undefined;
    this.settled = false;
  }

  /**
   * Is the op still in flight? Rare paths only: unless the op is watched and its reaction has
   * run, the first check after each op reads the promise's state (about 1 µs).
   */
  pending(): boolean {
    const p = this.real ?? this.promise;
    if (p === null || this.settled) return false;
    if (this.watched && this.reacted === this.watchedIssued) {
      this.settled = true;
      return false;
    }
    if (!isSettled(p)) return true;
    this.settled = true;
    return false;
  }

  /**
   * The op as the rules and the sentences see it. `nowait` is known only once Node reports
   * the op's rejection as unhandled; until then the op is shown as awaited.
   */
  view(socket: string, nowait: boolean): PendingRecord {
    const r = new PendingRecord(this.kind, socket, this.actor ?? { thread: 0, task: 0 }, -1, this.step, this.message);
    r.observed = !nowait;
    return r;
  }
}
