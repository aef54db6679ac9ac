import { showValue } from "../input/show.js";
import { KitError } from "../errors.js";

/** What was wrong with the command line; stable, for scripts and tests that branch on it. */
export type UsageProblem = "unknown-flag" | "missing-value" | "bad-value" | "unknown-scenario";

/**
 * A command line `zmq-interleave` cannot run: an unknown flag, a flag without its value, a value
 * out of range, or a scenario name that is not in the zoo. The CLI prints the message (never a
 * stack trace) and exits with status 2. Code `INVALID_OPTIONS`; `problem` says which.
 */
export class UsageError extends KitError {
  readonly problem: UsageProblem;

  constructor(problem: UsageProblem, message: string) {
    super("INVALID_OPTIONS", message);
    this.name = "UsageError";
    this.problem = problem;
  }
}

/** `--scenario` named something the zoo does not have; lists the names it has. */
export class UnknownScenarioError extends UsageError {
  /** The names asked for that are not in the zoo. */
  readonly unknown: readonly string[];
  /** Every name the zoo has. */
  readonly valid: readonly string[];

  constructor(unknown: readonly string[], valid: readonly string[]) {
    const which = unknown.map((n) => showValue(n)).join(", ");
    super("unknown-scenario", `unknown scenario ${which}; the zoo has: ${valid.join(", ")}`);
    this.name = "UnknownScenarioError";
    this.unknown = unknown;
    this.valid = valid;
  }
}
