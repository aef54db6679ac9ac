import { inspect } from "node:util";

/**
 * One process-level `unhandledRejection` listener for every plain guard context of this
 * thread. A plain guard attaches no handler to the promises it returns (that is what keeps it
 * cheap), so it learns that a fire-and-forget op was left unobserved the way Node does: when
 * Node reports the op's rejection as unhandled. The hub asks each context whether the promise
 * is one of its ops; if so the context raises an `unobserved-rejection` OwnershipError in its
 * place.
 *
 * A listener changes what Node does with every other rejection, so the hub makes itself
 * invisible for them:
 * - it is attached only while some context needs it (a guarded socket open, or just closed);
 * - it is a pair, `head` (first listener) and `tail` (last). `head` detaches the pair before
 *   the other listeners run, so they see the listener list they would see without the kit
 *   (vitest reports an unhandled rejection only when its own listener is the only one), and
 *   `tail`, still called in this emission, attaches it again;
 * - with no other listener, `head` does what Node would have done without one: in the
 *   default mode (`--unhandled-rejections=throw`) it rethrows the reason from
 *   `process.nextTick`, so the process ends on it as before (an `uncaughtException`
 *   listener sees it with origin `uncaughtException` rather than `unhandledRejection`);
 *   the other modes are followed too (warn, none, strict, warn-with-error-code).
 * - a listener added after the pair (so after `tail`) sees the pair during that emission.
 *
 * For a kit rejection the others (vitest, a user's handler) get the typed error first, from a
 * nested emission; listeners that count listeners then leave the raw reason alone, while
 * plain listeners also get the raw reason (they cannot be kept from it). With no other
 * listener the typed error is what the process ends with.
 *
 * The hub lives on `process` under a `Symbol.for` key: the listener is process state by
 * nature, and every copy of the package on the thread must share one.
 */

const EVENT = "unhandledRejection";
const SLOT = Symbol.for("zmq-interleave.rejection-hub");

/** Something that may recognise an unhandled rejection as its own: a plain guard context, or an instrumented run (escaped.ts). */
export interface RejectionClaimer {
  /**
   * The typed error to raise instead of `reason`; `"handled"` when the claimer takes the
   * rejection over entirely (an instrumented run makes it the run's verdict: nobody else hears
   * of it and the process goes on); null when `promise` is not one of this claimer's ops.
   */
  claim(reason: unknown, promise: Promise<unknown>): Error | "handled" | null;
  /** False once the claimer has nothing left that could reject (the hub then drops it). */
  readonly needsHub: boolean;
}

/** What every copy of the package relies on in the shared hub. */
export interface RejectionHubLike {
  join(claimer: RejectionClaimer): void;
  leave(claimer: RejectionClaimer): void;
}

/** The `--unhandled-rejections` mode of this process (`throw` unless set). */
export function unhandledRejectionsMode(): string {
  const args = [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  let mode = "throw";
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a.startsWith("--unhandled-rejections=")) mode = a.slice("--unhandled-rejections=".length);
    else if (a === "--unhandled-rejections" && args[i + 1] !== undefined) mode = args[i + 1] ?? mode;
  }
  return mode;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, "stack");
}

/** Node's error for a rejection whose reason is not an error (`ERR_UNHANDLED_REJECTION`). */
function unhandledRejectionError(reason: unknown): Error {
  const err = new Error(`This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${inspect(reason)}".`);
  err.name = "UnhandledPromiseRejection";
  (err as Error & { code?: string }).code = "ERR_UNHANDLED_REJECTION";
  return err;
}

/** What Node does with an unhandled rejection nobody listens for, in this process's mode. */
function raiseAsNode(reason: unknown): void {
  const mode = unhandledRejectionsMode();
  if (mode === "none" || mode === "warn") return; // Node warns (or not) on its own in these modes
  if (mode === "strict" || mode === "warn-with-error-code") {
    process.emitWarning(isErrorLike(reason) ? (reason.stack ?? String(reason)) : inspect(reason), "UnhandledPromiseRejectionWarning");
    if (mode === "warn-with-error-code") process.exitCode = 1;
    return;
  }
  const err = isErrorLike(reason) ? reason : unhandledRejectionError(reason);
  process.nextTick(() => {
    throw err;
  });
}

/** The process-level listener pair; one per thread (see the file comment). */
export class RejectionHub implements RejectionHubLike {
  private readonly claimers = new Set<RejectionClaimer>();
  private readonly head = (reason: unknown, promise: Promise<unknown>): void => this.onRejection(reason, promise);
  private readonly tail = (): void => this.settle();

  /** `claimer` needs the listener from now on. */
  join(claimer: RejectionClaimer): void {
    this.prune();
    this.claimers.add(claimer);
    this.attach();
  }

  /** `claimer` no longer needs it; the pair is removed when nobody does. */
  leave(claimer: RejectionClaimer): void {
    this.claimers.delete(claimer);
    if (this.claimers.size === 0) this.detach();
  }

  /** Drops claimers with nothing left that could reject (sockets closed behind the guard's back, say). */
  private prune(): void {
    for (const c of [...this.claimers]) if (!c.needsHub) this.claimers.delete(c);
  }

  /** Attached when some claimer needs the pair, detached otherwise. */
  private settle(): void {
    if (this.claimers.size === 0) this.detach();
    else this.attach();
  }

  private attach(): void {
    const listeners = process.listeners(EVENT);
    if (listeners[0] === this.head && listeners[listeners.length - 1] === this.tail) return;
    this.detach();
    process.prependListener(EVENT, this.head);
    process.on(EVENT, this.tail);
  }

  private detach(): void {
    process.off(EVENT, this.head);
    process.off(EVENT, this.tail);
  }

  private onRejection(reason: unknown, promise: Promise<unknown>): void {
    // Invisible to the listeners that run after this one; `tail` attaches the pair again
    // (and the tick, should a listener throw before `tail` runs).
    this.detach();
    process.nextTick(() => this.settle());
    let raised: Error | "handled" | null = null;
    for (const c of this.claimers) {
      raised = c.claim(reason, promise);
      if (raised !== null) break;
    }
    this.prune();
    if (raised === "handled") {
      // Attached again before the others get the raw reason, so a listener that reports only
      // when it is alone (vitest) leaves it; a plain listener still sees it, as for a typed error.
      this.attach();
      return;
    }
    const others = process.listenerCount(EVENT);
    if (raised === null) {
      if (others === 0) raiseAsNode(reason);
      return;
    }
    if (others === 0) {
      raiseAsNode(raised);
      return;
    }
    process.emit(EVENT, raised, promise);
    // Attached again before the others get the raw reason: a listener that reports only when
    // it is alone (vitest) leaves it, having reported the typed error. `tail` settles it after.
    this.attach();
  }
}

/** This thread's hub (created on first use, shared by every copy of the package). */
export function rejectionHub(): RejectionHubLike {
  const slot = process as unknown as Record<symbol, RejectionHubLike | undefined>;
  return (slot[SLOT] ??= new RejectionHub());
}
