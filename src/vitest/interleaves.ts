import { it as fcIt } from "@fast-check/vitest";
import fc from "fast-check";
import { schedules, type ScheduleConstraints } from "../arbitraries/schedules.js";
import type { Ownership, Schedule } from "../interleaving/types.js";
import { instrument, type ZmqModule } from "../guard/instrument.js";
import { runInterleaved, type InterleavedContext } from "../guard/run.js";

const footprint = Symbol.for("zmq-interleave.interleaving-failure");

/** A guarded run that did not pass; its message is the shrunk run's timeline, verdict and replay line. */
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

/** Options of `itInterleaves`. */
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
  /** fast-check seed (default: random, shown in the test name). */
  readonly seed?: number;
  /** fast-check counterexample path, to replay a failure with `seed`. */
  readonly path?: string;
  /** Vitest timeout of the test, in ms. Default `timeLimitMs` plus 10 s. */
  readonly timeout?: number;
}

/**
 * A vitest test that runs `fn` under many delivery schedules on the instrumented `zeromq`:
 * every socket the code opens is guarded, and the order in which its sends and receives
 * complete is chosen by the schedule. A failing order is shrunk (fewer reorderings) and the
 * test fails with that run's timeline and a replay line.
 */
export function itInterleaves(name: string, fn: (context: InterleavedContext) => unknown, options: InterleavesOptions): void {
  const zmq = instrument(options.zmq);
  const arb: fc.Arbitrary<Schedule> = options.replay === undefined ? schedules(options) : fc.constant(options.replay);
  const timeLimitMs = options.timeLimitMs ?? 60_000;
  const params: fc.Parameters<[Schedule]> = {
    numRuns: options.replay === undefined ? (options.runs ?? 30) : 1,
    interruptAfterTimeLimit: timeLimitMs,
    markInterruptAsFailure: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  fcIt.prop([arb], params)(
    name,
    async (schedule) => {
      const report = await runInterleaved(fn, {
        zmq,
        schedule,
        ownership: options.ownership ?? "thread",
        timeLimitMs: options.runTimeLimitMs ?? 5_000,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
      });
      if (report.verdict.kind !== "ok") throw new InterleavingFailure(report.label, report.text, report.verdict.kind === "error" ? { cause: report.verdict.error } : undefined);
    },
    options.timeout ?? timeLimitMs + 10_000,
  );
}
