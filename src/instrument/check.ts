import fc from "fast-check";
import { schedules, type ScheduleConstraints } from "../arbitraries/schedules.js";
import type { Ownership, Schedule } from "../interleaving/types.js";
import { instrument, type ZmqModule } from "./instrument.js";
import { runInterleaved, type InterleavedContext } from "./run.js";

const footprint = Symbol.for("zmq-interleave.interleaving-failure");

/** A guarded run that did not pass; its message is the run's timeline, verdict and replay line. */
export class InterleavingFailure extends Error {
  readonly [footprint] = true;
  /** Always `"INTERLEAVING_FAILED"`. */
  readonly code = "INTERLEAVING_FAILED";
  /** `busy-send`, `stuck`, `error`, `unknown`... */
  readonly label: string;

  constructor(label: string, text: string, options?: { cause?: unknown }) {
    super(`${label}\n${text}`, options);
    this.name = "InterleavingFailure";
    this.label = label;
  }

  /** True for an `InterleavingFailure` from any copy of the package. */
  static is(err: unknown): err is InterleavingFailure {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}

/** Options of `checkInterleaves` and `itInterleaves`. */
export interface InterleavesOptions extends ScheduleConstraints {
  /** The `zeromq` module: the instrumented one from `vi.mock("zeromq", ...)`, or the real one. Required. */
  readonly zmq: ZmqModule;
  /** Schedules to try. Default 30. */
  readonly runs?: number;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Time limit of one run, in ms (past it the run is `unknown`, a failure). Default 5 000. */
  readonly runTimeLimitMs?: number;
  /** Time limit of the whole property, in ms (an interrupted property fails, never passes). Default 60 000. */
  readonly timeLimitMs?: number;
  /** Replay one schedule (from a replay line) instead of generating them. */
  readonly replay?: Schedule;
  /** fast-check seed (default: random, shown in the output). */
  readonly seed?: number;
  /** fast-check counterexample path, to replay a failure with `seed`. */
  readonly path?: string;
}

/** The pieces of the property: arbitrary, predicate, fast-check parameters. */
export function interleavesProperty(fn: (context: InterleavedContext) => unknown, options: InterleavesOptions) {
  const zmq = instrument(options.zmq);
  const arbitrary: fc.Arbitrary<Schedule> = options.replay === undefined ? schedules({ maxLength: options.maxLength, maxChoice: options.maxChoice, preemptionRate: options.preemptionRate }) : fc.constant(options.replay);
  const parameters: fc.Parameters<[Schedule]> = {
    numRuns: options.replay === undefined ? (options.runs ?? 30) : 1,
    interruptAfterTimeLimit: options.timeLimitMs ?? 60_000,
    markInterruptAsFailure: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  const predicate = async (schedule: Schedule): Promise<void> => {
    const report = await runInterleaved(fn, { zmq, schedule, ownership: options.ownership ?? "thread", timeLimitMs: options.runTimeLimitMs ?? 5_000 });
    if (report.verdict.kind !== "ok") throw new InterleavingFailure(report.label, report.text, report.verdict.kind === "error" ? { cause: report.verdict.error } : undefined);
  };
  return { arbitrary, predicate, parameters };
}

/** What `checkInterleaves` found. */
export type InterleavesResult =
  | { readonly kind: "passed"; readonly runs: number; readonly seed: number }
  | {
      readonly kind: "failed";
      /** The shrunk run's label: `busy-send`, `stuck`, `unknown`... */
      readonly label: string;
      /** Shrunk timeline, verdict, replay line, and fast-check's seed and path. */
      readonly text: string;
      readonly schedule: Schedule | null;
      readonly seed: number;
      readonly path: string | null;
      readonly shrinks: number;
    };

/**
 * Runs `fn` under many delivery schedules (as `itInterleaves` does) and returns the outcome
 * instead of failing a test: for suites that assert that a known bug is caught.
 */
export async function checkInterleaves(fn: (context: InterleavedContext) => unknown, options: InterleavesOptions): Promise<InterleavesResult> {
  const { arbitrary, predicate, parameters } = interleavesProperty(fn, options);
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), parameters);
  if (!details.failed) return { kind: "passed", runs: details.numRuns, seed: details.seed };
  const err = details.errorInstance;
  const label = InterleavingFailure.is(err) ? err.label : details.interrupted ? "unknown" : "error";
  const body = err instanceof Error ? err.message : `the property was interrupted after ${details.numRuns} runs (time limit); this is not a pass.`;
  const where = `fast-check: seed=${details.seed} path=${JSON.stringify(details.counterexamplePath)} after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)`;
  return {
    kind: "failed",
    label,
    text: `${body}\n${where}`,
    schedule: details.counterexample?.[0] ?? null,
    seed: details.seed,
    path: details.counterexamplePath,
    shrinks: details.numShrinks,
  };
}
