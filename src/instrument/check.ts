import fc from "fast-check";
import { schedules, type ScheduleConstraints } from "../arbitraries/schedules.js";
import { KitError, InvalidOptionsError } from "../errors.js";
import { flag, oneOf, optionsRecord, probability, timeLimit, wholeNumber } from "../input/options.js";
import { showValue } from "../input/show.js";
import type { Ownership, Schedule } from "../interleaving/types.js";
import { instrument, instrumentationOf, type ZmqModule } from "./instrument.js";
import { runInterleaved, type InterleavedContext } from "./run.js";

const footprint = Symbol.for("zmq-interleave.interleaving-failure");

/**
 * A run of user code that did not pass: its message starts with the verdict's label, then the
 * run's timeline, the verdict in words and the replay line, then where fast-check found it.
 * `code` is `"INTERLEAVING_FAILED"`.
 */
export class InterleavingFailure extends KitError {
  readonly [footprint] = true;
  /** `busy-send`, `stuck`, `error`, `unknown`... */
  readonly label: string;

  constructor(label: string, text: string, options?: { cause?: unknown }) {
    super("INTERLEAVING_FAILED", `${label}\n${text}`, options);
    this.name = "InterleavingFailure";
    this.label = label;
  }

  /** True for an `InterleavingFailure` from any copy of the package. */
  static override is(err: unknown): err is InterleavingFailure {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[footprint] === true;
  }
}

/** Options of `checkInterleaves` and `itInterleaves`. */
export interface InterleavesOptions extends ScheduleConstraints {
  /** The `zeromq` module: the instrumented one from `vi.mock("zeromq", ...)`, or the real one. Required. */
  readonly zmq: ZmqModule;
  /** Schedules to try: a whole number of at least 1. Default 30. */
  readonly runs?: number;
  /** Who owns a socket. Default `"thread"`. */
  readonly ownership?: Ownership;
  /** Real time limit of one run, in ms (past it the run is `unknown`, a failure). Default 5 000. */
  readonly runTimeLimitMs?: number;
  /** Real time limit of the whole property, in ms (an interrupted property fails, never passes). Default 60 000. */
  readonly timeLimitMs?: number;
  /** Run the program's timers on virtual time (default true). */
  readonly virtualTime?: boolean;
  /** Explore hazards: ops that completed at once held as zeromq.js holds the 513th in a row (default true). */
  readonly hazards?: boolean;
  /** Replay one schedule (from a replay line) instead of generating them. */
  readonly replay?: Schedule;
  /** fast-check seed (default: random, shown in the output). */
  readonly seed?: number;
  /** fast-check counterexample path, to replay a failure with `seed`. */
  readonly path?: string;
}

/** The option names `checkInterleaves` knows (`itInterleaves` adds `timeout`). */
export const INTERLEAVES_OPTIONS = ["zmq", "runs", "ownership", "runTimeLimitMs", "timeLimitMs", "virtualTime", "hazards", "replay", "seed", "path", "maxLength", "maxChoice", "preemptionRate"] as const;

/** The options, checked: every field's type and range, no unknown key. */
interface Resolved {
  readonly zmq: ZmqModule;
  readonly runs: number;
  readonly ownership: Ownership;
  readonly runTimeLimitMs: number;
  readonly timeLimitMs: number;
  readonly virtualTime: boolean;
  readonly hazards: boolean;
  readonly replay: Schedule | undefined;
  readonly seed: number | undefined;
  readonly path: string | undefined;
  readonly schedules: ScheduleConstraints;
}

function isZmqModule(value: unknown): value is ZmqModule {
  if (typeof value !== "object" || value === null) return false;
  if (instrumentationOf(value) !== null) return true;
  const m = value as Record<string, unknown>;
  return typeof m["Push"] === "function" && typeof m["Pull"] === "function" && typeof m["Socket"] === "function";
}

