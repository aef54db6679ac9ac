/**
 * Typed errors of the kit. Every error carries a stable `code`, a message that says what
 * was wrong and what to do, and a `Symbol.for` footprint so `KitError.is(err)` works across
 * worker threads and duplicate package copies, where `instanceof` does not.
 */

const footprint = Symbol.for("zmq-interleave.error");

/** Stable codes of the kit's errors. */
export const KIT_ERROR_CODES = ["INVALID_INTERLEAVING", "PARSE_ERROR", "INVALID_OPTIONS", "UNSUPPORTED", "OWNERSHIP", "REPLAY_DIVERGED", "CLOSED", "INTERLEAVING_FAILED", "INTERNAL"] as const;

/** One of `KIT_ERROR_CODES`. */
export type KitErrorCode = (typeof KIT_ERROR_CODES)[number];

/** Base class of every error the kit throws on purpose. */
export class KitError extends Error {
  readonly code: KitErrorCode;
  readonly [footprint] = true;

  constructor(code: KitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "KitError";
  }

  /** True for any error of the kit, from any copy of the package or any thread. */
  static is(err: unknown): err is KitError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}

/** One thing wrong with an interleaving or scenario: where, and what. */
export interface Problem {
  /** A path into the value, e.g. `scenario.sockets[1].endpoint` or `programs[0].ops[2]`. */
  readonly path: string;
  readonly message: string;
}

/** An interleaving, scenario or program that does not validate; lists every problem found. */
export class InvalidInterleavingError extends KitError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const list = problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n");
    super("INVALID_INTERLEAVING", `the interleaving does not validate (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${list}`);
    this.name = "InvalidInterleavingError";
    this.problems = problems;
  }
}

/** Text that `parseInterleaving` cannot read; says where and what was expected. */
export class ParseError extends KitError {
  readonly offset: number;

  constructor(message: string, offset: number, text: string) {
    const from = Math.max(0, offset - 20);
    const excerpt = text.slice(from, offset + 20);
    super("PARSE_ERROR", `cannot parse interleaving at offset ${offset}: ${message}\n  near: ${JSON.stringify(excerpt)}`);
    this.name = "ParseError";
    this.offset = offset;
  }
}

/** Options that make no sense (zero time limits, unknown transports...). */
export class InvalidOptionsError extends KitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_OPTIONS", message, options);
    this.name = "InvalidOptionsError";
  }
}

/** A valid interleaving the requested mode cannot run faithfully; says why and what to use. */
export class UnsupportedError extends KitError {
  constructor(message: string) {
    super("UNSUPPORTED", message);
    this.name = "UnsupportedError";
  }
}

/** A call on something already closed (a `WorkerPool` after `close()`); make a new one. */
export class ClosedError extends KitError {
  constructor(message: string) {
    super("CLOSED", message);
    this.name = "ClosedError";
  }
}
