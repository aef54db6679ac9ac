/**
 * Typed errors of the benchmark rig: a stable `code`, a message that says what to do, and a
 * `Symbol.for` footprint so `BenchError.is(err)` works across worker threads.
 */

const footprint = Symbol.for("zmq-interleave.bench-error");

/** Stable codes of the rig's errors. */
export type BenchErrorCode =
  | "BAD_ARGS"
  | "BAD_SUITE"
  | "JOIN_TIMEOUT"
  | "DELIVERY_TIMEOUT"
  | "CHILD_FAILED"
  | "WORKER_FAILED"
  | "BAD_RESULTS";

/** Base class of every error the rig throws on purpose. */
export class BenchError extends Error {
  readonly code: BenchErrorCode;
  readonly [footprint] = true;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "BenchError";
  }

  /** True for any rig error, from any thread or copy of the module. */
  static is(err: unknown): err is BenchError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}

/** The message of any thrown value, for reports. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return BenchError.is(err) ? `${err.code}: ${err.message}` : `${err.name}: ${err.message}`;
  return String(err);
}