/** Checks the options of `where` (`checkInterleaves`, `itInterleaves`), with `extra` keys it also takes. */
export function resolveInterleavesOptions(where: string, value: unknown, extra: readonly string[] = []): Resolved {
  if (value === undefined) throw new InvalidOptionsError(`${where}: options are required: pass at least { zmq } (the zeromq module, e.g. import * as zmq from "zeromq" with vi.mock)`);
  const o = optionsRecord(where, value, [...INTERLEAVES_OPTIONS, ...extra]);
  if (!isZmqModule(o["zmq"])) {
    throw new InvalidOptionsError(`${where}: options.zmq must be the zeromq module (import * as zmq from "zeromq", instrumented with vi.mock or instrument()), got ${showValue(o["zmq"])}`);
  }
  const replay = o["replay"];
  if (replay !== undefined && !(Array.isArray(replay) && replay.every((c) => Number.isSafeInteger(c) && (c as number) >= 0))) {
    throw new InvalidOptionsError(`${where}: options.replay must be a schedule (a list of whole numbers >= 0, as a replay line prints it), got ${showValue(replay)}`);
  }
  const seed = o["seed"];
  if (seed !== undefined && !(typeof seed === "number" && Number.isSafeInteger(seed))) throw new InvalidOptionsError(`${where}: options.seed must be a whole number, got ${showValue(seed)}`);
  const path = o["path"];
  if (path !== undefined && !(typeof path === "string" && /^\d+(:\d+)*$/.test(path))) throw new InvalidOptionsError(`${where}: options.path must be fast-check's path such as "3:0:1", got ${showValue(path)}`);
  return {
    zmq: o["zmq"],
    runs: wholeNumber(`${where}: options.runs`, o["runs"], 1, 1_000_000, 30),
    ownership: oneOf(`${where}: options.ownership`, o["ownership"], ["thread", "task"] as const, "thread"),
    runTimeLimitMs: timeLimit(`${where}: options.runTimeLimitMs`, o["runTimeLimitMs"], 5_000),
    timeLimitMs: timeLimit(`${where}: options.timeLimitMs`, o["timeLimitMs"], 60_000),
    virtualTime: flag(`${where}: options.virtualTime`, o["virtualTime"], true),
    hazards: flag(`${where}: options.hazards`, o["hazards"], true),
    replay: replay as Schedule | undefined,
    seed: seed as number | undefined,
    path: path as string | undefined,
    schedules: {
      maxLength: wholeNumber(`${where}: options.maxLength`, o["maxLength"], 0, 10_000, 20),
      maxChoice: wholeNumber(`${where}: options.maxChoice`, o["maxChoice"], 1, 1_000, 3),
      preemptionRate: probability(`${where}: options.preemptionRate`, o["preemptionRate"], 0.3),
    },
  };
}

/** Where fast-check found a failure, for the end of its message. */
function foundAt(d: fc.RunDetails<[Schedule]>): string {
  return `fast-check: seed=${d.seed} path=${JSON.stringify(d.counterexamplePath)} after ${d.numRuns} run(s), shrunk ${d.numShrinks} time(s)`;
}

/** The failure a failed search reports: the shrunk run's own (timeline first), or what else went wrong. */
function failureOf(d: fc.RunDetails<[Schedule]>): InterleavingFailure {
  const err = d.errorInstance;
  if (InterleavingFailure.is(err)) return new InterleavingFailure(err.label, `${err.message.slice(err.label.length + 1)}\n${foundAt(d)}`, { cause: err.cause });
  if (d.interrupted) return new InterleavingFailure("unknown", `the property was interrupted after ${d.numRuns} run(s) (time limit); this is not a pass.\n${foundAt(d)}`);
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new InterleavingFailure("error", `${text}\n${foundAt(d)}`, { cause: err });
}

/** The pieces of the property: arbitrary, predicate, fast-check parameters (with a reporter that throws the run's own failure). */
export function interleavesProperty(fn: (context: InterleavedContext) => unknown, options: InterleavesOptions, where = "checkInterleaves") {
  if (typeof fn !== "function") throw new InvalidOptionsError(`${where}: the first argument must be the function to run, got ${showValue(fn)}`);
  const o = resolveInterleavesOptions(where, options, where === "itInterleaves" ? ["timeout"] : []);
  const zmq = instrument(o.zmq);
  const arbitrary: fc.Arbitrary<Schedule> = o.replay === undefined ? schedules(o.schedules) : fc.constant(o.replay);
  const parameters: fc.Parameters<[Schedule]> = {
    numRuns: o.replay === undefined ? o.runs : 1,
    interruptAfterTimeLimit: o.timeLimitMs,
    markInterruptAsFailure: true,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.path === undefined ? {} : { path: o.path }),
    // The message a test runner shows starts with the rule and the timeline, not fast-check's summary.
    asyncReporter: async (details) => {
      if (details.failed) throw failureOf(details);
    },
  };
  const predicate = async (schedule: Schedule): Promise<void> => {
    const report = await runInterleaved(fn, { zmq, schedule, ownership: o.ownership, timeLimitMs: o.runTimeLimitMs, virtualTime: o.virtualTime, hazards: o.hazards });
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
  const { asyncReporter: _reporter, ...plain } = parameters;
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), plain);
  if (!details.failed) return { kind: "passed", runs: details.numRuns, seed: details.seed };
  const failure = failureOf(details);
  return {
    kind: "failed",
    label: failure.label,
    text: failure.message.slice(failure.label.length + 1),
    schedule: details.counterexample?.[0] ?? null,
    seed: details.seed,
    path: details.counterexamplePath,
    shrinks: details.numShrinks,
  };
}
