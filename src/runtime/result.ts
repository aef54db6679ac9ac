import type { History, Interleaving } from "../interleaving/types.js";
import type { Verdict, Violation } from "../model/verdict.js";

/** The real run and the model parted: what the model expected, what the binding did. */
export interface Diverged {
  readonly kind: "diverged";
  /** The step (or, past the last step, the turn end or teardown) where they differ. */
  readonly step: number;
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
}

/**
 * A budget or time limit ran out, or the run could not be carried out: never a pass.
 * `crashed`: the run's child process ended before the run did (killed, or an abort such as
 * libzmq's when it runs out of file descriptors), or one of its worker threads ended
 * without being asked; the message says which, and how.
 */
export interface Unknown {
  readonly kind: "unknown";
  readonly reason: "time-limit" | "set-up" | "not-executable" | "crashed";
  readonly message: string;
}

/** The verdict of a real run: the model's kinds, plus `diverged` and `unknown`. */
export type RunVerdict = Verdict | Diverged | Unknown;

/** How an isolated run's child process ended. */
export interface ProcessOutcome {
  /** `exited` on its own, `killed` at the time limit (it hung), or it `crashed` (signal). */
  readonly ending: "exited" | "hung" | "crashed";
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The child's program finished and Node began to exit ('exit' fired) before the end. */
  readonly reachedExit: boolean;
  /** The last lines the child wrote to stderr. */
  readonly stderrTail: string;
  readonly durationMs: number;
}

/** Everything a real run of one interleaving produced. */
export interface RunResult {
  readonly interleaving: Interleaving;
  readonly verdict: RunVerdict;
  /** What really happened: invoke and return events with results and error codes. */
  readonly history: History;
  /** What the model predicted, step for step. */
  readonly predicted: History;
  /** Index of the first event where `history` and `predicted` differ; null when they agree. */
  readonly divergedAt: number | null;
  /** Every rule broken on the way (guarded runs stop at the first; unguarded runs go on). */
  readonly violations: readonly Violation[];
  /** The end verdict of the model with the enforced rules, had the run gone on (unguarded runs). */
  readonly steps: number;
  readonly preemptions: number;
  readonly durationMs: number;
  /** For isolated (child process) runs: how the process ended. */
  readonly process: ProcessOutcome | null;
}
