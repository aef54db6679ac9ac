/**
 * Typed errors of the kit. Every error carries a stable `code`, a message that says what
 * was wrong and what to do, and a `Symbol.for` footprint so `KitError.is(err)` works across
 * worker threads and duplicate package copies, where `instanceof` does not.
 */

const footprint = Symbol.for("zmq-interleave.error");

/** Stable codes of the kit's errors, in a fixed order. */
export const KIT_ERROR_CODES = [
  "INVALID_INTERLEAVING",
  "PARSE_ERROR",
  "INVALID_OPTIONS",
  "UNSUPPORTED",
  "OWNERSHIP",
  "REPLAY_DIVERGED",
  "DESCRIPTOR_BUDGET",
  "POOL_CLOSED",
  "RUN_FAILED",
  "INTERLEAVING_FAILED",
  "INTERNAL",
] as const;

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

/** What a run needs in file descriptors, and what the process has. */
export interface DescriptorShortage {
  /** Descriptors the run would open at its peak. */
  readonly needed: number;
  /** What `needed` is made of, in words ("12 sockets, 3 tcp listeners, ..."). */
  readonly breakdown: string;
  /** The process's limit (`ulimit -n`). */
  readonly limit: number;
  /** Descriptors open in this process when the run was asked for. */
  readonly inUse: number;
  /** Free in a fresh child process (where an isolated run would go); null when the run may not be isolated. */
  readonly freshFree: number | null;
}

/**
 * A run that cannot get the file descriptors it needs, refused before it creates anything:
 * running it would make libzmq abort the whole process ("Too many open files"). Says how
 * many it needs, how many are free, and what to do.
 */
export class DescriptorBudgetError extends KitError {
  readonly needed: number;
  readonly free: number;
  readonly limit: number;
  readonly inUse: number;

  constructor(s: DescriptorShortage) {
    const free = Math.max(0, s.limit - s.inUse);
    const suggest = Math.max(1024, 2 ** Math.ceil(Math.log2(2 * (s.inUse + s.needed))));
    const fresh = s.freshFree === null ? "" : `, and a fresh process would have about ${Math.max(0, s.freshFree)}`;
    super(
      "DESCRIPTOR_BUDGET",
      `this run needs about ${s.needed} file descriptors (${s.breakdown}), but only ${free} of the process's ${s.limit} are free (${s.inUse} in use)${fresh}; ` +
        `raise the limit (\`ulimit -n ${suggest}\` in the shell that starts node or vitest), use fewer links or fewer peers per link, ` +
        `or transport "inproc" (no descriptor per connection)`,
    );
    this.name = "DescriptorBudgetError";
    this.needed = s.needed;
    this.free = free;
    this.limit = s.limit;
    this.inUse = s.inUse;
  }
}

/** A `WorkerPool` that is closed: a run asked it for workers, or it was closed under a run in flight. */
export class PoolClosedError extends KitError {
  constructor(message: string) {
    super("POOL_CLOSED", message);
    this.name = "PoolClosedError";
  }
}

/**
 * Code the kit calls during a run (a model's functions) threw. The run stopped there; every
 * socket it had opened was closed and its worker threads went back to their pool, so the
 * next run can go on. The thrown value is the `cause`.
 */
export class RunFailedError extends KitError {
  /** Steps the run had taken when it stopped. */
  readonly step: number;

  constructor(step: number, cause: unknown) {
    const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super("RUN_FAILED", `the run stopped after ${step} step${step === 1 ? "" : "s"} because code it called threw (${what}); every socket of the run was closed, the next run can go on; see \`cause\` for the stack`, { cause });
    this.name = "RunFailedError";
    this.step = step;
  }
}
